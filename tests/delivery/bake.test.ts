// Baked badges: bake → unbake → verify for both securing forms and both image formats; tampering and hostile images.
import { deflateSync } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAnchorProof, findAnchorProof } from '../../src/anchoring';
import { ANCHOR_PNG_KEYWORD, OB3_PNG_KEYWORD, OB3_SVG_NAMESPACE, bakePng, bakeSvg, extractEmbedded, unbake } from '../../src/delivery';
import { createVerifier, type Verifier } from '../../src/verify';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, signedDi, signedJws } from '../verify/fixtures';
import { TEMPLATE_SVG, extractOrRefused, pixels, templatePng } from './fixtures';

let verifier: Verifier;
let anchoredDi: Record<string, unknown>;
let envelope: Record<string, unknown>;
let jws: string;
let tamperedDi: Record<string, unknown>;

beforeAll(async () => {
  const issuer = makeIssuer();
  const di = await signedDi(issuer);
  jws = await signedJws(issuer);
  const batch = await anchorBatch([di, jws], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor });
  [anchoredDi, envelope] = batch.anchored as [Record<string, unknown>, Record<string, unknown>];
  const subject = anchoredDi.credentialSubject as { achievement: Record<string, unknown> };
  tamperedDi = { ...anchoredDi, credentialSubject: { ...subject, achievement: { ...subject.achievement, name: 'Brain Surgery' } } };
  verifier = createVerifier({ chain: { reader: fakeReader(lookupOf(issuer.did)) }, now: () => NOW });
});

const verdictOf = async (text: string) => (await verifier.verify(text)).verdict;
const failedChecks = async (text: string) => (await verifier.verify(text)).checks.filter((c) => c.status === 'failed').map((c) => c.check);

describe('PNG baking', () => {
  it('a baked Data Integrity credential comes back unchanged and verifies valid; the image pixels are untouched', async () => {
    const template = templatePng();
    const baked = bakePng(template, anchoredDi);
    expect(pixels(baked).equals(pixels(template))).toBe(true);
    const chunks = extractChunks(baked);
    expect(chunks.filter((c) => c.name === 'iTXt')).toHaveLength(1);
    const { container, credential } = unbake(baked);
    expect(container).toBe('png');
    expect(JSON.parse(credential)).toEqual(anchoredDi);
    expect(await verdictOf(credential)).toBe('valid');
  });

  it('a VC-JOSE envelope is baked as its compact JWS (the spec carrier) plus the anchor proof chunk, and verifies valid', async () => {
    const baked = bakePng(templatePng(), envelope);
    const texts = extractChunks(baked).filter((c) => c.name === 'iTXt').map((c) => Buffer.from(c.data).toString('latin1'));
    expect(texts.find((t) => t.startsWith(`${OB3_PNG_KEYWORD}\0`))).toBe(`${OB3_PNG_KEYWORD}\0\0\0\0\0${jws}`);
    expect(texts.some((t) => t.startsWith(`${ANCHOR_PNG_KEYWORD}\0`))).toBe(true);
    const { credential } = unbake(baked);
    expect(JSON.parse(credential)).toEqual(envelope);
    expect(await verdictOf(credential)).toBe('valid');
  });

  it('a bare JWS bakes alone; without its anchor proof it is not valid (pending anchor)', async () => {
    const { credential } = unbake(bakePng(templatePng(), jws));
    expect(credential).toBe(jws);
    const outcome = await verifier.verify(credential);
    expect(outcome.verdict).not.toBe('valid');
    expect(outcome.flags).toContain('pending-anchor');
  });

  it('a baked credential whose content was changed is invalid (signature)', async () => {
    const { credential } = unbake(bakePng(templatePng(), tamperedDi));
    expect(await verdictOf(credential)).toBe('invalid');
    expect(await failedChecks(credential)).toContain('signature');
  });

  it('bytes changed inside the chunk break its CRC: the image is refused as a broken baked badge', async () => {
    const baked = Buffer.from(bakePng(templatePng(), anchoredDi));
    const at = baked.indexOf('Advanced Cardiac', 0, 'latin1');
    baked.write('X', at, 'latin1');
    await expect(extractEmbedded(baked)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_MALFORMED' });
  });

  it('refuses to bake twice, a compressed or duplicated credential chunk, and a hostile chunk length', async () => {
    const baked = bakePng(templatePng(), anchoredDi);
    expect(() => bakePng(baked, anchoredDi)).toThrow(expect.objectContaining({ code: 'ERR_BAKE_ALREADY_BAKED' }));
    const chunks = extractChunks(baked);
    const credentialChunk = chunks.find((c) => c.name === 'iTXt')!;
    const duplicated = encodeChunks([chunks[0]!, credentialChunk, ...chunks.slice(1)]);
    await expect(extractEmbedded(duplicated)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_MALFORMED' });
    const head = Buffer.from(`${OB3_PNG_KEYWORD}\0\x01\x00\0\0`, 'latin1');
    const compressed = encodeChunks([chunks[0]!, { name: 'iTXt', data: Buffer.concat([head, deflateSync(JSON.stringify(anchoredDi))]) }, ...chunks.slice(2)]);
    await expect(extractEmbedded(compressed)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_MALFORMED' });
    const hostile = Buffer.from(templatePng());
    hostile.writeUInt32BE(0xfffffff0, 8); // IHDR claims to be almost 4 GiB long
    await expect(extractEmbedded(hostile)).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE' });
  });

  it('a PNG without a credential carries none', async () => {
    await expect(extractEmbedded(templatePng())).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE' });
    expect(await extractEmbedded(Buffer.from(JSON.stringify(anchoredDi)))).toBeUndefined();
  });
});

describe('SVG baking', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', cdataPropName: '#cdata', preserveOrder: true });

  it('a Data Integrity credential goes into <openbadges:credential> as CDATA, first child of <svg>, and verifies valid', async () => {
    const baked = bakeSvg(TEMPLATE_SVG, anchoredDi);
    const ordered = parser.parse(baked) as Array<Record<string, unknown>>;
    const svg = ordered.find((node) => 'svg' in node)!;
    expect((svg[':@'] as Record<string, string>)['@_xmlns:openbadges']).toBe(OB3_SVG_NAMESPACE);
    expect((svg[':@'] as Record<string, string>)['@_data-note']).toBe('a > b');
    const children = (svg.svg as Array<Record<string, unknown>>).map((node) => Object.keys(node).find((k) => k !== ':@'));
    expect(children).toEqual(['openbadges:credential', 'circle', 'text']);
    expect(baked).toContain('<!-- ACLS badge -->');
    const { container, credential } = unbake(baked);
    expect(container).toBe('svg');
    expect(JSON.parse(credential)).toEqual(anchoredDi);
    expect(await verdictOf(credential)).toBe('valid');
  });

  it('a VC-JOSE envelope goes into the verify attribute (compact JWS) with the anchor proof beside it, and verifies valid', async () => {
    const baked = bakeSvg(TEMPLATE_SVG, envelope);
    expect(baked).toContain(`<openbadges:credential verify="${jws}"></openbadges:credential>`);
    const { credential } = unbake(Buffer.from(baked));
    expect(JSON.parse(credential)).toEqual(envelope);
    expect(await verdictOf(credential)).toBe('valid');
  });

  it('"]]>" inside the credential survives the CDATA section and the signature still verifies', async () => {
    const issuer = makeIssuer();
    const tricky = await signedDi(issuer, { module: { id: 'https://hospital.example/m', name: 'Arrays a[b[0]]>c', description: 'x]]>y', criteria: 'c' } });
    const { credential } = unbake(bakeSvg(TEMPLATE_SVG, tricky));
    expect(JSON.parse(credential)).toEqual(tricky);
    const v = createVerifier({ chain: { reader: fakeReader(lookupOf(issuer.did)) }, now: () => NOW, policy: { acceptPendingAnchor: true } });
    expect((await v.verify(credential)).checks.find((c) => c.check === 'signature')?.status).toBe('passed');
  });

  it('a tampered JWS in the verify attribute is invalid', async () => {
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: 'Brain Surgery' })).toString('base64url')}.${s}`;
    const baked = bakeSvg(TEMPLATE_SVG, envelope).replace(jws, forged);
    const { credential } = unbake(baked);
    expect(await verdictOf(credential)).toBe('invalid');
  });

  it('a tampered credential in the CDATA is invalid', async () => {
    const baked = bakeSvg(TEMPLATE_SVG, anchoredDi).replace('Advanced Cardiac Life Support', 'Advanced Brain Surgery');
    expect(await verdictOf(unbake(baked).credential)).toBe('invalid');
  });

  it('refuses to bake twice, two credential elements, the wrong namespace; XML without one carries none', async () => {
    const baked = bakeSvg(TEMPLATE_SVG, anchoredDi);
    expect(() => bakeSvg(baked, anchoredDi)).toThrow(expect.objectContaining({ code: 'ERR_BAKE_ALREADY_BAKED' }));
    const twice = baked.replace('<circle', '<openbadges:credential><![CDATA[{}]]></openbadges:credential><circle');
    expect(() => unbake(twice)).toThrow(expect.objectContaining({ code: 'ERR_EMBEDDED_MALFORMED' }));
    expect(() => unbake(baked.replace(OB3_SVG_NAMESPACE, 'http://openbadges.org'))).toThrow(expect.objectContaining({ code: 'ERR_EMBEDDED_MALFORMED' }));
    expect(() => unbake(TEMPLATE_SVG)).toThrow(expect.objectContaining({ code: 'ERR_EMBEDDED_NONE' }));
    await expect(extractEmbedded(Buffer.from('<html><body>not svg'))).rejects.toMatchObject({ code: 'ERR_EMBEDDED_NONE' });
    await expect(extractEmbedded(Buffer.from(baked.slice(0, -20)))).rejects.toMatchObject({ code: 'ERR_EMBEDDED_MALFORMED' });
  });

  it('an entity-expansion bomb is not expanded by the XML parser', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "${'x'.repeat(1000)}"><!ENTITY b "${'&a;'.repeat(1000)}"><!ENTITY c "${'&b;'.repeat(1000)}">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>&c;</openbadges:credential></svg>`;
    const found = await extractEmbedded(Buffer.from(lol));
    expect(found?.credential.length).toBeLessThan(100);
    expect(await verdictOf(found!.credential)).toBe('invalid');
  });
});

/**
 * What a verdict rests on: the credential with its anchor proof's `created`, `transaction` and `block` set aside. Those
 * three are unsigned hints that the registry's own answer overrides ("lookup alone is authoritative", docs/anchoring.md;
 * "the anchor proof's `transaction` is reported, not re-read", docs/verification.md), so a byte changed in them alone
 * may still be valid. Everything else (signed content, chain, registry, root, path) counts; undefined when not JSON.
 */
function authoritativeContent(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(value);
  const document = value as Record<string, unknown>;
  const proof = findAnchorProof(document);
  const decoded = decodeAnchorProof(proof);
  if (proof === undefined || !decoded.ok) return JSON.stringify(document);
  const anchor = { ...decoded.anchor, transaction: '(hint)', block: -1 };
  const replaced = { ...proof, created: '(hint)', proofValue: anchor };
  const proofs = Array.isArray(document.proof) ? document.proof.map((p: unknown) => (p === proof ? replaced : p)) : replaced;
  return JSON.stringify({ ...document, proof: proofs });
}

describe('damaged baked images (property)', () => {
  // A damaged image may carry no readable credential, or one that no longer verifies; it is never an unexpected
  // exception and never "valid" with a credential other than the one baked (apart from the anchor proof's hints).
  it('a byte changed anywhere in a baked PNG or SVG: refused with ERR_EMBEDDED_* or not valid unless unchanged', async () => {
    const fc = await import('fast-check');
    const png = Buffer.from(bakePng(templatePng(), envelope));
    const svg = Buffer.from(bakeSvg(TEMPLATE_SVG, anchoredDi));
    const original = { png: authoritativeContent(JSON.stringify(envelope)), svg: authoritativeContent(JSON.stringify(anchoredDi)) };
    // The comparison sets aside only the hints: a changed claim still counts as a change.
    expect(authoritativeContent(JSON.stringify(tamperedDi))).not.toBe(original.svg);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'png' | 'svg'>('png', 'svg'), fc.nat(), fc.integer({ min: 1, max: 255 }), async (kind, at, xor) => {
        const bytes = Buffer.from(kind === 'png' ? png : svg);
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ xor;
        const text = await extractOrRefused(bytes);
        if (text === undefined) return;
        const content = authoritativeContent(text);
        const same = content !== undefined && content === original[kind];
        if (!same) expect(await verdictOf(text)).not.toBe('valid');
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});

describe('SVG baking checks its own result', () => {
  it('an "<svg" inside a comment or doctype before the root does not fool it: the credential lands in the real root', () => {
    const tricky = `<?xml version="1.0"?>\n<!-- old: <svg width="1"> -->\n<!DOCTYPE svg [<!-- <svg> -->]>\n${TEMPLATE_SVG.slice(TEMPLATE_SVG.indexOf('<svg'))}`;
    const baked = bakeSvg(tricky, anchoredDi);
    expect(baked).toContain('<!-- old: <svg width="1"> -->');
    expect(JSON.parse(unbake(baked).credential)).toEqual(anchoredDi);
  });
});

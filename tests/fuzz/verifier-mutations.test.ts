// The REAL verifier against changed credentials (DI and VC-JOSE) and JWS algorithm confusion: never valid, never throws.
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANCHOR_CRYPTOSUITE } from '../../src/anchoring/anchor-proof';
import { multikeyToJwk } from '../../src/did/multikey';
import type { VerificationOutcome } from '../../src/verify/result';
import { nastyJson } from './corpus';
import { bounded, prototypeClean } from './http-checks';
import { useFuzzSystem } from './system';

const env = useFuzzSystem();

type Json = unknown;
type Path = readonly (string | number)[];

/** Every path to a value inside `value` (objects and arrays included), outermost first. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: 'replace'; value: Json } | { kind: 'delete' } | { kind: 'add'; key: string; value: Json };

/** A deep copy of `root` with one mutation at `path` (the root itself is never deleted). */
function mutate(root: Json, path: Path, mutation: Mutation): Json {
  const copy = structuredClone(root) as Record<string | number, Json>;
  if (path.length === 0) return mutation.kind === 'add' ? Object.assign(copy, { [mutation.key]: mutation.value }) : copy;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (mutation.kind === 'replace') parent[last] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
    else parent[last] = mutation.value;
  }
  return copy;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  nastyJson.map((value) => ({ kind: 'replace' as const, value })),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('add' as const), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', '@context', '@type', 'id', 'proof', 'type'), fc.string({ maxLength: 8 })), value: nastyJson }),
);

/** True when `path` lies inside the anchor proof: unsigned routing data, checked against the chain instead. */
function inAnchorProof(root: Json, path: Path): boolean {
  const isAnchor = (node: Json) => typeof node === 'object' && node !== null && (node as { cryptosuite?: unknown }).cryptosuite === ANCHOR_CRYPTOSUITE;
  let node = root as Record<string | number, Json>;
  for (const key of path) {
    if (isAnchor(node)) return true;
    node = node?.[key] as Record<string | number, Json>;
  }
  return isAnchor(node);
}

async function verify(input: unknown): Promise<VerificationOutcome> {
  return bounded('verify', env.sys.system.verifier!.verify(input));
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('mutations of a valid signed credential', () => {
  it('the originals are valid', async () => {
    expect((await verify(env.sys.validDi)).verdict).toBe('valid');
    expect((await verify(env.sys.validJoseEnvelope)).verdict).toBe('valid');
  });

  it('Data Integrity: any change outside the anchor proof is never valid; no mutation throws', async () => {
    const paths = pathsOf(env.sys.validDi);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), mutationArb, async (path, mutation) => {
        const changed = mutate(env.sys.validDi, path, mutation);
        fc.pre(JSON.stringify(changed) !== JSON.stringify(env.sys.validDi));
        const outcome = await verify(changed);
        expect(['valid', 'invalid', 'indeterminate']).toContain(outcome.verdict);
        if (!inAnchorProof(env.sys.validDi, path)) expect(outcome.verdict, `${path.join('.')} ${JSON.stringify(mutation).slice(0, 200)}`).not.toBe('valid');
      }),
      { numRuns: 150, interruptAfterTimeLimit: 25_000 },
    );
  });

  it('VC-JOSE: a changed payload, header or signature byte is never valid', async () => {
    const jws = env.sys.validJws;
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    const payloadPaths = pathsOf(decoded);
    const envelopeWith = (forged: string) => ({ ...env.sys.validJoseEnvelope, id: `data:application/vc+jwt,${forged}` });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ at: fc.constantFrom(...payloadPaths), mutation: mutationArb }).map(({ at, mutation }) => `${header}.${b64(mutate(decoded, at, mutation))}.${signature}`),
          fc.record({ part: fc.constantFrom(0, 1, 2), index: fc.nat(), char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') }).map(({ part, index, char }) => {
            const parts = [header, payload, signature];
            const text = parts[part]!;
            const i = index % text.length;
            parts[part] = text.slice(0, i) + char + text.slice(i + 1);
            return parts.join('.');
          }),
        ),
        fc.boolean(),
        async (forged, inEnvelope) => {
          fc.pre(forged !== jws);
          const outcome = await verify(inEnvelope ? envelopeWith(forged) : forged);
          // base64url has spare bits in its last character: a change there can decode to the same bytes.
          const same = forged.split('.').every((p, i) => Buffer.from(p, 'base64url').equals(Buffer.from(jws.split('.')[i]!, 'base64url')));
          if (!same) expect(outcome.verdict, forged.slice(0, 120)).not.toBe('valid');
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });
});

describe('JWS algorithm confusion', () => {
  it('alg none, HS256 with the public key, embedded jwk, jku, x5u, crit, b64 and a foreign key: refused with a code, no fetch', async () => {
    const [headerPart, payloadPart] = env.sys.validJws.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { kid: string; alg: string; typ: string };
    const payload = Buffer.from(payloadPart, 'base64url');
    const did = header.kid.split('#')[0]!;
    const publicKeyMultibase = did.slice('did:key:'.length);
    const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const sign = (protectedHeader: Record<string, unknown>, key: Parameters<CompactSign['sign']>[0]) =>
      new CompactSign(payload).setProtectedHeader(protectedHeader as Parameters<CompactSign['setProtectedHeader']>[0]).sign(key);
    const rawPublic = Buffer.from(multikeyToJwk(publicKeyMultibase).x, 'base64url');
    const forged: Array<[string, string]> = [
      ['alg none, empty signature', `${b64({ alg: 'none', typ: 'vc+jwt', kid: header.kid })}.${payloadPart}.`],
      ['alg none, junk signature', `${b64({ alg: 'none', typ: 'vc+jwt', kid: header.kid })}.${payloadPart}.AAAA`],
      ['alg None', `${b64({ alg: 'None', typ: 'vc+jwt', kid: header.kid })}.${payloadPart}.AAAA`],
      ['HS256 keyed with the multibase public key', await sign({ alg: 'HS256', typ: 'vc+jwt', kid: header.kid }, new TextEncoder().encode(publicKeyMultibase))],
      ['HS256 keyed with the raw public key', await sign({ alg: 'HS256', typ: 'vc+jwt', kid: header.kid }, rawPublic)],
      ['embedded attacker jwk', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: header.kid, jwk: attackerJwk }, attacker.privateKey)],
      ['jku to the metadata service', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: header.kid, jku: 'http://169.254.169.254/keys.json' }, attacker.privateKey)],
      ['x5u to a public host', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: header.kid, x5u: 'https://evil.example/cert.pem' }, attacker.privateKey)],
      ['kid that is a URL', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'https://evil.example/key#1' }, attacker.privateKey)],
      ['kid on a metadata-address did:web', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'did:web:169.254.169.254#key-1' }, attacker.privateKey)],
      ['attacker did:key kid', await sign({ alg: 'EdDSA', typ: 'vc+jwt', kid: `did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK` }, attacker.privateKey)],
      ['unknown crit header', `${b64({ alg: 'EdDSA', typ: 'vc+jwt', kid: header.kid, crit: ['exp'], exp: 1 })}.${payloadPart}.${env.sys.validJws.split('.')[2]}`],
      ['b64 false', `${b64({ alg: 'EdDSA', typ: 'vc+jwt', kid: header.kid, b64: false, crit: ['b64'] })}.${payloadPart}.${env.sys.validJws.split('.')[2]}`],
      ['ES256 header on an Ed25519 key', `${b64({ alg: 'ES256', typ: 'vc+jwt', kid: header.kid })}.${payloadPart}.${env.sys.validJws.split('.')[2]}`],
      ['RS256 header', `${b64({ alg: 'RS256', typ: 'vc+jwt', kid: header.kid })}.${payloadPart}.${env.sys.validJws.split('.')[2]}`],
      ['typ JWT', await sign({ alg: 'EdDSA', typ: 'JWT', kid: header.kid }, attacker.privateKey)],
      ['header with __proto__', `${Buffer.from(`{"alg":"EdDSA","typ":"vc+jwt","kid":"${header.kid}","__proto__":{"alg":"none"}}`).toString('base64url')}.${payloadPart}.${env.sys.validJws.split('.')[2]}`],
    ];
    for (const [name, jws] of forged) {
      for (const input of [jws, { ...env.sys.validJoseEnvelope, id: `data:application/vc+jwt,${jws}` }]) {
        const outcome = await verify(input);
        expect(outcome.verdict, name).not.toBe('valid');
        const signature = outcome.checks.find((c) => c.check === 'signature');
        const parse = outcome.checks.find((c) => c.check === 'parse')!;
        if (parse.status !== 'passed') expect(parse.code, name).toMatch(/^PARSE_/);
        else {
          expect(signature?.status, name).not.toBe('passed');
          expect(signature?.code, name).toMatch(/^SIGNATURE_/);
          expect(String(signature?.data?.cause), name).toMatch(/^ERR_(JOSE|DID)_/);
        }
      }
    }
    expect(env.trap.attempts).toEqual([]);
    expect(prototypeClean()).toBe(true);
  });
});

describe('afterwards', () => {
  it('no outbound request was attempted', () => {
    expect(env.trap.attempts).toEqual([]);
  });
});

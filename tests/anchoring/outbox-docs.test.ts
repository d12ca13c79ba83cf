// docs/anchoring.md's generated worked example must agree with the code: encoding, decoding, path, carriers, leaf.
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { decodeAnchorProof, findAnchorProof, unwrapEnvelope, type Anchor } from '../../src/anchoring/anchor-proof';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { verifyPath } from '../../src/anchoring/merkle';
import { STATUS_REASON_CODES } from '../../src/anchoring/status-reasons';

const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'anchoring.md'), 'utf8');
const example = doc.slice(doc.indexOf('<!-- BEGIN GENERATED EXAMPLE'), doc.indexOf('<!-- END GENERATED EXAMPLE -->'));

/** The fenced block that follows the bold heading starting with `label`. */
function blockAfter(label: string): string {
  const at = example.indexOf(`**${label}`);
  expect(at, `no "${label}" in the worked example; regenerate it`).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)\n```/.exec(example.slice(at));
  if (!match) throw new Error(`no code block after ${label}`);
  return match[1]!;
}

describe('docs/anchoring.md worked example', () => {
  it('is present and every value agrees with the implementation', () => {
    const anchor = JSON.parse(blockAfter('1. Anchor JSON')) as Anchor;
    const jcs = blockAfter('2. JCS');
    const proofValue = blockAfter('3. proofValue');
    const proof = JSON.parse(blockAfter('4. Anchor proof object')) as Record<string, unknown>;
    const diCarrier = JSON.parse(blockAfter('5a.')) as Record<string, unknown>;
    const envelope = JSON.parse(blockAfter('5b.')) as Record<string, unknown>;
    const lookup = JSON.parse(blockAfter('6.')) as Record<string, unknown>;
    const leaf = /\*\*Leaf\*\*.*?`(0x[0-9a-f]{64})`/.exec(example)?.[1];

    expect(canonicalize(anchor)).toBe(jcs);
    expect(proofValue).toBe(`u${Buffer.from(jcs, 'utf8').toString('base64url')}`);
    expect(proof.proofValue).toBe(proofValue);
    expect(decodeAnchorProof(proof)).toEqual({ ok: true, anchor, created: proof.created });

    expect(leaf).toBeDefined();
    expect(credentialLeaf(diCarrier)).toBe(leaf);
    expect(verifyPath(leaf!, anchor.path, anchor.root)).toBe(true);
    expect(findAnchorProof(diCarrier)).toEqual(proof);
    expect((diCarrier.proof as { cryptosuite: string }[])[0]?.cryptosuite).toBe('eddsa-rdfc-2022');

    const { jws, anchorProof } = unwrapEnvelope(envelope);
    const other = decodeAnchorProof(anchorProof);
    expect(other.ok && other.anchor.root).toBe(anchor.root);
    expect(other.ok && verifyPath(credentialLeaf(jws), other.anchor.path, other.anchor.root)).toBe(true);
    expect(lookup).toMatchObject({ leafInRoot: true, status: 'active', issuerRegistered: true, issuerActive: true });
  });

  it('lists the on-chain reason numbers the code uses', () => {
    for (const [word, number] of Object.entries(STATUS_REASON_CODES)) expect(doc).toMatch(new RegExp(`\\| \`${word}\`[^|]*\\| ${number} \\|`));
  });
});

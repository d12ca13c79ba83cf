// The Open Badges 3.0 spec's own signed credential verifies, and changing any single field of it makes it fail.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON fixtures are walked and edited by path. */
import { describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyDataIntegrity } from '../../src/signing';
import { OB_ISSUER, readVector, testLoader } from './fixtures';

const FILE = 'openbadges-3.0/signed-openbadge-credential.json';

/** Every path to a string leaf, with `proof.proofValue` left out (changing it is a different kind of test). */
function stringPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...prefix, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...prefix, k]));
  return [];
}

function setAt(doc: any, path: (string | number)[], value: unknown): any {
  const copy = structuredClone(doc);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)!] = value;
  return copy;
}

describe('Open Badges 3.0 spec credential', () => {
  it('verifies with our wrapper, its issuer controlling the key', async () => {
    const result = await verifyDataIntegrity(readVector(FILE), { loader: testLoader });
    expect(result).toMatchObject({ verified: true, controller: OB_ISSUER, controllerIsIssuer: true });
  });

  it('verifies with raw @digitalbazaar/vc', async () => {
    const result = await vc.verifyCredential({ credential: readVector(FILE), suite: new DataIntegrityProof({ cryptosuite }), documentLoader: testLoader });
    expect(result.verified).toBe(true);
  });

  const paths = stringPaths(readVector(FILE)).filter((p) => p.join('.') !== 'proof.proofValue');
  it.each(paths.map((p) => [p.join('.'), p] as const))('fails when %s changes', async (_name, path) => {
    const original = readVector(FILE);
    let node: any = original;
    for (const key of path) node = node[key];
    const changed = setAt(original, path, `${node as string}x`);
    const result = await verifyDataIntegrity(changed, { loader: testLoader });
    expect(result.verified).toBe(false);
    expect(result.code).toMatch(/^ERR_/);
  });

  it('fails when the proofValue changes by one character', async () => {
    const original = readVector(FILE);
    const pv: string = original.proof.proofValue;
    const changed = setAt(original, ['proof', 'proofValue'], pv.slice(0, -1) + (pv.endsWith('r') ? 's' : 'r'));
    expect((await verifyDataIntegrity(changed, { loader: testLoader })).verified).toBe(false);
  });
});

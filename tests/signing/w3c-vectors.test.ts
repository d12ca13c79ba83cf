// The W3C eddsa-rdfc-2022 test vectors, reproduced step by step: canonical document, hashes, exact proofValue.
import { createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import jsonld from 'jsonld';
import { decodeBase58, encodeBase58, toBeArray } from 'ethers';
import { SigningKey, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';
import { multikeyToJwk } from '../../src/did';
import { readText, readVector, testLoader } from './fixtures';

const DIR = 'w3c-vc-di-eddsa/eddsa-rdfc-2022';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const canon = (doc: unknown): Promise<string> => jsonld.canonize(doc, { algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true, documentLoader: testLoader }) as Promise<string>;

function vectorKey(): SigningKey {
  const pair = readVector('w3c-vc-di-eddsa/keyPair.json');
  // privateKeyMultibase = base58btc(0x80 0x26 || 32-byte seed)
  const secret = toBeArray(decodeBase58(pair.privateKeyMultibase.slice(1)));
  expect([secret[0], secret[1]]).toEqual([0x80, 0x26]);
  const seed = Buffer.from(secret.slice(2)).toString('base64url');
  const key = SigningKey.fromPrivateJwk({ ...multikeyToJwk(pair.publicKeyMultibase), d: seed });
  expect(key.publicKeyMultibase).toBe(pair.publicKeyMultibase);
  const did = `did:key:${pair.publicKeyMultibase}`;
  return key.bind(did);
}

describe('W3C vc-di-eddsa eddsa-rdfc-2022 vectors', () => {
  it('reproduces the canonical document and its hash', async () => {
    const canonical = await canon(readVector('w3c-vc-di-eddsa/unsigned.json'));
    expect(canonical).toBe(readText(`${DIR}/canonDocDataInt.txt`));
    expect(sha256(canonical)).toBe(readText(`${DIR}/docHashDataInt.txt`).trim());
  });

  it('reproduces the canonical proof configuration and its hash', async () => {
    const canonical = await canon(readVector(`${DIR}/proofConfigDataInt.json`));
    expect(canonical).toBe(readText(`${DIR}/proofCanonDataInt.txt`));
    expect(sha256(canonical)).toBe(readText(`${DIR}/proofHashDataInt.txt`).trim());
  });

  it('signs proofHash || docHash to the exact proofValue by hand', () => {
    const combined = readText(`${DIR}/combinedHashDataInt.txt`).trim();
    expect(combined).toBe(readText(`${DIR}/proofHashDataInt.txt`).trim() + readText(`${DIR}/docHashDataInt.txt`).trim());
    const signature = sign(null, Buffer.from(combined, 'hex'), vectorKey().privateKeyObject());
    expect(signature.toString('hex')).toBe(readText(`${DIR}/sigHexDataInt.txt`).trim());
    expect('z' + encodeBase58(signature)).toBe(readVector(`${DIR}/signedDataInt.json`).proof.proofValue);
  });

  it('signDataIntegrity gives exactly signedDataInt.json (Ed25519 is deterministic)', async () => {
    const proofConfig = readVector(`${DIR}/proofConfigDataInt.json`);
    const signed = await signDataIntegrity(readVector('w3c-vc-di-eddsa/unsigned.json'), {
      signingKey: vectorKey(),
      loader: testLoader,
      now: () => new Date(proofConfig.created),
    });
    // The same proof, byte for byte; microcred always writes `proof` as a set (a one-item array).
    const vector = readVector(`${DIR}/signedDataInt.json`);
    expect(signed).toEqual({ ...vector, proof: [vector.proof] });
  });

  it('the signed vector verifies; its https issuer is reported as not the key controller', async () => {
    const result = await verifyDataIntegrity(readVector(`${DIR}/signedDataInt.json`), { loader: testLoader });
    expect(result.verified).toBe(true);
    expect(result.controller).toBe('did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2');
    expect(result.controllerIsIssuer).toBe(false);
  });
});

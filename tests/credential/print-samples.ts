// Prints the sample credential in both securing forms and the leaf worked example for docs/credentials.md (run with tsx).
import { decodeBase58, toBeArray } from 'ethers';
import { credentialLeaf, leafCanonicalText } from '../../src/anchoring/leaf';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose, verifyDataIntegrity, verifyJose } from '../../src/signing';
import { multikeyToJwk } from '../../src/did';
import { readVector, sampleRecord } from '../signing/fixtures';

async function main(): Promise<void> {
  // The W3C test-vector key: public, so the samples are reproducible and nobody mistakes it for a real issuer key.
  const pair = readVector('w3c-vc-di-eddsa/keyPair.json');
  const seed = Buffer.from(toBeArray(decodeBase58(pair.privateKeyMultibase.slice(1))).slice(2)).toString('base64url');
  const key = SigningKey.fromPrivateJwk({ ...multikeyToJwk(pair.publicKeyMultibase), d: seed });
  const issuer = createDidKeyIssuer(key, { name: 'St Example Hospital', url: 'https://hospital.example' });
  const now = () => new Date('2025-03-02T08:00:00Z');
  const credential = buildCredential({
    record: sampleRecord(),
    issuer: issuer.profile,
    now,
    randomUUID: () => '0b6c2f44-3c6d-4a8e-9a51-7e2d3b1f9c10',
    randomSalt: () => '5f1d0c3a9e8b7a6f5e4d3c2b1a090807',
  });
  const di = await signDataIntegrity(credential, { signingKey: issuer.signingKey, now });
  const jws = await signJose(credential, { signingKey: issuer.signingKey });
  if (!(await verifyDataIntegrity(di)).verified || !(await verifyJose(jws)).verified) throw new Error('samples do not verify');
  const out = {
    record: sampleRecord(),
    dataIntegrity: di,
    jws,
    jwsHeader: JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8')) as unknown,
    canonical: leafCanonicalText(di),
    leaf: credentialLeaf(di),
    leafFromJws: credentialLeaf(jws),
    small: { input: { proof: { type: 'DataIntegrityProof' }, b: 'é', a: [1.50, true] }, canonical: leafCanonicalText({ b: 'é', a: [1.5, true] }), leaf: credentialLeaf({ b: 'é', a: [1.5, true] }) },
  };
  console.log(JSON.stringify(out, null, 2));
}

void main();

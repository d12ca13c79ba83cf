// Data Integrity round trips, the anchor proof beside the signature, tampering at any depth, VC 1.1 and interop.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON fixtures are walked and edited by path. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { buildCredential } from '../../src/credential';
import { ANCHOR_CRYPTOSUITE, SigningKey, createDidKeyIssuer, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';
import { sampleRecord, testLoader } from './fixtures';

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'St Example Hospital', url: 'https://hospital.example' });
const now = () => new Date('2025-03-02T08:00:00Z');

async function signedSample(): Promise<any> {
  const credential = buildCredential({ record: { ...sampleRecord(), learner: { did: 'did:example:ada', name: 'Ada' } }, issuer: issuer.profile, now });
  const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader, now });
  // Issued as a one-proof set; the tests below build their own sets from the one proof.
  expect(Array.isArray(signed.proof) && signed.proof.length === 1).toBe(true);
  return { ...signed, proof: (signed.proof as unknown[])[0] };
}

function anchorProof(): Record<string, unknown> {
  const anchor = { chainId: 31337, registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: '0x' + 'ab'.repeat(32), path: [], tx: '0x' + 'cd'.repeat(32) };
  return {
    type: 'DataIntegrityProof',
    cryptosuite: ANCHOR_CRYPTOSUITE,
    proofPurpose: 'assertionMethod',
    created: '2025-03-02T08:05:00Z',
    proofValue: 'u' + Buffer.from(canonicalize(anchor)!, 'utf8').toString('base64url'),
  };
}

describe('Data Integrity eddsa-rdfc-2022', () => {
  it('round trips and names the signing key and its controller', async () => {
    const signed = await signedSample();
    expect(signed.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', created: '2025-03-02T08:00:00Z', verificationMethod: issuer.signingKey.id });
    const result = await verifyDataIntegrity(signed, { loader: testLoader });
    expect(result).toMatchObject({ verified: true, verificationMethod: issuer.signingKey.id, controller: issuer.did, controllerIsIssuer: true });
  });

  it('interop: raw @digitalbazaar/vc verifyCredential accepts it', async () => {
    const result = await vc.verifyCredential({ credential: await signedSample(), suite: new DataIntegrityProof({ cryptosuite }), documentLoader: testLoader });
    expect(result.verified).toBe(true);
  });

  it('a second proof (the anchor proof) does not break the signature, for us and for raw @digitalbazaar/vc', async () => {
    const signed = await signedSample();
    const anchored = { ...signed, proof: [signed.proof, anchorProof()] };
    expect(await verifyDataIntegrity(anchored, { loader: testLoader })).toMatchObject({ verified: true, controllerIsIssuer: true });
    const raw = await vc.verifyCredential({ credential: anchored, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: testLoader });
    expect(raw.verified).toBe(true);
  });

  it('an anchor proof alone is not a signature', async () => {
    const signed = await signedSample();
    expect(await verifyDataIntegrity({ ...signed, proof: [anchorProof()] }, { loader: testLoader })).toMatchObject({ verified: false, code: 'ERR_DI_NO_PROOF' });
    const { proof: _p, ...unsigned } = signed;
    expect((await verifyDataIntegrity(unsigned, { loader: testLoader })).code).toBe('ERR_DI_NO_PROOF');
  });

  it('a signature proof relabelled as an anchor proof leaves no signature', async () => {
    const signed = await signedSample();
    const relabelled = { ...signed, proof: { ...signed.proof, cryptosuite: ANCHOR_CRYPTOSUITE } };
    expect((await verifyDataIntegrity(relabelled, { loader: testLoader })).code).toBe('ERR_DI_NO_PROOF');
  });

  it('a tampered signature among two signature proofs fails (every signature proof must verify)', async () => {
    const signed = await signedSample();
    const second = { ...signed.proof, proofValue: signed.proof.proofValue.slice(0, -2) + '11' };
    expect((await verifyDataIntegrity({ ...signed, proof: [signed.proof, second] }, { loader: testLoader })).verified).toBe(false);
  });

  it('never throws on junk', async () => {
    for (const junk of [null, 42, 'x', [], { proof: 5 }, { proof: [null] }]) {
      const result = await verifyDataIntegrity(junk, { loader: testLoader });
      expect(result.verified).toBe(false);
      expect(result.code).toMatch(/^ERR_/);
    }
  });

  it('changing, adding or removing any field at any depth makes verification fail (fast-check)', async () => {
    const signed = await signedSample();
    type Path = (string | number)[];
    const paths: Path[] = [];
    const walk = (node: unknown, path: Path) => {
      paths.push(path);
      if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i]));
      else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
    };
    walk(signed, []);
    const editable = paths.filter((p) => p.length > 0);
    const containers = paths.filter((p) => {
      let node: any = signed;
      for (const k of p) node = node[k];
      return typeof node === 'object' && node !== null && !Array.isArray(node);
    });
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('change' as const), path: fc.constantFrom(...editable), value: fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.boolean()) }),
      fc.record({ kind: fc.constant('remove' as const), path: fc.constantFrom(...editable.filter((p) => typeof p.at(-1) === 'string')), value: fc.constant(null) }),
      fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...containers), value: fc.string({ minLength: 1, maxLength: 8 }) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const copy: any = structuredClone(signed);
        let parent: any = copy;
        for (const k of m.path.slice(0, -1)) parent = parent[k];
        const last = m.path.at(-1)!;
        if (m.kind === 'change') {
          fc.pre(JSON.stringify(parent[last]) !== JSON.stringify(m.value));
          parent[last] = m.value;
        } else if (m.kind === 'remove') {
          delete parent[last];
        } else {
          const target = m.path.length === 0 ? copy : parent[last];
          // `name`/`description` exist in every scope of these contexts, so the new field is a real, expandable term.
          const key = 'description' in target ? 'name' : 'description';
          fc.pre(!(key in target));
          target[key] = m.value;
        }
        const result = await verifyDataIntegrity(copy, { loader: testLoader });
        expect(result.verified).toBe(false);
      }),
      { numRuns: 60, seed: 20260101 },
    );
  });
});

describe('Ed25519Signature2020 and VC Data Model 1.1', () => {
  it('verifies a VC 1.1 credential signed with Ed25519Signature2020 by a did:key', async () => {
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const credential = {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
      id: 'urn:uuid:6a1c1b2e-1111-4a5b-9c9d-0123456789ab',
      type: ['VerifiableCredential'],
      issuer: did,
      issuanceDate: '2024-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:ada' },
    };
    const signed = await vc.issue({ credential, suite: new Ed25519Signature2020({ signer: key.signer() }), documentLoader: testLoader });
    expect(signed.proof.type).toBe('Ed25519Signature2020');
    expect(await verifyDataIntegrity(signed, { loader: testLoader })).toMatchObject({ verified: true, controllerIsIssuer: true, proofTypes: ['Ed25519Signature2020'] });
    const tampered = { ...signed, credentialSubject: { id: 'did:example:eve' } };
    expect((await verifyDataIntegrity(tampered, { loader: testLoader })).code).toBe('ERR_DI_SIGNATURE');
  });
});

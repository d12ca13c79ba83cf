// Differential: the templated eddsa-rdfc-2022 path (signDataIntegrity / verifyDataIntegrity) against the plain library
// path (@digitalbazaar/vc with the library cryptosuite, jsonld-signatures verify) on 10,000 generated credentials.
import { describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import { ANCHOR_CRYPTOSUITE, SigningKey, createDidKeyIssuer, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';
import { testLoader } from './fixtures';
import { genericCredential, leafPaths, mutateLeaf, openBadgeCredential, rng } from './generated-credentials';

const CASES = 10_000;
// Every single-leaf mutation of the first MUTATED cases (both paths must refuse or accept alike).
const MUTATED = 60;
// Valid-credential verification is compared on every VERIFY_EVERY-th case.
const VERIFY_EVERY = 20;
const SEED = 0x5eed19;

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'Différential Hôpital', url: 'https://hospital.example' });
const librarySuites = [new DataIntegrityProof({ cryptosuite })];
const purpose = new jsigs.purposes.AssertionProofPurpose();

type Outcome = { ok: true; document: Record<string, unknown> } | { ok: false };

async function fastSign(credential: Record<string, unknown>, created: Date): Promise<Outcome> {
  try {
    const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: testLoader, now: () => created });
    return { ok: true, document: { ...signed, proof: (signed.proof as unknown[])[0] } };
  } catch {
    return { ok: false };
  }
}

// What signDataIntegrity does, with the library's own cryptosuite.
async function librarySign(credential: Record<string, unknown>, created: Date): Promise<Outcome> {
  const suite = new DataIntegrityProof({ signer: issuer.signingKey.dataIntegritySigner(), date: new Date(Math.floor(created.getTime() / 1000) * 1000), cryptosuite });
  try {
    return { ok: true, document: (await vc.issue({ credential: structuredClone(credential), suite, documentLoader: testLoader, now: created })) as Record<string, unknown> };
  } catch {
    return { ok: false };
  }
}

async function libraryVerifies(document: unknown): Promise<boolean> {
  const doc = document as Record<string, unknown>;
  const proofs = (Array.isArray(doc.proof) ? doc.proof : [doc.proof]) as Array<Record<string, unknown>>;
  const signatures = proofs.filter((p) => p.cryptosuite !== ANCHOR_CRYPTOSUITE);
  try {
    const outcome = (await jsigs.verify({ ...doc, proof: signatures.length === 1 ? signatures[0] : signatures }, { suite: librarySuites, purpose, documentLoader: testLoader })) as { verified: boolean };
    return outcome.verified;
  } catch {
    return false;
  }
}

function anchorProof(): Record<string, unknown> {
  const anchor = { chainId: 31337, registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', root: '0x' + 'ab'.repeat(32), path: [], tx: '0x' + 'cd'.repeat(32) };
  return { type: 'DataIntegrityProof', cryptosuite: ANCHOR_CRYPTOSUITE, proofPurpose: 'assertionMethod', created: '2025-03-02T08:05:00Z', proofValue: 'u' + Buffer.from(canonicalize(anchor)!, 'utf8').toString('base64url') };
}

describe('templated eddsa-rdfc-2022 against the library path', () => {
  it(`gives the same signed bytes for ${CASES.toLocaleString('en')} generated credentials, and verification agrees on valid and on every single-leaf mutation`, async () => {
    const r = rng(SEED);
    const now = (): Date => new Date('2025-03-02T08:00:00Z');
    let signedBoth = 0;
    let refusedBoth = 0;
    let mutations = 0;
    let mutationsRefused = 0;
    for (let i = 0; i < CASES; i++) {
      const credential = i % 3 === 0 ? genericCredential(r, issuer.did) : openBadgeCredential(r, issuer.profile, now);
      const created = new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 3e10));
      const [fast, library] = await Promise.all([fastSign(credential, created), librarySign(credential, created)]);
      const where = `case ${i} (seed ${SEED}): ${JSON.stringify(credential)}`;
      expect(fast.ok, where).toBe(library.ok);
      if (!fast.ok || !library.ok) {
        refusedBoth++;
        continue;
      }
      expect(JSON.stringify(fast.document), where).toBe(JSON.stringify(library.document));
      signedBoth++;
      const signed = { ...fast.document, proof: i % 2 === 0 ? [fast.document.proof] : [fast.document.proof, anchorProof()] };
      if (i % VERIFY_EVERY === 0 || i < MUTATED) {
        expect((await verifyDataIntegrity(signed, { loader: testLoader })).verified, where).toBe(true);
        expect(await libraryVerifies(signed), where).toBe(true);
      }
      if (i < MUTATED) {
        for (const path of leafPaths(signed)) {
          const mutated = mutateLeaf(signed, path);
          const fastVerdict = (await verifyDataIntegrity(mutated, { loader: testLoader })).verified;
          expect(fastVerdict, `${where} mutated at ${path.join('.')}`).toBe(await libraryVerifies(mutated));
          mutations++;
          if (!fastVerdict) mutationsRefused++;
        }
      }
    }
    // The generator must exercise both outcomes and real mutations, or the comparison proves little.
    expect(signedBoth).toBeGreaterThan(CASES * 0.6);
    expect(refusedBoth).toBeGreaterThan(0);
    expect(mutations).toBeGreaterThan(MUTATED * 10);
    expect(mutationsRefused).toBeGreaterThan(mutations * 0.9);
  }, 900_000);
});

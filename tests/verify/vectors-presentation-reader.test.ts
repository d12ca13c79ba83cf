// The interop vectors through the verifier, presentations with a holder proof, and the chain reader's caching and counting.
import { describe, expect, it } from 'vitest';
import jsigsModule from 'jsonld-signatures';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries/digitalbazaar';
import { createVerifier, safeCell, type VerificationOutcome } from '../../src/verify';
import { readVector, testLoader } from '../signing/fixtures';
import { NOW, anchorBatch, fakeAnchor, fakeReader, goodLookup, lookupOf, makeIssuer, signedDi, CHAIN_ID, FAKE_REGISTRY } from './fixtures';

const status = (o: VerificationOutcome, check: string) => o.checks.find((c) => c.check === check);

describe('interop vectors', () => {
  it('the Open Badges spec credential: signature passes, anchor skipped, verdict follows the policy', async () => {
    const vector = readVector('openbadges-3.0/signed-openbadge-credential.json');
    const strict = await createVerifier({ loader: testLoader, now: () => NOW }).verify(vector);
    expect(status(strict, 'signature')).toMatchObject({ status: 'passed', code: 'SIGNATURE_VALID' });
    expect(status(strict, 'issuer-key')).toMatchObject({ status: 'passed', code: 'ISSUER_KEY_BOUND' });
    expect(status(strict, 'schema')).toMatchObject({ status: 'passed', code: 'SCHEMA_VALID' });
    expect(status(strict, 'anchor')).toMatchObject({ status: 'skipped', code: 'ANCHOR_PENDING' });
    expect(strict.verdict).toBe('indeterminate');
    const lenient = await createVerifier({ loader: testLoader, now: () => NOW, policy: { acceptPendingAnchor: true } }).verify(vector);
    expect(lenient).toMatchObject({ verdict: 'valid', flags: ['pending-anchor'] });
    expect(lenient.summary).toMatchObject({ achievementName: 'Teamwork', issuerName: 'Example Corp', recipient: 'did:example:ebfeb1f712ebc6f1c276e12ec21' });
  });

  it('the W3C signed vector: signature passes, the key is not the https issuer’s (as its README documents)', async () => {
    const outcome = await createVerifier({ loader: testLoader, now: () => NOW, policy: { acceptPendingAnchor: true } }).verify(readVector('w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json'));
    expect(status(outcome, 'signature')).toMatchObject({ status: 'passed' });
    expect(status(outcome, 'issuer-key')).toMatchObject({ status: 'failed', code: 'ISSUER_KEY_MISMATCH' });
    expect(status(outcome, 'schema')).toMatchObject({ status: 'passed', data: { openBadges: false } });
    expect(outcome.verdict).toBe('invalid');
  });
});

const jsigs = jsigsModule as unknown as {
  sign(doc: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  purposes: { AuthenticationProofPurpose: new (o: { challenge: string; domain?: string }) => unknown };
};

describe('presentations', () => {
  const holder = makeIssuer('Holder');
  const issuer = makeIssuer();
  async function presentation(credentials: unknown[], challenge = 'nonce-1', domain = 'verifier.example'): Promise<Record<string, unknown>> {
    const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: holder.signingKey.dataIntegritySigner() });
    const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: credentials };
    return jsigs.sign(vp, { suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({ challenge, domain }), documentLoader: testLoader });
  }
  const verifier = () => createVerifier({ loader: testLoader, now: () => NOW, chain: { reader: fakeReader(lookupOf(issuer.did)) } });

  it('verifies the holder proof with challenge and domain, and each credential inside', async () => {
    // Issued to the holder's DID, so that the holder presenting it is bound to it (see holder-binding.test.ts).
    const good = (await anchorBatch([await signedDi(issuer, { learner: { name: 'Holder', did: holder.did } })], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor })).anchored[0]!;
    const tampered = { ...good, name: 'Changed' };
    const vp = await presentation([good, tampered]);
    const outcome = await verifier().verify(vp, { challenge: 'nonce-1', domain: 'verifier.example' });
    expect(outcome.kind).toBe('presentation');
    expect(status(outcome, 'presentation')).toMatchObject({ status: 'passed', code: 'PRESENTATION_PROOF_VALID' });
    expect(outcome.credentials?.map((c) => c.verdict)).toEqual(['valid', 'invalid']);
    expect(outcome.verdict).toBe('invalid');
    const onlyGood = await verifier().verify(await presentation([good]), { challenge: 'nonce-1', domain: 'verifier.example' });
    expect(onlyGood.verdict).toBe('valid');
  });

  it('fails a wrong challenge, a wrong domain, a changed presentation and an unsigned one when a challenge is asked', async () => {
    const vp = await presentation([]);
    expect(status(await verifier().verify(vp, { challenge: 'other' }), 'presentation')).toMatchObject({ status: 'failed', code: 'PRESENTATION_CHALLENGE_MISMATCH' });
    expect(status(await verifier().verify(vp, { challenge: 'nonce-1', domain: 'evil.example' }), 'presentation')).toMatchObject({ status: 'failed', code: 'PRESENTATION_DOMAIN_MISMATCH' });
    expect(status(await verifier().verify({ ...vp, holder: issuer.did }, { challenge: 'nonce-1' }), 'presentation')).toMatchObject({ status: 'failed', code: 'PRESENTATION_PROOF_INVALID' });
    const { proof: _p, ...unsigned } = vp;
    expect(status(await verifier().verify(unsigned, { challenge: 'nonce-1' }), 'presentation')).toMatchObject({ status: 'failed', code: 'PRESENTATION_UNSIGNED' });
    expect(status(await verifier().verify(unsigned), 'presentation')).toMatchObject({ status: 'skipped', code: 'PRESENTATION_UNSIGNED' });
  });
});

describe('chain reader', () => {
  const issuer = makeIssuer();
  it('coalesces identical reads in flight, caches statuses for the TTL on the injected clock', async () => {
    let clock = NOW.getTime();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reader = fakeReader(async () => {
      await gate;
      return goodLookup(issuer.did);
    }, { statusTtlMs: 5_000, now: () => new Date(clock) });
    const root = `0x${'11'.repeat(32)}`;
    const leaf = `0x${'22'.repeat(32)}`;
    const reads = Array.from({ length: 10 }, () => reader.lookup(root, leaf, []));
    release();
    await Promise.all(reads);
    expect(reader.calls()).toBe(1);
    expect(reader.stats()).toMatchObject({ reads: 1, coalesced: 9 });
    await reader.lookup(root, leaf, []);
    expect(reader.calls()).toBe(1);
    clock += 5_001;
    await reader.lookup(root, leaf, []);
    expect(reader.calls()).toBe(2);
    expect(reader.knownAnchor(root)).toMatchObject({ anchoredBy: goodLookup('').anchoredBy });
  });
});

describe('CSV cells', () => {
  it.each([['=1+1', "'=1+1"], ['+1', "'+1"], ['-1', "'-1"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['\rx', "'\rx"], ['plain', 'plain'], [undefined, '']])('%j → %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });
});

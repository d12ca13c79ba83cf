// The interop vectors through the verifier, presentations with a holder proof, and the chain reader's caching and counting.
import { describe, expect, it } from 'vitest';
import jsigsModule from 'jsonld-signatures';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries';
import { MicrocredError } from '../../src/errors';
import { createVerifier, safeCell, type VerificationOutcome } from '../../src/verify';
import { readVector, testLoader } from '../signing/fixtures';
import { NOW, anchorBatch, fakeAnchor, fakeReader, goodLookup, lookupOf, makeIssuer, signedDi, CHAIN_ID, FAKE_REGISTRY } from './fixtures';

const status = (o: VerificationOutcome, check: string) => o.checks.find((c) => c.check === check);

describe('interop vectors', () => {
  it('the Open Badges spec credential: signature passes; no registry to ask, so never valid, whatever the policy', async () => {
    const vector = readVector('openbadges-3.0/signed-openbadge-credential.json');
    const strict = await createVerifier({ loader: testLoader, now: () => NOW }).verify(vector);
    expect(status(strict, 'signature')).toMatchObject({ status: 'passed', code: 'SIGNATURE_VALID' });
    expect(status(strict, 'issuer-key')).toMatchObject({ status: 'passed', code: 'ISSUER_KEY_BOUND' });
    expect(status(strict, 'schema')).toMatchObject({ status: 'passed', code: 'SCHEMA_VALID' });
    expect(status(strict, 'anchor')).toMatchObject({ status: 'skipped', code: 'ANCHOR_ABSENT' });
    expect(status(strict, 'accredited-issuer')).toMatchObject({ status: 'error', code: 'ISSUER_NO_READER' });
    expect(strict.verdict).toBe('indeterminate');
    const lenient = await createVerifier({ loader: testLoader, now: () => NOW, policy: { acceptPendingAnchor: true, requireAccreditation: false } }).verify(vector);
    expect(lenient).toMatchObject({ verdict: 'indeterminate', flags: [] });
    expect(lenient.reasons.map((r) => r.code).sort()).toEqual(['ANCHOR_ABSENT', 'ISSUER_NO_READER', 'REVOCATION_NO_READER']);
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

  it('asks the registry about all the credentials inside in one lookupMany call', async () => {
    // Issued to the holder's DID, so that the presenter is bound to each (see holder-binding.test.ts).
    const toHolder = () => signedDi(issuer, { learner: { name: 'Holder', did: holder.did } });
    const batch = await anchorBatch([await toHolder(), await toHolder(), await toHolder()], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor });
    const reader = fakeReader(lookupOf(issuer.did));
    const outcome = await createVerifier({ loader: testLoader, now: () => NOW, chain: { reader } }).verify(await presentation(batch.anchored), { challenge: 'nonce-1', domain: 'verifier.example' });
    expect(outcome.credentials?.map((c) => c.verdict)).toEqual(['valid', 'valid', 'valid']);
    expect({ calls: reader.calls(), questions: reader.questions() }).toEqual({ calls: 1, questions: 3 });
  });

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
  const q = (n: number) => ({ issuerId: `0x${'aa'.repeat(32)}`, root: `0x${'11'.repeat(32)}`, leaf: `0x${n.toString(16).padStart(64, '0')}`, path: [] });
  it('coalesces identical reads in flight, caches statuses for the TTL on the injected clock', async () => {
    let clock = NOW.getTime();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reader = fakeReader(async () => {
      await gate;
      return goodLookup(issuer.did);
    }, { statusTtlMs: 5_000, now: () => new Date(clock) });
    const reads = Array.from({ length: 10 }, () => reader.lookup(q(1)));
    release();
    await Promise.all(reads);
    expect(reader.calls()).toBe(1);
    expect(reader.stats()).toMatchObject({ reads: 1, lookups: 1, coalesced: 9 });
    await reader.lookup(q(1));
    expect(reader.calls()).toBe(1);
    clock += 5_001;
    await reader.lookup(q(1));
    expect(reader.calls()).toBe(2);
    expect(reader.knownAnchor(q(1).issuerId, q(1).root)).toEqual({ anchoredAt: goodLookup('').anchoredAt, anchoredBlock: 7 });
  });
  it('batches questions asked together into lookupMany calls of at most batchSize', async () => {
    const reader = fakeReader((query) => Promise.resolve(goodLookup(issuer.did, { statusReason: Number(BigInt(query.leaf)) })), { batchSize: 100 });
    const queries = Array.from({ length: 1_001 }, (_, i) => q(i));
    await reader.prefetch(queries);
    expect(reader.calls()).toBe(11);
    expect(reader.questions()).toBe(1_001);
    // Every answer went to its own question, and a second pass costs nothing.
    const answers = await Promise.all(queries.map((query) => reader.lookup(query)));
    expect(answers.map((a) => a.statusReason)).toEqual(queries.map((_, i) => i));
    expect(reader.calls()).toBe(11);
    expect(reader.stats().cacheHits).toBe(1_001);
  });
  it('keeps a registry misconfiguration, and retries a node that did not answer (not before 5 s)', async () => {
    let attempts = 0;
    let clock = NOW.getTime();
    const down = fakeReader(lookupOf(issuer.did), {
      now: () => new Date(clock),
      checkRegistry: () => {
        attempts++;
        return Promise.reject(new MicrocredError(attempts === 1 ? 'ERR_RPC_UNAVAILABLE' : 'ERR_REGISTRY_NO_CODE', 'x'));
      },
    });
    await expect(down.checkRegistry()).rejects.toMatchObject({ code: 'ERR_RPC_UNAVAILABLE' });
    await expect(down.checkRegistry()).rejects.toMatchObject({ code: 'ERR_RPC_UNAVAILABLE' });
    expect(attempts).toBe(1);
    clock += 5_001;
    await expect(down.checkRegistry()).rejects.toMatchObject({ code: 'ERR_REGISTRY_NO_CODE' });
    await expect(down.checkRegistry()).rejects.toMatchObject({ code: 'ERR_REGISTRY_NO_CODE' });
    expect(attempts).toBe(2);
  });
});

describe('CSV cells', () => {
  it.each([['=1+1', "'=1+1"], ['+1', "'+1"], ['-1', "'-1"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['\rx', "'\rx"], ['plain', 'plain'], [undefined, '']])('%j → %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });
});

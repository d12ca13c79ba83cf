// Each check on its own: passed, failed, skipped and error cases, through the real verifier with a scripted chain.
import { describe, expect, it } from 'vitest';
import * as bitstringStatusList from '@digitalbazaar/vc-bitstring-status-list';
import { RpcUnavailableError } from '../../src/chain/errors';
import { signDataIntegrity, signJose } from '../../src/signing';
import { createVerifier, endorsementCheck, parseInput, type CheckName, type CheckResult, type EndorsementReport, type VerificationOutcome } from '../../src/verify';
import { buildEndorsement } from '../../src/issuer';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, signedDi, signedJws } from './fixtures';

const issuer = makeIssuer();
const other = makeIssuer('Someone Else');

function check(outcome: VerificationOutcome, name: CheckName): CheckResult {
  const found = outcome.checks.find((c) => c.check === name);
  if (!found) throw new Error(`no ${name} check`);
  return found;
}

function verifier(lookup = lookupOf(issuer.did), options: { now?: Date; acceptPendingAnchor?: boolean } = {}) {
  return createVerifier({ chain: { reader: fakeReader(lookup) }, now: () => options.now ?? NOW, policy: { acceptPendingAnchor: options.acceptPendingAnchor ?? false } });
}

async function anchoredDi(overrides: Record<string, unknown> = {}, registry = FAKE_REGISTRY, chainId = CHAIN_ID): Promise<Record<string, unknown>> {
  return (await anchorBatch([await signedDi(issuer, overrides)], { chainId, registry, anchorRoot: fakeAnchor })).anchored[0]!;
}

describe('parse', () => {
  it('passes a DI credential, a JWS, an envelope and a presentation', async () => {
    const di = await signedDi(issuer);
    const jws = await signedJws(issuer);
    const envelope = (await anchorBatch([jws], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor })).anchored[0]!;
    expect(parseInput(di)).toMatchObject({ kind: 'credential', securing: 'data-integrity' });
    expect(parseInput(jws)).toMatchObject({ kind: 'credential', securing: 'vc-jose' });
    expect(parseInput(` ${jws}\n`)).toMatchObject({ kind: 'credential', securing: 'vc-jose' });
    expect(parseInput(JSON.stringify(di))).toMatchObject({ kind: 'credential', securing: 'data-integrity' });
    expect(parseInput(envelope)).toMatchObject({ kind: 'credential', securing: 'vc-jose-envelope', jws });
    expect(parseInput({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [di] })).toMatchObject({ kind: 'presentation' });
  });

  it.each([
    ['a number', 42, 'PARSE_UNKNOWN_FORMAT'],
    ['null', null, 'PARSE_UNKNOWN_FORMAT'],
    ['an array', [1, 2], 'PARSE_UNKNOWN_FORMAT'],
    ['plain text', 'hello world', 'PARSE_UNKNOWN_FORMAT'],
    ['broken JSON', '{"type": ', 'PARSE_JSON_INVALID'],
    ['an object that is no credential', { hello: 'world' }, 'PARSE_UNKNOWN_FORMAT'],
    ['a JWS whose payload is not a credential', `eyJhbGciOiJFZERTQSJ9.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`, 'PARSE_UNKNOWN_FORMAT'],
    ['a bad envelope', { type: 'EnvelopedVerifiableCredential', id: 'data:text/plain,hi' }, 'PARSE_ENVELOPE_MALFORMED'],
    ['deep nesting', JSON.parse('['.repeat(0) + '{"type":["VerifiableCredential"],"x":' + '['.repeat(200) + ']'.repeat(200) + '}'), 'PARSE_TOO_DEEP'],
    ['a huge string', { type: ['VerifiableCredential'], x: 'a'.repeat(1_100_000) }, 'PARSE_TOO_LARGE'],
  ])('fails %s with its code, and every other check is skipped', async (_name, input, code) => {
    const outcome = await verifier().verify(input);
    expect(outcome.kind).toBe('unknown');
    expect(outcome.verdict).toBe('invalid');
    expect(check(outcome, 'parse')).toMatchObject({ status: 'failed', code });
    expect(outcome.checks.filter((c) => c.check !== 'parse').every((c) => c.status === 'skipped')).toBe(true);
  });
});

describe('schema', () => {
  it('passes an Open Badges credential', async () => {
    expect(check(await verifier().verify(await signedDi(issuer)), 'schema')).toMatchObject({ status: 'passed', code: 'SCHEMA_VALID', data: { openBadges: true, vcVersion: '2.0' } });
  });
  it('fails an Open Badge without an achievement, and a VC without an issuer', async () => {
    const credential = await signedDi(issuer);
    const noAchievement = { ...credential, credentialSubject: { type: ['AchievementSubject'] } };
    expect(check(await verifier().verify(noAchievement), 'schema')).toMatchObject({ status: 'failed', code: 'SCHEMA_OB_INVALID' });
    const { issuer: _drop, ...noIssuer } = credential;
    expect(check(await verifier().verify(noIssuer), 'schema')).toMatchObject({ status: 'failed', code: 'SCHEMA_VC_INVALID' });
  });
  it('is skipped (not checked) when the input is not a credential', async () => {
    expect(check(await verifier().verify('nope'), 'schema')).toMatchObject({ status: 'skipped', code: 'NOT_CHECKED' });
  });
});

describe('signature and issuer key', () => {
  it('pass for both securing forms', async () => {
    for (const input of [await signedDi(issuer), await signedJws(issuer)]) {
      const outcome = await verifier().verify(input);
      expect(check(outcome, 'signature')).toMatchObject({ status: 'passed', code: 'SIGNATURE_VALID' });
      expect(check(outcome, 'issuer-key')).toMatchObject({ status: 'passed', code: 'ISSUER_KEY_BOUND' });
    }
  });
  it('fail a tampered DI credential and a tampered JWS', async () => {
    const di = await signedDi(issuer);
    const tampered = { ...di, name: 'Brain Surgery' };
    expect(check(await verifier().verify(tampered), 'signature')).toMatchObject({ status: 'failed', code: 'SIGNATURE_INVALID' });
    const jws = await signedJws(issuer);
    const [h, p, s] = jws.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: 'Brain Surgery' })).toString('base64url')}.${s}`;
    expect(check(await verifier().verify(forged), 'signature')).toMatchObject({ status: 'failed', code: 'SIGNATURE_INVALID' });
  });
  it('reports a credential signed by a key that is not the issuer’s: signature valid, issuer key mismatch', async () => {
    // Signed by `other`, but claiming `issuer` as its issuer.
    const claim = { ...(await signedDi(issuer)) };
    delete claim.proof;
    const di = await signDataIntegrity(claim, { signingKey: other.signingKey });
    const outcome = await verifier().verify(di);
    expect(check(outcome, 'signature')).toMatchObject({ status: 'passed' });
    expect(check(outcome, 'issuer-key')).toMatchObject({ status: 'failed', code: 'ISSUER_KEY_MISMATCH' });
    expect(outcome.verdict).toBe('invalid');
    const jwsOutcome = await verifier().verify(await signJose(claim, { signingKey: other.signingKey }));
    expect(check(jwsOutcome, 'signature')).toMatchObject({ status: 'passed' });
    expect(check(jwsOutcome, 'issuer-key')).toMatchObject({ status: 'failed', code: 'ISSUER_KEY_MISMATCH' });
  });
  it('fails a credential with no proof; skips the issuer key then', async () => {
    const di = await signedDi(issuer);
    delete di.proof;
    const outcome = await verifier().verify(di);
    expect(check(outcome, 'signature')).toMatchObject({ status: 'failed', code: 'SIGNATURE_MISSING' });
    expect(check(outcome, 'issuer-key')).toMatchObject({ status: 'skipped', code: 'ISSUER_KEY_UNCHECKED' });
  });
  it('is an error, not a failure, when the key cannot be resolved (did:web without a resolver)', async () => {
    const di = await signedDi(issuer);
    const proof = [{ ...(di.proof as Record<string, unknown>[])[0], verificationMethod: 'did:web:issuer.example#key-1' }];
    const outcome = await verifier().verify({ ...di, proof });
    expect(check(outcome, 'signature')).toMatchObject({ status: 'error', code: 'SIGNATURE_KEY_UNRESOLVED' });
  });
  it('refuses alg none', async () => {
    const jws = await signedJws(issuer);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'vc+jwt' })).toString('base64url')}.${jws.split('.')[1]}.${jws.split('.')[2]}`;
    expect(check(await verifier().verify(none), 'signature')).toMatchObject({ status: 'failed', code: 'SIGNATURE_UNSUPPORTED' });
  });
});

describe('validity period', () => {
  it('passes inside, fails before and after, with the skew allowed', async () => {
    const di = await signedDi(issuer);
    expect(check(await verifier().verify(di), 'validity-period')).toMatchObject({ status: 'passed', code: 'VALIDITY_CURRENT' });
    const expired = await verifier(undefined, { now: new Date('2027-03-01T09:33:00Z') }).verify(di);
    expect(check(expired, 'validity-period')).toMatchObject({ status: 'failed', code: 'VALIDITY_EXPIRED' });
    expect(expired.flags).toContain('expired');
    expect(check(await verifier(undefined, { now: new Date('2027-03-01T09:31:00Z') }).verify(di), 'validity-period').status).toBe('passed');
    const early = await verifier(undefined, { now: new Date('2025-03-01T09:00:00Z') }).verify(di);
    expect(check(early, 'validity-period')).toMatchObject({ status: 'failed', code: 'VALIDITY_NOT_YET_VALID' });
    expect(early.flags).toContain('not-yet-valid');
  });
  it('fails unreadable dates', async () => {
    const di = await signedDi(issuer);
    expect(check(await verifier().verify({ ...di, validUntil: 'soon' }), 'validity-period')).toMatchObject({ status: 'failed', code: 'VALIDITY_MALFORMED' });
  });
});

describe('anchor, accredited issuer, revocation', () => {
  it('pass for an anchored credential of an accredited issuer', async () => {
    const outcome = await verifier().verify(await anchoredDi());
    expect(check(outcome, 'anchor')).toMatchObject({ status: 'passed', code: 'ANCHOR_FOUND' });
    expect(check(outcome, 'anchor').data).toMatchObject({ transaction: `0x${'ab'.repeat(32)}`, anchoredAt: '2025-03-02T09:00:00.000Z' });
    expect(check(outcome, 'accredited-issuer')).toMatchObject({ status: 'passed', code: 'ISSUER_ACCREDITED' });
    expect(check(outcome, 'revocation')).toMatchObject({ status: 'passed', code: 'REVOCATION_ACTIVE' });
    expect(outcome.verdict).toBe('valid');
    expect(outcome.summary?.registeredIssuerName).toBe('St Example Hospital (registered)');
  });
  it('without an anchor proof: pending for a registered issuer, issuer and revocation still read, the policy decides', async () => {
    const di = await signedDi(issuer);
    const outcome = await verifier().verify(di);
    expect(check(outcome, 'anchor')).toMatchObject({ status: 'skipped', code: 'ANCHOR_PENDING' });
    expect(check(outcome, 'accredited-issuer')).toMatchObject({ status: 'passed', code: 'ISSUER_ACCREDITED' });
    expect(check(outcome, 'revocation')).toMatchObject({ status: 'passed', code: 'REVOCATION_ACTIVE' });
    expect(outcome).toMatchObject({ verdict: 'indeterminate', flags: ['pending-anchor'] });
    expect(outcome.reasons.map((r) => r.code)).toEqual(['ANCHOR_PENDING']);
    expect(await verifier(undefined, { acceptPendingAnchor: true }).verify(di)).toMatchObject({ verdict: 'valid', flags: ['pending-anchor'] });
  });
  it('fail: untrusted registry, other chain, root not found, changed after anchoring, bad proof', async () => {
    const untrusted = await verifier().verify(await anchoredDi({}, '0x000000000000000000000000000000000000dEaD'));
    expect(check(untrusted, 'anchor')).toMatchObject({ status: 'failed', code: 'ANCHOR_UNTRUSTED_REGISTRY' });
    expect(untrusted.verdict).toBe('invalid');
    expect(check(await verifier().verify(await anchoredDi({}, FAKE_REGISTRY, 1)), 'anchor')).toMatchObject({ status: 'failed', code: 'ANCHOR_UNTRUSTED_REGISTRY' });
    const missing = await verifier(lookupOf(issuer.did, { anchoredAt: 0, anchoredBlock: 0 })).verify(await anchoredDi());
    expect(check(missing, 'anchor')).toMatchObject({ status: 'failed', code: 'ANCHOR_ROOT_NOT_FOUND' });
    expect(check(missing, 'revocation').status).toBe('passed');
    expect(missing.verdict).toBe('invalid');
    const anchored = await anchoredDi();
    const changed = await verifier().verify({ ...anchored, name: 'Changed' });
    expect(check(changed, 'anchor')).toMatchObject({ status: 'failed', code: 'ANCHOR_PATH_MISMATCH' });
    const proofs = anchored.proof as Record<string, unknown>[];
    const badProof = { ...anchored, proof: [proofs[0], { ...proofs[1], proofValue: 'u!!' }] };
    expect(check(await verifier().verify(badProof), 'anchor')).toMatchObject({ status: 'failed', code: 'ANCHOR_PROOF_INVALID' });
  });
  it('are errors when the RPC is unreachable: indeterminate, never invalid', async () => {
    const down = verifier(() => Promise.reject(new RpcUnavailableError('ERR_RPC_UNAVAILABLE', 'down')));
    const outcome = await down.verify(await anchoredDi());
    expect(check(outcome, 'anchor')).toMatchObject({ status: 'error', code: 'ANCHOR_RPC_UNREACHABLE' });
    expect(check(outcome, 'accredited-issuer')).toMatchObject({ status: 'error', code: 'ISSUER_RPC_UNREACHABLE' });
    expect(check(outcome, 'revocation')).toMatchObject({ status: 'error', code: 'REVOCATION_RPC_UNREACHABLE' });
    expect(outcome.verdict).toBe('indeterminate');
  });
  it('accredited issuer fails: not registered, not active, DID mismatch', async () => {
    const cases = [
      [{ issuerRegistered: false, issuerActive: false, issuerDid: '', issuerName: '' }, 'ISSUER_NOT_REGISTERED', 'issuer-not-in-registry'],
      [{ issuerActive: false }, 'ISSUER_NOT_ACTIVE', 'issuer-not-accredited'],
      [{ issuerDid: other.did }, 'ISSUER_DID_MISMATCH', 'issuer-not-accredited'],
    ] as const;
    for (const [overrides, code, flag] of cases) {
      const outcome = await verifier(lookupOf(issuer.did, overrides)).verify(await anchoredDi());
      expect(check(outcome, 'accredited-issuer')).toMatchObject({ status: 'failed', code });
      expect(outcome.flags).toContain(flag);
      expect(outcome.verdict).toBe('invalid');
    }
  });
  it('revocation fails revoked and suspended, with reason and time', async () => {
    const since = Math.floor(new Date('2025-05-01T00:00:00Z').getTime() / 1000);
    const revoked = await verifier(lookupOf(issuer.did, { status: 'revoked', statusReason: 3, statusSince: since })).verify(await anchoredDi());
    expect(check(revoked, 'revocation')).toMatchObject({ status: 'failed', code: 'REVOCATION_REVOKED', data: { reason: 3, reasonCode: 'misconduct', since: '2025-05-01T00:00:00.000Z' } });
    expect(check(revoked, 'revocation').message).toBe('The issuer revoked this credential on 1 May 2025 at 00:00 UTC (misconduct).');
    expect(revoked).toMatchObject({ verdict: 'invalid', flags: ['revoked'] });
    const suspended = await verifier(lookupOf(issuer.did, { status: 'suspended', statusSince: since })).verify(await anchoredDi());
    expect(check(suspended, 'revocation')).toMatchObject({ status: 'failed', code: 'REVOCATION_SUSPENDED' });
    expect(suspended.flags).toContain('suspended');
  });
  it('is an error with no reader for a trusted registry', async () => {
    const outcome = await createVerifier({ now: () => NOW, policy: { trustedRegistries: [{ chainId: CHAIN_ID, address: FAKE_REGISTRY }] } }).verify(await anchoredDi());
    expect(check(outcome, 'anchor')).toMatchObject({ status: 'error', code: 'ANCHOR_NO_READER' });
  });
});

describe('status list', () => {
  const status = { id: 'https://issuer.example/status/1#5', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: 'https://issuer.example/status/1' };
  it('is skipped when absent', async () => {
    expect(check(await verifier().verify(await signedDi(issuer)), 'status-list')).toMatchObject({ status: 'skipped', code: 'STATUS_LIST_ABSENT' });
  });
  it('is an error (never a fetch) when the list is not available offline', async () => {
    const di = await signedDi(issuer);
    const outcome = await verifier().verify({ ...di, credentialStatus: status });
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_UNAVAILABLE' });
    const unsupported = await verifier().verify({ ...di, credentialStatus: { ...status, type: 'StatusList2021Entry' } });
    expect(check(unsupported, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_UNSUPPORTED' });
  });
  it('reads an injected list: revoked bit set → failed, clear → passed', async () => {
    const bsl = bitstringStatusList as unknown as {
      createList(o: { length: number }): Promise<{ setStatus(i: number, v: boolean): void; encode(): Promise<string> }>;
      createCredential(o: { id: string; list: unknown; statusPurpose: string }): Promise<Record<string, unknown>>;
    };
    const listFor = async (bit: boolean) => {
      const list = await bsl.createList({ length: 131072 });
      list.setStatus(5, bit);
      const unsignedList = await bsl.createCredential({ id: status.statusListCredential, list, statusPurpose: 'revocation' });
      return signDataIntegrity({ ...unsignedList, issuer: issuer.did, validFrom: '2025-01-01T00:00:00Z' }, { signingKey: issuer.signingKey });
    };
    const withStatus = { ...(await signedDi(issuer)) };
    delete withStatus.proof;
    const credential = await signDataIntegrity({ ...withStatus, credentialStatus: status }, { signingKey: issuer.signingKey });
    for (const [bit, expected] of [[true, { status: 'failed', code: 'STATUS_LIST_REVOKED' }], [false, { status: 'passed', code: 'STATUS_LIST_OK' }]] as const) {
      const list = await listFor(bit);
      const v = createVerifier({ now: () => NOW, chain: { reader: fakeReader(lookupOf(issuer.did)) }, statusListFetcher: (url) => Promise.resolve(url === status.statusListCredential ? list : undefined) });
      expect(check(await v.verify(credential), 'status-list')).toMatchObject(expected);
    }
  });
});

describe('never throws', () => {
  it('answers hostile shapes with an outcome', async () => {
    const v = verifier();
    const cyclic: Record<string, unknown> = { type: ['VerifiableCredential'] };
    cyclic.self = cyclic;
    const inputs: unknown[] = [undefined, '', '{}', { type: 'VerifiableCredential', proof: 5 }, { type: ['VerifiableCredential'], issuer: { id: 7 }, proof: [null] }, cyclic, { type: ['VerifiablePresentation'], verifiableCredential: [{ type: ['VerifiablePresentation'] }, 'x.y.z'] }];
    for (const input of inputs) {
      const outcome = await v.verify(input);
      expect(['valid', 'invalid', 'indeterminate']).toContain(outcome.verdict);
    }
  });
});

describe('endorsement check', () => {
  const report = (endorser: string, verified: boolean, verdict: 'valid' | 'invalid' | 'indeterminate' = verified ? 'valid' : 'invalid'): EndorsementReport => ({ endorser, verified, verdict, flags: [], reasons: [] });
  const none = { requireEndorsementBy: [] as string[] };

  it('reports endorsements without requiring any', () => {
    expect(endorsementCheck([], none)).toMatchObject({ status: 'skipped', code: 'ENDORSEMENT_NONE' });
    expect(endorsementCheck([report('did:key:a', true)], none)).toMatchObject({ status: 'passed', code: 'ENDORSEMENTS_VERIFIED', data: { total: 1, verified: 1, endorsers: ['did:key:a'] } });
    expect(endorsementCheck([report('did:key:a', true), report('did:key:b', false)], none)).toMatchObject({ status: 'passed', code: 'ENDORSEMENTS_PARTLY_VERIFIED', data: { total: 2, verified: 1 } });
  });

  it('with requireEndorsementBy: present only when that body’s endorsement verifies; unchecked is an error, not a failure', () => {
    const policy = { requireEndorsementBy: ['did:key:college'] };
    expect(endorsementCheck([report('did:key:college', true)], policy)).toMatchObject({ status: 'passed', code: 'ENDORSEMENT_REQUIRED_PRESENT' });
    expect(endorsementCheck([report('did:key:other', true)], policy)).toMatchObject({ status: 'failed', code: 'ENDORSEMENT_REQUIRED_MISSING' });
    expect(endorsementCheck([report('did:key:college', false)], policy)).toMatchObject({ status: 'failed', code: 'ENDORSEMENT_REQUIRED_MISSING' });
    expect(endorsementCheck([], policy)).toMatchObject({ status: 'failed', code: 'ENDORSEMENT_REQUIRED_MISSING' });
    expect(endorsementCheck([report('did:key:college', false, 'indeterminate')], policy)).toMatchObject({ status: 'error', code: 'ENDORSEMENT_REQUIRED_UNCHECKED' });
  });

  it('an endorsement about another achievement never counts, whatever its signature', async () => {
    const college = makeIssuer('Royal College');
    const issuer = makeIssuer();
    const unsignedEndorsement = { ...buildEndorsement({ achievementId: 'https://elsewhere.example/other', comment: 'Fine.' }, college.profile, () => NOW), id: 'urn:uuid:0d7c2b8e-9a51-4a1b-8c6e-2f3d4e5f6a7b' };
    const endorsement = await signDataIntegrity(unsignedEndorsement, { signingKey: college.signingKey, now: () => NOW });
    const credential = await signedDi(issuer);
    const reader = fakeReader(lookupOf(issuer.did));
    const subject = credential.credentialSubject as { achievement: Record<string, unknown> };
    const withEndorsement = await signDataIntegrity({ ...(({ proof: _p, ...rest }) => rest)(credential), credentialSubject: { ...subject, achievement: { ...subject.achievement, endorsement: [endorsement] } } }, { signingKey: issuer.signingKey, now: () => NOW });
    const outcome = await createVerifier({ chain: { reader }, now: () => NOW }).verify(withEndorsement);
    expect(outcome.endorsements).toHaveLength(1);
    expect(outcome.endorsements![0]).toMatchObject({ verified: false, verdict: 'invalid' });
    expect(outcome.endorsements![0]!.reasons.map((r) => r.code)).toEqual(['ENDORSEMENT_NOT_ABOUT_ACHIEVEMENT']);
  });
});

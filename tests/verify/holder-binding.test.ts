// Holder binding: a credential inside a presentation counts only when its subject is the DID that signed the presentation.
import jsigsModule from 'jsonld-signatures';
import { describe, expect, it } from 'vitest';
import { toVcApiPresentationResult } from '../../src/server/vc-api-result';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries';
import { createVerifier, policyFromJson, POLICY_PRESETS, type HolderBindingPolicy, type VerificationOutcome } from '../../src/verify';
import { testLoader } from '../signing/fixtures';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, signedDi } from './fixtures';

const jsigs = jsigsModule as unknown as {
  sign(doc: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  purposes: { AuthenticationProofPurpose: new (o: { challenge: string; domain?: string }) => unknown };
};

const issuer = makeIssuer('St Example Hospital');
const victim = makeIssuer('Victim (a did:key holder)');
const thief = makeIssuer('Thief (a throwaway did:key)');
const CHALLENGE = 'employer-nonce-42';
const DOMAIN = 'hr.employer.example';

/** A presentation of `credentials` signed by `signer` for the employer's challenge and domain. */
async function present(signer: typeof thief, credentials: unknown[]): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: signer.signingKey.dataIntegritySigner() });
  const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: signer.did, verifiableCredential: credentials };
  return jsigs.sign(vp, { suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({ challenge: CHALLENGE, domain: DOMAIN }), documentLoader: testLoader });
}

async function anchored(overrides: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await anchorBatch([await signedDi(issuer, overrides)], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor })).anchored[0]!;
}

const verifier = (holderBinding?: HolderBindingPolicy) =>
  createVerifier({ loader: testLoader, now: () => NOW, chain: { reader: fakeReader(lookupOf(issuer.did)) }, ...(holderBinding ? { policy: { holderBinding } } : {}) });
const asked = { challenge: CHALLENGE, domain: DOMAIN };
const binding = (o: VerificationOutcome) => o.credentials?.[0]?.checks.find((c) => c.check === 'holder-binding');
const allMessages = (o: VerificationOutcome): string[] => [...o.checks, ...(o.credentials ?? []).flatMap((c) => c.checks)].map((c) => c.message);

describe('holder binding', () => {
  it('the stolen credential (thief’s key, victim’s DID-bound credential, right challenge and domain) is never valid', async () => {
    const stolen = await anchored({ learner: { name: 'Victim', did: victim.did } });
    const vp = await present(thief, [stolen]);
    for (const policy of ['flag', 'require', 'when-challenged'] as const) {
      const outcome = await verifier(policy).verify(vp, asked);
      // The thief's own proof is fine: it is the binding that fails.
      expect(outcome.checks.find((c) => c.check === 'presentation')).toMatchObject({ status: 'passed', code: 'PRESENTATION_PROOF_VALID' });
      expect(binding(outcome)).toMatchObject({ status: 'failed', code: 'HOLDER_MISMATCH', data: { presenter: thief.did, subjects: [victim.did] } });
      expect(outcome.verdict, policy).toBe('invalid');
      expect(outcome.flags).toContain('holder-not-bound');
      expect(allMessages(outcome).some((m) => m.includes('Presented by its holder'))).toBe(false);
      expect(toVcApiPresentationResult(outcome).verified).toBe(false);
    }
  });

  it('the thief with a victim’s credential known only by hashed email is invalid when a challenge was asked (default)', async () => {
    const emailOnly = await anchored({});
    const vp = await present(thief, [emailOnly]);
    const outcome = await verifier().verify(vp, asked);
    expect(binding(outcome)).toMatchObject({ status: 'failed', code: 'HOLDER_NOT_BOUND', data: { challenged: true, subjects: [] } });
    expect(binding(outcome)?.message).toMatch(/hashed email/);
    expect(outcome).toMatchObject({ verdict: 'invalid', flags: ['holder-not-bound'] });
    // The `flag` policy accepts it and only flags it: the documented risk of that option.
    expect(await verifier('flag').verify(vp, asked)).toMatchObject({ verdict: 'valid', flags: ['holder-not-bound'] });
  });

  it('a holder presenting their own DID-bound credential is valid and "presented by its holder"', async () => {
    const own = await anchored({ learner: { name: 'Victim', did: victim.did } });
    const outcome = await verifier('require').verify(await present(victim, [own]), asked);
    expect(binding(outcome)).toMatchObject({ status: 'passed', code: 'HOLDER_BOUND', data: { presenter: victim.did } });
    expect(binding(outcome)?.message).toContain('Presented by its holder');
    expect(outcome).toMatchObject({ verdict: 'valid', flags: [] });
    expect(toVcApiPresentationResult(outcome).verified).toBe(true);
  });

  it('an unsigned presentation without a challenge binds nobody: flagged by default, invalid under `require`', async () => {
    const own = await anchored({ learner: { name: 'Victim', did: victim.did } });
    const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [own] };
    const outcome = await verifier().verify(vp);
    expect(binding(outcome)).toMatchObject({ status: 'failed', code: 'HOLDER_NOT_BOUND', data: { presenter: null, challenged: false } });
    expect(outcome).toMatchObject({ verdict: 'valid', flags: ['holder-not-bound'] });
    expect((await verifier('require').verify(vp)).verdict).toBe('invalid');
    // A bare credential is not a presentation: nothing to bind, no flag.
    expect(await verifier().verify(own)).toMatchObject({ verdict: 'valid', flags: [] });
  });

  it('the policy option is read from a policy file, and the strict preset requires binding', () => {
    expect(policyFromJson({ holderBinding: 'flag' }).holderBinding).toBe('flag');
    expect(policyFromJson({}).holderBinding).toBe('when-challenged');
    expect(POLICY_PRESETS.strict!.holderBinding).toBe('require');
    expect(() => policyFromJson({ holderBinding: 'sometimes' })).toThrow(expect.objectContaining({ code: 'ERR_POLICY_INVALID' }));
  });
});

// Hostile wallets: generated bodies, forms and headers on the OID4VCI endpoints never get a 5xx, a leak or a credential.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOid4vciService } from '../../src/oid4vci';
import { createIssuerApp } from '../../src/server/issuer-app';
import { NASTY_STRINGS, anythingAsJson, nastyJson } from '../fuzz/corpus';
import { LEAK, bounded, prototypeClean } from '../fuzz/http-checks';
import { issuerFixture, record } from '../issuer/fixture';

/** A refusal is either the specification's `{error}` JSON (wallet endpoints) or problem details (limits, media type). */
async function expectRefusalShape(what: string, response: Response): Promise<void> {
  const text = await bounded(what, response.text());
  expect(response.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text, `${what}: leaks internals`).not.toMatch(LEAK);
  expect(text, `${what}: leaks learner data`).not.toContain('ada@example.org');
  if (response.status < 400) return;
  const body = JSON.parse(text) as { error?: unknown; code?: unknown };
  expect(typeof body.error === 'string' || typeof body.code === 'string', `${what}: ${text.slice(0, 200)}`).toBe(true);
}

describe('the OID4VCI endpoints under hostile input (real service and store)', () => {
  it('generated forms, JSON bodies and Authorization headers: 4xx in the spec’s shape, never a 5xx, never a credential', async () => {
    const f = issuerFixture();
    const oid4vci = createOid4vciService({ store: f.store, issuer: f.service, baseUrl: () => 'http://127.0.0.1:8080', now: f.now });
    const app = createIssuerApp({ service: f.service, store: f.store, now: f.now, oid4vci, oid4vciRateLimit: false, onUnexpected: () => undefined });
    // One real offer, redeemed, so that some requests reach the credential endpoint's deeper steps.
    const offer = await oid4vci.createOffer({ record: record(), actor: 'test' });
    const code = (offer.credentialOffer.grants as Record<string, Record<string, string>>)['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code']!;
    const token = (await oid4vci.token({ form: { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }, request: { method: 'POST', url: 'http://127.0.0.1:8080/oid4vci/token', headers: new Headers() } })).access_token as string;

    const formValue = fc.oneof(fc.string(), fc.constantFrom(...NASTY_STRINGS), fc.constant(code));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('grant_type', 'pre-authorized_code', 'tx_code', 'resource', '__proto__', 'code'), formValue), async (form) => {
        const body = new URLSearchParams(Object.entries(form)).toString();
        await expectRefusalShape(`token ${body.slice(0, 100)}`, await app.request('/oid4vci/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
      }),
      { numRuns: 150, interruptAfterTimeLimit: 15_000 },
    );
    const proofish = fc.record({ proof_type: fc.constantFrom('jwt', 'attestation', 'ldp_vp', '__proto__'), jwt: fc.oneof(fc.string(), fc.constantFrom('a.b.c', 'eyJhbGciOiJub25lIn0.e30.', ...NASTY_STRINGS)) });
    const credentialBody = fc.oneof(
      anythingAsJson,
      nastyJson.map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ credential_configuration_id: fc.constantFrom('OpenBadgeCredential_ldp_vc', 'x', '__proto__'), proof: proofish }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ credential_configuration_id: fc.constant('OpenBadgeCredential_ldp_vc'), proofs: fc.record({ jwt: fc.array(fc.string(), { maxLength: 3 }) }) }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/oid4vci/credential', '/oid4vci/deferred-credential'),
        fc.oneof(fc.constant(`Bearer ${token}`), fc.constant('Bearer x'), fc.string(), fc.constantFrom(...NASTY_STRINGS)),
        credentialBody,
        async (route, authorization, text) => {
          const response = await app.request(route, { method: 'POST', headers: { authorization: authorization.replace(/[^\x20-\x7e]/g, ''), 'content-type': 'application/json' }, body: text });
          await expectRefusalShape(`${route} ${text.slice(0, 100)}`, response);
          expect(response.status, text.slice(0, 200)).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
    expect(f.store.offers.get(offer.offerId)?.credentialId).toBeNull();
    expect(prototypeClean()).toBe(true);
  });
});

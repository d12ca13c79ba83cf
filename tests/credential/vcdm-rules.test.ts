// Table test of every VC Data Model 2.0 rule: a valid and a broken credential each, on the issue side and the verify side; the presentation rules on the verify side.
import { beforeEach, describe, expect, it } from 'vitest';
import { createVerifierApp } from '../../src/server/verifier-app';
import { signJose } from '../../src/signing';
import { vcdmProblems, vpProblems, type VcdmErrorType } from '../../src/credential/vcdm-rules';
import { createVerifier } from '../../src/verify/verifier';
import { issuerFixture, type IssuerFixture } from '../issuer/fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary members of the answer
type Any = any;
type Credential = Record<string, unknown>;

const V2 = 'https://www.w3.org/ns/credentials/v2';
const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';
let f: IssuerFixture;
let did: string;
// A fresh issuer (store and key) per test: the fixture closes its store after each test.
beforeEach(() => {
  f = issuerFixture();
  did = f.service.issuer.did;
});

function base(): Credential {
  return {
    '@context': [V2, EXAMPLES],
    id: 'urn:uuid:3f0e2a4c-8f5b-4c1e-9a7d-1b2c3d4e5f60',
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    issuer: did,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' },
  };
}

interface Rule {
  readonly rule: string;
  readonly valid: (c: Credential) => Credential;
  readonly broken: (c: Credential) => Credential;
  readonly type: VcdmErrorType;
  readonly field: string;
  /**
   * The VC-API status for the valid credential when not 200: a status entry this verifier cannot read is "could not
   * check" (422), never verified, even when its shape is right.
   */
  readonly validVerifyStatus?: number;
}

const typed = (extra: Credential = {}) => ({ type: 'ExampleThing', ...extra });

const RULES: readonly Rule[] = [
  { rule: '@context is a list', valid: (c) => c, broken: ({ '@context': _c, ...c }) => c, type: 'PARSING_ERROR', field: '@context' },
  { rule: '@context starts with the VC 2.0 context', valid: (c) => c, broken: (c) => ({ ...c, '@context': [EXAMPLES, V2] }), type: 'MALFORMED_VALUE_ERROR', field: '@context[0]' },
  { rule: 'the base context appears only first', valid: (c) => c, broken: (c) => ({ ...c, '@context': [V2, EXAMPLES, V2] }), type: 'MALFORMED_VALUE_ERROR', field: '@context[2]' },
  { rule: 'id is a single URL', valid: (c) => c, broken: (c) => ({ ...c, id: ['urn:uuid:a', 'urn:uuid:b'] }), type: 'MALFORMED_VALUE_ERROR', field: 'id' },
  { rule: 'type is well-formed', valid: (c) => c, broken: (c) => ({ ...c, type: ['VerifiableCredential', ''] }), type: 'MALFORMED_VALUE_ERROR', field: 'type' },
  { rule: 'credentialStatus has a type', valid: (c) => ({ ...c, credentialStatus: typed({ id: 'https://status.example/1' }) }), broken: (c) => ({ ...c, credentialStatus: { id: 'https://status.example/1' } }), type: 'MALFORMED_VALUE_ERROR', field: 'credentialStatus.type', validVerifyStatus: 422 },
  { rule: 'termsOfUse has a type', valid: (c) => ({ ...c, termsOfUse: [typed()] }), broken: (c) => ({ ...c, termsOfUse: [{ id: 'https://terms.example/1' }] }), type: 'MALFORMED_VALUE_ERROR', field: 'termsOfUse[0].type' },
  { rule: 'evidence has a type', valid: (c) => ({ ...c, evidence: [typed({ id: 'https://evidence.example/1' })] }), broken: (c) => ({ ...c, evidence: [{ id: 'https://evidence.example/1' }] }), type: 'MALFORMED_VALUE_ERROR', field: 'evidence[0].type' },
  { rule: 'refreshService has a type', valid: (c) => ({ ...c, refreshService: typed({ id: 'https://refresh.example/1' }) }), broken: (c) => ({ ...c, refreshService: { id: 'https://refresh.example/1' } }), type: 'MALFORMED_VALUE_ERROR', field: 'refreshService.type' },
  { rule: 'credentialSchema has an id', valid: (c) => ({ ...c, credentialSchema: typed({ id: 'https://schema.example/1.json' }) }), broken: (c) => ({ ...c, credentialSchema: typed() }), type: 'MALFORMED_VALUE_ERROR', field: 'credentialSchema.id' },
  { rule: 'name is a string or language values', valid: (c) => ({ ...c, name: [{ '@value': 'Alumni', '@language': 'en' }, { '@value': 'Alumni', '@language': 'nl' }] }), broken: (c) => ({ ...c, name: 5 }), type: 'MALFORMED_VALUE_ERROR', field: 'name' },
  { rule: 'description is a string or language values', valid: (c) => ({ ...c, description: 'Graduated.' }), broken: (c) => ({ ...c, description: { '@value': 1 } }), type: 'MALFORMED_VALUE_ERROR', field: 'description' },
  { rule: 'the issuer name is a string or language values', valid: (c) => ({ ...c, issuer: { id: did, name: { '@value': 'Example', '@language': 'en' } } }), broken: (c) => ({ ...c, issuer: { id: did, name: 7 } }), type: 'MALFORMED_VALUE_ERROR', field: 'issuer.name' },
  { rule: 'issuer is a URL or has an id', valid: (c) => ({ ...c, issuer: { id: did } }), broken: (c) => ({ ...c, issuer: { name: 'Example' } }), type: 'MALFORMED_VALUE_ERROR', field: 'issuer.id' },
  { rule: 'credentialSubject is not empty', valid: (c) => ({ ...c, credentialSubject: [{ id: 'did:example:ada' }, { id: 'did:example:bob' }] }), broken: (c) => ({ ...c, credentialSubject: {} }), type: 'MALFORMED_VALUE_ERROR', field: 'credentialSubject' },
  { rule: 'validFrom is a dateTimeStamp', valid: (c) => ({ ...c, validFrom: '2025-01-01T00:00:00+02:00' }), broken: (c) => ({ ...c, validFrom: '2025-01-01' }), type: 'MALFORMED_VALUE_ERROR', field: 'validFrom' },
  { rule: 'validUntil is not before validFrom', valid: (c) => ({ ...c, validUntil: '2035-01-01T00:00:00Z' }), broken: (c) => ({ ...c, validUntil: '2024-01-01T00:00:00Z' }), type: 'RANGE_ERROR', field: 'validUntil' },
  {
    rule: 'relatedResource carries a digest',
    valid: (c) => ({ ...c, relatedResource: [{ id: 'https://files.example/logo.png', digestSRI: 'sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW' }] }),
    broken: (c) => ({ ...c, relatedResource: [{ id: 'https://files.example/logo.png' }] }),
    type: 'MALFORMED_VALUE_ERROR',
    field: 'relatedResource[0]',
  },
];

const verifierApp = createVerifierApp({ verifier: createVerifier({ now: () => new Date('2026-01-01T00:00:00Z') }), rateLimit: false });

async function issue(credential: Credential): Promise<{ status: number; body: Any }> {
  const response = await f.app.request('/credentials/issue', {
    method: 'POST',
    headers: { authorization: `Bearer ${f.tokens.issue}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential, options: { format: 'jose' } }),
  });
  return { status: response.status, body: (await response.json()) as Any };
}

async function verify(credential: Credential): Promise<{ status: number; body: Any }> {
  const jws = await signJose(credential, { signingKey: f.service.issuer.signingKey });
  const response = await verifierApp.request('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: jws }) });
  return { status: response.status, body: (await response.json()) as Any };
}

describe.each(RULES)('VC DM rule: $rule', ({ valid, broken, type, field, validVerifyStatus }) => {
  it('the rule alone: valid has no problem, broken has the typed problem', () => {
    expect(vcdmProblems(valid(base()))).toEqual([]);
    expect(vcdmProblems(broken(base()))).toContainEqual(expect.objectContaining({ type, path: field }));
  });

  it('issue side: valid is 201, broken is 422 ERR_INVALID_CREDENTIAL naming the field and type', async () => {
    const { id: _id, ...unsigned } = valid(base());
    expect((await issue(unsigned)).status).toBe(201);
    const refused = await issue(broken(base()));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ERR_INVALID_CREDENTIAL');
    expect(refused.body.issues).toContainEqual(expect.objectContaining({ field, type }));
  });

  it('verify side: valid is 200, broken is 422 with the VC DM problem type', async () => {
    const accepted = await verify(valid(base()));
    expect(accepted.status).toBe(validVerifyStatus ?? 200);
    expect(accepted.body.verificationReport.checks.find((c: Any) => c.check === 'schema').status).toBe('passed');
    const refused = await verify(broken(base()));
    expect(refused.status).toBe(422);
    expect(refused.body.verified).toBe(false);
    expect(refused.body.problemDetails).toContainEqual(expect.objectContaining({ type: `https://www.w3.org/TR/vc-data-model#${type}`, check: 'schema' }));
  });
});

describe('VC DM presentation rules', () => {
  const VP_RULES: ReadonlyArray<{ rule: string; broken: (p: Credential) => Credential; type: VcdmErrorType; field: string }> = [
    { rule: '@context is a list', broken: ({ '@context': _c, ...p }) => p, type: 'PARSING_ERROR', field: '@context' },
    { rule: '@context starts with the VC 2.0 context', broken: (p) => ({ ...p, '@context': [EXAMPLES, V2] }), type: 'MALFORMED_VALUE_ERROR', field: '@context[0]' },
    { rule: 'id is a single URL', broken: (p) => ({ ...p, id: 'not a url' }), type: 'MALFORMED_VALUE_ERROR', field: 'id' },
    { rule: 'holder is a URL or has an id', broken: (p) => ({ ...p, holder: { name: 'Ada' } }), type: 'MALFORMED_VALUE_ERROR', field: 'holder' },
    { rule: 'termsOfUse has a type', broken: (p) => ({ ...p, termsOfUse: { id: 'https://terms.example/1' } }), type: 'MALFORMED_VALUE_ERROR', field: 'termsOfUse.type' },
  ];

  async function presentation(): Promise<Credential> {
    const jws = await signJose(base(), { signingKey: f.service.issuer.signingKey });
    return { '@context': [V2], id: 'urn:uuid:9b2f7c1a-0d3e-4f5a-8b6c-7d8e9f0a1b2c', type: ['VerifiablePresentation'], holder: 'did:example:ada', verifiableCredential: [{ '@context': V2, type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jws}` }] };
  }

  async function verifyVp(verifiablePresentation: Credential): Promise<{ status: number; body: Any }> {
    const response = await verifierApp.request('/presentations/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiablePresentation }) });
    return { status: response.status, body: (await response.json()) as Any };
  }

  it('the valid presentation breaks no rule: its schema check passed and no problem detail is the schema’s', async () => {
    const valid = await presentation();
    expect(vpProblems(valid)).toEqual([]);
    // Unsigned, so its credential is not bound to a holder (a 422 of its own, tested with holder binding).
    const { body } = await verifyVp(valid);
    expect(body.verificationReport.checks.find((c: Any) => c.check === 'schema').status).toBe('passed');
    expect(body.problemDetails.filter((p: Any) => p.check === 'schema' && p.credentialIndex === undefined)).toEqual([]);
  });

  it.each(VP_RULES)('$rule: broken is 422 with the VC DM problem type', async ({ broken, type, field }) => {
    const bad = broken(await presentation());
    expect(vpProblems(bad)).toContainEqual(expect.objectContaining({ type, path: field }));
    const { status, body } = await verifyVp(bad);
    expect(status).toBe(422);
    expect(body.problemDetails).toContainEqual(expect.objectContaining({ type: `https://www.w3.org/TR/vc-data-model#${type}`, check: 'schema' }));
  });
});

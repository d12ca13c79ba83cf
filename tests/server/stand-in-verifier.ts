// A stand-in CredentialVerifier for tests of the HTTP layer and the page: the outcome is chosen by the input's `id`.
import { decide, DEFAULT_POLICY } from '../../src/verify/policy';
import { checkResult, type BadgeSummary, type CheckResult, type CredentialVerifier, type VerificationOutcome, type VerifyOptions } from '../../src/verify/result';

/** Scenarios the stand-in knows; a credential object with `id: 'urn:scenario:<name>'` gets that outcome. */
export const SCENARIOS = [
  'valid',
  'invalid',
  'indeterminate',
  'expired',
  'not-yet-valid',
  'revoked',
  'suspended',
  'pending-anchor',
  'unaccredited',
  'issuer-suspended',
  'hostile-summary',
] as const;

/** One scenario name. */
export type Scenario = (typeof SCENARIOS)[number];

/** A tiny badge image as a data URL (no network needed in the browser). */
export const BADGE_IMAGE =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><circle cx="48" cy="48" r="44" fill="#c62828"/><path d="M40 26h16v14h14v16H56v14H40V56H26V40h14z" fill="#fff"/></svg>',
  ).toString('base64');

const SUMMARY: BadgeSummary = {
  credentialId: 'urn:uuid:7f1e2d3c-4b5a-4698-8776-655443322110',
  achievementName: 'Advanced Cardiac Life Support',
  achievementDescription: 'Completed the ACLS provider course with practical assessment.',
  image: BADGE_IMAGE,
  registeredIssuerName: 'St Example Teaching Hospital',
  issuerName: 'St Example Teaching Hospital',
  issuerId: 'did:web:training.st-example.org',
  recipient: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
  validFrom: '2025-03-01T00:00:00Z',
  validUntil: '2027-03-01T00:00:00Z',
  creditsAvailable: 12,
  securing: 'data-integrity',
};

const PASSED: Record<string, CheckResult> = {
  parse: checkResult('parse', 'passed', 'PARSE_OK', 'This is an Open Badges credential secured with a Data Integrity proof.'),
  schema: checkResult('schema', 'passed', 'SCHEMA_VALID', 'The credential has the Verifiable Credential and Open Badges shape.'),
  signature: checkResult('signature', 'passed', 'SIGNATURE_VALID', 'The signature matches the credential’s content.'),
  'issuer-key': checkResult('issuer-key', 'passed', 'ISSUER_KEY_BOUND', 'The signing key belongs to the issuer.'),
  'validity-period': checkResult('validity-period', 'passed', 'VALIDITY_CURRENT', 'The credential is within its validity period.'),
  anchor: checkResult('anchor', 'passed', 'ANCHOR_FOUND', 'The credential is recorded in the trusted registry.', { blockNumber: 12n }),
  'accredited-issuer': checkResult('accredited-issuer', 'passed', 'ISSUER_ACCREDITED', 'The issuer is registered and active.'),
  revocation: checkResult('revocation', 'passed', 'REVOCATION_ACTIVE', 'The credential is neither revoked nor suspended.'),
  'status-list': checkResult('status-list', 'skipped', 'STATUS_LIST_ABSENT', 'The credential has no status list entry.'),
};

const OVERRIDES: Record<Scenario, Record<string, CheckResult>> = {
  valid: {},
  invalid: { signature: checkResult('signature', 'failed', 'SIGNATURE_INVALID', 'The signature does not match: the credential was changed after it was signed.') },
  indeterminate: {
    anchor: checkResult('anchor', 'error', 'ANCHOR_RPC_UNREACHABLE', 'The registry could not be reached, so the anchor was not checked.'),
    'accredited-issuer': checkResult('accredited-issuer', 'error', 'ISSUER_RPC_UNREACHABLE', 'The registry could not be reached.'),
    revocation: checkResult('revocation', 'error', 'REVOCATION_RPC_UNREACHABLE', 'The registry could not be reached.'),
  },
  expired: { 'validity-period': checkResult('validity-period', 'failed', 'VALIDITY_EXPIRED', 'The credential expired on 1 March 2025.') },
  'not-yet-valid': { 'validity-period': checkResult('validity-period', 'failed', 'VALIDITY_NOT_YET_VALID', 'The credential is valid only from 1 March 2030.') },
  revoked: { revocation: checkResult('revocation', 'failed', 'REVOCATION_REVOKED', 'The issuer revoked this credential.') },
  suspended: { revocation: checkResult('revocation', 'failed', 'REVOCATION_SUSPENDED', 'The issuer suspended this credential.') },
  'pending-anchor': {
    anchor: checkResult('anchor', 'skipped', 'ANCHOR_PENDING', 'The credential’s batch is not anchored yet.'),
    revocation: checkResult('revocation', 'skipped', 'REVOCATION_NOT_ANCHORED', 'Revocation cannot be read before the anchor.'),
  },
  unaccredited: {
    'accredited-issuer': checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_REGISTERED', 'The anchoring address is not a registered issuer.'),
  },
  'issuer-suspended': {
    'accredited-issuer': checkResult('accredited-issuer', 'failed', 'ISSUER_NOT_ACTIVE', 'The issuer St Example Teaching Hospital is suspended by the accreditation body.'),
  },
  'hostile-summary': {},
};

/** The outcome of one scenario, with the verdict decided by the real policy. */
export function outcomeFor(scenario: Scenario): VerificationOutcome {
  const checks = Object.entries(PASSED).map(([name, result]) => OVERRIDES[scenario][name] ?? result);
  const summary: BadgeSummary =
    scenario === 'hostile-summary'
      ? { ...SUMMARY, achievementName: '<img src=x onerror="window.__pwned=1">Hacked', image: 'javascript:window.__pwned=2', recipient: '<script>window.__pwned=3</script>' }
      : scenario === 'unaccredited'
        ? { ...SUMMARY, registeredIssuerName: undefined, issuerName: 'Totally Real University' }
        : SUMMARY;
  return { ...decide(checks, DEFAULT_POLICY), kind: 'credential', summary };
}

function scenarioOf(input: unknown): Scenario {
  if (typeof input === 'string') return input.includes('tampered') ? 'invalid' : 'valid';
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  const name = typeof id === 'string' && id.startsWith('urn:scenario:') ? id.slice('urn:scenario:'.length) : '';
  return (SCENARIOS as readonly string[]).includes(name) ? (name as Scenario) : 'invalid';
}

/** A verifier that answers by scenario, records its calls, and throws for `id: 'urn:scenario:throw'`. */
export class StandInVerifier implements CredentialVerifier {
  readonly calls: Array<{ input: unknown; options: VerifyOptions | undefined }> = [];

  verify(input: unknown, options?: VerifyOptions): Promise<VerificationOutcome> {
    this.calls.push({ input, options });
    if (typeof input === 'object' && input !== null && (input as { id?: unknown }).id === 'urn:scenario:throw') {
      return Promise.reject(new Error('stand-in bug at /secret/path.ts:12'));
    }
    const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
    if (Array.isArray(type) && type.includes('VerifiablePresentation')) {
      const inner = (input as { verifiableCredential?: unknown }).verifiableCredential;
      const list: unknown[] = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
      const credentials = list.map((c) => outcomeFor(scenarioOf(c)));
      const holder = checkResult('signature', 'passed', 'PRESENTATION_SIGNATURE_VALID', 'The holder’s proof matches the challenge and domain.');
      const invalid = credentials.some((c) => c.verdict === 'invalid');
      const indeterminate = credentials.some((c) => c.verdict === 'indeterminate');
      return Promise.resolve({
        verdict: invalid ? 'invalid' : indeterminate ? 'indeterminate' : 'valid',
        flags: [...new Set(credentials.flatMap((c) => c.flags))],
        checks: [holder],
        reasons: credentials.flatMap((c) => c.reasons),
        kind: 'presentation',
        credentials,
      });
    }
    return Promise.resolve(outcomeFor(scenarioOf(input)));
  }
}

/** A credential-like object that the stand-in answers with `scenario`. */
export function credentialFor(scenario: Scenario | 'throw'): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:scenario:${scenario}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'did:web:training.st-example.org', type: ['Profile'], name: 'St Example Teaching Hospital' },
    validFrom: '2025-03-01T00:00:00Z',
    credentialSubject: { type: ['AchievementSubject'], achievement: { name: 'Advanced Cardiac Life Support' } },
    proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofValue: 'z3FXQ' },
  };
}

/** A compact-JWS-looking string (the stand-in does not check it). */
export const SAMPLE_JWS = 'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpZCI6InVybjpzY2VuYXJpbzp2YWxpZCJ9.c2lnbmF0dXJl';

// Finding 8: smaller refusals at the door (CSV formulas, VC-API issue inputs, proof order, JWS b64, unsafe names).
import { FlattenedSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildCredential, checkCompletionRecord } from '../../src/credential';
import { acceptCallerCredential } from '../../src/issuer/caller-credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose } from '../../src/signing';
import { verifyDataIntegrity } from '../../src/signing/data-integrity-verify';
import { verifyJose } from '../../src/signing/jose-verify';
import { safeCell } from '../../src/verify/bulk-report';
import { sampleRecord } from '../helpers/records';

const NOW = (): Date => new Date('2025-03-01T10:00:00Z');
const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'Example Medical School', url: 'https://example.org' });
const unsigned = (): Record<string, unknown> => buildCredential({ record: sampleRecord(), issuer: issuer.profile, now: NOW });

describe('finding 8: CSV report cells', () => {
  it.each(['\n=1+1', '＝HYPERLINK("http://x")', '＋1', '－1', '＠SUM(A1)', '﹦1', ' =1', '\u00a0=1', '=1', '\t=1', '\r=1'])('%j is neutralised', (cell) => {
    expect(safeCell(cell).startsWith("'")).toBe(true);
  });

  it.each(['plain', 'urn:uuid:1', 'VALID', '1-2'])('%j is kept as it is', (cell) => {
    expect(safeCell(cell)).toBe(cell);
  });
});

describe('finding 8: unsafe characters in names', () => {
  it.each([
    ['NUL', 'Ada\u0000Lovelace'],
    ['right-to-left override', 'Ada \u202eecalevol'],
    ['first strong isolate', 'Ada \u2068x'],
    ['lone high surrogate', 'Ada \ud800'],
    ['lone low surrogate', '\udc00Ada'],
    ['escape character', 'Ada\u001b[31m'],
  ])('a learner or module name with %s is refused', (_what, name) => {
    const learner = checkCompletionRecord(sampleRecord({ learner: { email: 'ada@example.org', name } }));
    expect(learner.ok).toBe(false);
    const module = { ...(sampleRecord().module as Record<string, unknown>), name };
    expect(checkCompletionRecord(sampleRecord({ module })).ok).toBe(false);
  });

  it('ordinary international names pass', () => {
    for (const name of ['Zoë Ångström', 'محمد', '李小龍', 'Ōtani 🎓']) expect(checkCompletionRecord(sampleRecord({ learner: { email: 'a@example.org', name } })).ok, name).toBe(true);
  });
});

describe('finding 8: VC-API issue refusals', () => {
  const base = (): Record<string, unknown> => {
    const c = unsigned();
    delete c.id;
    return c;
  };
  const fieldsOf = (input: Record<string, unknown>): string[] => {
    try {
      acceptCallerCredential(input, issuer, NOW);
      return [];
    } catch (error) {
      return ((error as { details: { issues: Array<{ field: string }> } }).details.issues).map((i) => i.field);
    }
  };

  it('accepts our own issuer profile', () => {
    expect(fieldsOf(base())).toEqual([]);
    expect(fieldsOf({ ...base(), issuer: issuer.did })).toEqual([]);
  });

  it('refuses a caller-chosen issuer name or url', () => {
    expect(fieldsOf({ ...base(), issuer: { ...issuer.profile, name: 'Royal College of Surgeons' } })).toContain('issuer.name');
    expect(fieldsOf({ ...base(), issuer: { ...issuer.profile, url: 'https://evil.example' } })).toContain('issuer.url');
  });

  it('refuses validUntil before (or at) validFrom', () => {
    expect(fieldsOf({ ...base(), validFrom: '2025-03-01T00:00:00Z', validUntil: '2024-03-01T00:00:00Z' })).toContain('validUntil');
  });

  it('refuses caller-chosen status entries (status-list URLs are the issuer\'s to set)', () => {
    const credentialStatus = { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: 'https://evil.example/status/1' };
    expect(fieldsOf({ ...base(), credentialStatus })).toContain('credentialStatus');
  });
});

describe('finding 8: proofs and JWS headers', () => {
  it('an extra valid proof placed before the issuer\'s proof does not make a genuine credential fail', async () => {
    const doc = unsigned();
    const genuine = await signDataIntegrity(doc, { signingKey: issuer.signingKey, now: NOW });
    const stranger = createDidKeyIssuer(SigningKey.generate(), { name: 'Stranger', url: 'https://stranger.example' });
    const extra = await signDataIntegrity(doc, { signingKey: stranger.signingKey, now: NOW });
    // Issued proofs are always a set (an array): the stranger's goes first.
    const both = { ...genuine, proof: [...(extra.proof as unknown[]), ...(genuine.proof as unknown[])] };
    const result = await verifyDataIntegrity(both);
    expect(result.verified).toBe(true);
    expect(result.controllerIsIssuer).toBe(true);
    expect(result.verificationMethod).toBe(issuer.signingKey.id);
  });

  it('a JWS with b64:false is refused even when its signature holds', async () => {
    const payload = Buffer.from(JSON.stringify(unsigned())).toString('base64url');
    const flat = await new FlattenedSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: issuer.signingKey.id!, b64: false, crit: ['b64'] })
      .sign(issuer.signingKey.privateKeyObject());
    // The raw payload is itself base64url text, so the compact form looks like any other VC-JOSE credential.
    const jws = `${flat.protected}.${flat.payload}.${flat.signature}`;
    const result = await verifyJose(jws);
    expect(result.verified).toBe(false);
    expect(result.code).toBe('ERR_JOSE_B64');
    expect((await verifyJose(await signJose(unsigned(), { signingKey: issuer.signingKey }))).verified).toBe(true);
  });
});

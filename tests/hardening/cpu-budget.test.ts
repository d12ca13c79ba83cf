// Finding 4: one client's CPU budget: defaults and docs agree, the limiter charges by cost, and one input's cost is capped.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DEFAULT_VERIFIER_RATE_LIMIT, createVerifierApp } from '../../src/server/verifier-app';
import { MAX_CREDENTIAL_VALUES, MAX_SIGNATURE_PROOFS, MAX_CONTEXTS } from '../../src/verify/cost';
import { parseInput } from '../../src/verify/input';
import { StandInVerifier, credentialFor } from '../server/stand-in-verifier';

const ROOT = path.resolve(__dirname, '..', '..');

describe('finding 4: CPU budget per client', () => {
  it('serve\'s default rate limit is the documented one (120 a minute)', () => {
    const config = loadConfig({ env: {} });
    expect(config.verifier.rateLimitPerMinute).toBe(DEFAULT_VERIFIER_RATE_LIMIT.max);
    expect(DEFAULT_VERIFIER_RATE_LIMIT).toMatchObject({ windowMs: 60_000, max: 120 });
    const security = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
    expect(security).toMatch(/120 requests\/minute by\s+default/);
  });

  it('a large body costs more of the client\'s budget than a small one', async () => {
    const nowMs = Date.parse('2026-01-01T00:00:00Z');
    const app = createVerifierApp({ verifier: new StandInVerifier(), rateLimit: { windowMs: 60_000, max: 10 }, now: () => new Date(nowMs) });
    const post = (body: string) => app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body });
    const big = JSON.stringify({ ...credentialFor('valid'), padding: 'x'.repeat(200 * 1024) });
    expect((await post(big)).status).not.toBe(429);
    let passed = 0;
    for (let i = 0; i < 10; i += 1) if ((await post(JSON.stringify(credentialFor('valid')))).status !== 429) passed += 1;
    // 200 KiB is seven 32 KiB units: 10 - 7 = 3 small requests remain in this window.
    expect(passed).toBe(3);
  });

  it('one input cannot be made arbitrarily expensive: proofs, values and contexts are capped', () => {
    const base = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:key:z6Mk', credentialSubject: { id: 'did:example:1' } };
    const proof = { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: 'did:key:z6Mk#z6Mk', proofValue: 'z1' };
    expect(parseInput({ ...base, proof: Array.from({ length: MAX_SIGNATURE_PROOFS }, () => proof) }).kind).toBe('credential');
    expect(parseInput({ ...base, proof: Array.from({ length: MAX_SIGNATURE_PROOFS + 1 }, () => proof) })).toMatchObject({ kind: 'unknown', code: 'PARSE_TOO_COSTLY' });
    expect(parseInput({ ...base, proof, credentialSubject: { id: 'did:example:1', list: Array.from({ length: MAX_CREDENTIAL_VALUES }, (_, i) => i) } })).toMatchObject({ kind: 'unknown', code: 'PARSE_TOO_COSTLY' });
    expect(parseInput({ ...base, proof, '@context': [...base['@context'], ...Array.from({ length: MAX_CONTEXTS }, () => ({ x: 'https://example.org/x' }))] })).toMatchObject({ kind: 'unknown', code: 'PARSE_TOO_COSTLY' });
  });
});

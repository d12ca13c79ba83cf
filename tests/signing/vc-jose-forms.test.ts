// VC-JOSE as the spec writes it: with and without typ, each kid form, did:jwk (EdDSA, ES256), enveloped credentials and presentations.
import { describe, expect, it } from 'vitest';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { SigningKey, verifyJose } from '../../src/signing';
import { didJwkFromJwk, resolveDidJwk } from '../../src/did';
import { createVerifier } from '../../src/verify/verifier';
import type { CheckResult, VerificationOutcome } from '../../src/verify/result';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';

/** A generic VC DM 2.0 credential (the W3C examples context, bundled). */
function credentialBy(issuer: string): Record<string, unknown> {
  return {
    '@context': [V2, EXAMPLES],
    id: 'urn:uuid:1c8f4f4e-5d9c-4a35-9a37-2f1b2c3d4e5f',
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' },
  };
}

async function sign(payload: unknown, key: SigningKey, header: Record<string, unknown>): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: key.jwsAlgorithm, ...header }).sign(key.privateKeyObject());
}

function didJwkKey(algorithm: 'Ed25519' | 'P-256'): { key: SigningKey; did: string } {
  const raw = SigningKey.generate(algorithm);
  const did = didJwkFromJwk({ ...raw.publicJwk });
  return { key: raw.bind(did, `${did}#0`), did };
}

const check = (outcome: VerificationOutcome, name: string): CheckResult | undefined => outcome.checks.find((c) => c.check === name);
const verifier = createVerifier();

describe('typ', () => {
  const key = SigningKey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  const bound = key.bind(did);

  it('is tolerated when absent and accepted as vc+jwt or application/vc+jwt', async () => {
    for (const header of [{ kid: bound.id }, { kid: bound.id, typ: 'vc+jwt' }, { kid: bound.id, typ: 'application/vc+jwt' }]) {
      expect(await verifyJose(await sign(credentialBy(did), bound, header))).toMatchObject({ verified: true, controllerIsIssuer: true });
    }
  });

  it('is refused when present and wrong, naming the value (never "undefined")', async () => {
    const result = await verifyJose(await sign(credentialBy(did), bound, { kid: bound.id, typ: 'JWT' }));
    expect(result).toMatchObject({ verified: false, code: 'ERR_JOSE_TYP' });
    expect(result.message).toContain('"JWT"');
    const noAlg = await verifyJose(`${Buffer.from('{"typ":"vc+jwt"}').toString('base64url')}.e30.sig`);
    expect(noAlg.message).not.toContain('undefined');
    expect(await verifyJose(await sign(credentialBy(did), bound, { kid: bound.id, typ: 'vp+jwt' }))).toMatchObject({ code: 'ERR_JOSE_TYP' });
  });
});

describe('kid', () => {
  it.each(['Ed25519', 'P-256'] as const)('%s did:key: a DID URL, a fragment of the issuer DID, or absent (one key)', async (algorithm) => {
    const key = SigningKey.generate(algorithm);
    const did = `did:key:${key.publicKeyMultibase}`;
    const bound = key.bind(did);
    const fragment = bound.id!.slice(did.length);
    for (const kid of [bound.id, fragment, undefined]) {
      const jws = await sign(credentialBy(did), bound, kid === undefined ? { typ: 'vc+jwt' } : { typ: 'vc+jwt', kid });
      expect(await verifyJose(jws), String(kid)).toMatchObject({ verified: true, verificationMethod: bound.id, controllerIsIssuer: true });
    }
  });

  it('a fragment that the issuer does not list, or an issuer that is not a DID without a kid, is refused', async () => {
    const key = SigningKey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    expect((await verifyJose(await sign(credentialBy(did), key.bind(did), { kid: '#other' }))).code).toBe('ERR_JOSE_KID_UNKNOWN');
    expect((await verifyJose(await sign(credentialBy('https://issuer.example'), key.bind(did), {}))).code).toBe('ERR_JOSE_KID_MISSING');
  });
});

describe('did:jwk', () => {
  it('resolves to one JsonWebKey verification method #0 for assertion and authentication; private keys are refused', () => {
    const { did } = didJwkKey('Ed25519');
    const doc = resolveDidJwk(did);
    expect(doc.verificationMethod).toEqual([expect.objectContaining({ id: `${did}#0`, type: 'JsonWebKey', controller: did })]);
    expect(doc.assertionMethod).toEqual([`${did}#0`]);
    expect(doc.authentication).toEqual([`${did}#0`]);
    expect(() => resolveDidJwk(didJwkFromJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AA', d: 'AA' }))).toThrow(expect.objectContaining({ code: 'ERR_DID_JWK_INVALID' }));
    expect(() => resolveDidJwk('did:jwk:!!')).toThrow(expect.objectContaining({ code: 'ERR_DID_JWK_INVALID' }));
  });

  it.each(['Ed25519', 'P-256'] as const)('%s: verifies through the whole verifier, with kid #0 or no kid; jose agrees', async (algorithm) => {
    const { key, did } = didJwkKey(algorithm);
    for (const header of [{ typ: 'vc+jwt', kid: `${did}#0` }, { kid: '#0' }, {}]) {
      const jws = await sign(credentialBy(did), key, header);
      const outcome = await verifier.verify(jws);
      expect(check(outcome, 'signature')?.status, JSON.stringify(header)).toBe('passed');
      expect(check(outcome, 'issuer-key')?.status).toBe('passed');
      expect(check(outcome, 'schema')?.status).toBe('passed');
      // Independent check with jose and the key taken from the DID itself.
      const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as JWK;
      await expect(compactVerify(jws, await importJWK(jwk, key.jwsAlgorithm))).resolves.toBeDefined();
    }
  });

  it('a did:jwk credential signed by another key fails the signature', async () => {
    const { did } = didJwkKey('Ed25519');
    const other = SigningKey.generate().bind(did, `${did}#0`);
    expect((await verifyJose(await sign(credentialBy(did), other, { kid: `${did}#0` }))).code).toBe('ERR_JOSE_SIGNATURE');
  });
});

describe('enveloped credentials and presentations', () => {
  const issuer = didJwkKey('Ed25519');
  const holder = didJwkKey('P-256');

  async function envelopedCredential(): Promise<Record<string, unknown>> {
    const jws = await sign({ ...credentialBy(issuer.did), credentialSubject: { id: holder.did, alumniOf: 'Example University' } }, issuer.key, { typ: 'vc+jwt' });
    return { '@context': [V2], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jws}` };
  }

  async function presentationJws(extra: Record<string, unknown> = {}, by = holder.key): Promise<string> {
    const vp = { '@context': [V2], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [await envelopedCredential()], ...extra };
    return sign(vp, by, { typ: 'vp+jwt', kid: `${holder.did}#0` });
  }

  it('an EnvelopedVerifiableCredential without an anchor proof verifies its JWS', async () => {
    const outcome = await verifier.verify(await envelopedCredential());
    expect(outcome.kind).toBe('credential');
    expect(check(outcome, 'signature')?.status).toBe('passed');
  });

  it('a vp+jwt and an EnvelopedVerifiablePresentation verify the holder JWS and each credential inside', async () => {
    const jws = await presentationJws({ nonce: 'n-1', aud: 'https://verifier.example' });
    for (const input of [jws, { '@context': [V2], type: 'EnvelopedVerifiablePresentation', id: `data:application/vp+jwt,${jws}` }]) {
      const outcome = await verifier.verify(input, { challenge: 'n-1', domain: 'https://verifier.example' });
      expect(outcome.kind).toBe('presentation');
      expect(check(outcome, 'presentation')).toMatchObject({ status: 'passed', code: 'PRESENTATION_PROOF_VALID' });
      expect(outcome.credentials).toHaveLength(1);
      expect(check(outcome.credentials![0]!, 'signature')?.status).toBe('passed');
    }
  });

  it('a wrong nonce or aud, a holder mismatch and a tampered VP are refused', async () => {
    const jws = await presentationJws({ nonce: 'n-1', aud: 'https://verifier.example' });
    expect(check(await verifier.verify(jws, { challenge: 'n-2' }), 'presentation')?.code).toBe('PRESENTATION_CHALLENGE_MISMATCH');
    expect(check(await verifier.verify(jws, { domain: 'https://other.example' }), 'presentation')?.code).toBe('PRESENTATION_DOMAIN_MISMATCH');
    const stranger = didJwkKey('Ed25519');
    const foreign = await sign({ '@context': [V2], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [] }, stranger.key, { typ: 'vp+jwt', kid: `${stranger.did}#0` });
    expect(check(await verifier.verify(foreign), 'presentation')?.code).toBe('PRESENTATION_HOLDER_MISMATCH');
    const [h, , s] = jws.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ '@context': [V2], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [] })).toString('base64url')}.${s}`;
    expect(check(await verifier.verify(tampered), 'presentation')?.code).toBe('PRESENTATION_PROOF_INVALID');
  });
});

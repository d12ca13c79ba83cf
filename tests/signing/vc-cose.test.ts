// VC-COSE (VC-JOSE-COSE § 3.3): COSE_Sign1 credentials made with @auth0/cose, ES256 and EdDSA, verified by microcred and its VC-API; refusals by name.
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read by path. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Algorithms, Headers, Sign1 } from '@auth0/cose';
import { SigningKey, coseEnvelope, signCose, verifyCose } from '../../src/signing';
import { didJwkFromJwk } from '../../src/did';
import { createVerifierApp } from '../../src/server/verifier-app';
import { createVerifier } from '../../src/verify/verifier';
import type { CheckResult, VerificationOutcome } from '../../src/verify/result';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';
const TYP = 16;

function credentialBy(issuer: string): Record<string, unknown> {
  return {
    '@context': [V2, EXAMPLES],
    id: 'urn:uuid:5d1b6c1e-2f0a-4d7b-8c3e-9a2b1c0d3e4f',
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:ada', alumniOf: 'Example University' },
  };
}

type Header = [number, unknown];

/** Signs with the library itself, not with microcred's signer. */
async function librarySign(payload: unknown, key: SigningKey, headers: Header[]): Promise<Uint8Array> {
  const alg = key.jwsAlgorithm === 'EdDSA' ? Algorithms.EdDSA : Algorithms.ES256;
  const message = await Sign1.sign([[Headers.Algorithm, alg], ...headers] as any, undefined, new TextEncoder().encode(JSON.stringify(payload)), key.privateKeyObject());
  return message.encode();
}

const kidHeader = (kid: string): Header => [Headers.KeyID, new TextEncoder().encode(kid)];
const specHeaders = (kid: string): Header[] => [[Headers.ContentType, 'application/vc'], [TYP, 'application/vc+cose'], kidHeader(kid)];

function didKeyIssuer(algorithm: 'Ed25519' | 'P-256'): { key: SigningKey; did: string } {
  const raw = SigningKey.generate(algorithm);
  const did = `did:key:${raw.publicKeyMultibase}`;
  return { key: raw.bind(did), did };
}

function didJwkIssuer(algorithm: 'Ed25519' | 'P-256'): { key: SigningKey; did: string } {
  const raw = SigningKey.generate(algorithm);
  const did = didJwkFromJwk({ ...raw.publicJwk });
  return { key: raw.bind(did, `${did}#0`), did };
}

const check = (outcome: VerificationOutcome, name: string): CheckResult | undefined => outcome.checks.find((c) => c.check === name);
const verifier = createVerifier();
const app = createVerifierApp({ verifier, rateLimit: false });
async function vcApi(verifiableCredential: unknown): Promise<{ status: number; body: any }> {
  const response = await app.request('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential }) });
  return { status: response.status, body: await response.json() };
}

describe('VC-COSE credentials made by @auth0/cose', () => {
  it.each([
    ['EdDSA', 'did:key', () => didKeyIssuer('Ed25519')],
    ['ES256', 'did:key', () => didKeyIssuer('P-256')],
    ['EdDSA', 'did:jwk', () => didJwkIssuer('Ed25519')],
    ['ES256', 'did:jwk', () => didJwkIssuer('P-256')],
  ] as const)('%s with %s: verified by microcred, through the whole verifier and the VC-API (200)', async (_alg, _method, make) => {
    const { key, did } = make();
    const cose = await librarySign(credentialBy(did), key, specHeaders(key.id!));
    expect(await verifyCose(cose)).toMatchObject({ verified: true, issuer: did, verificationMethod: key.id, controllerIsIssuer: true });
    const envelope = coseEnvelope(cose);
    const outcome = await verifier.verify(envelope);
    expect(check(outcome, 'parse')?.data).toMatchObject({ securing: 'vc-cose-envelope' });
    expect(check(outcome, 'signature')).toMatchObject({ status: 'passed', data: { proofTypes: [`COSE/${key.jwsAlgorithm}`] } });
    expect(check(outcome, 'issuer-key')?.status).toBe('passed');
    expect(check(outcome, 'schema')?.status).toBe('passed');
    expect((await vcApi(envelope)).status).toBe(200);
    expect((await vcApi(envelope.id)).status).toBe(200);
  });

  it('kid forms: a fragment of the issuer DID, or absent when the DID has one key (did:jwk); typ and cty may be left out', async () => {
    const { key, did } = didJwkIssuer('P-256');
    for (const headers of [[kidHeader('#0')], [], [[TYP, 'application/vc+cose'] as Header]]) {
      expect(await verifyCose(await librarySign(credentialBy(did), key, headers)), JSON.stringify(headers)).toMatchObject({ verified: true, verificationMethod: `${did}#0` });
    }
  });

  it('microcred’s own signCose output verifies with the library and the key from the DID', async () => {
    const { key, did } = didKeyIssuer('Ed25519');
    const cose = await signCose(credentialBy(did), { signingKey: key });
    const decoded = Sign1.decode(cose);
    await expect(decoded.verify(createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' }), { algorithms: [Algorithms.EdDSA] })).resolves.toBeUndefined();
    expect(decoded.protectedHeaders.get(TYP)).toBe('application/vc+cose');
    expect(decoded.protectedHeaders.get(Headers.ContentType)).toBe('application/vc');
    expect(await verifyCose(cose)).toMatchObject({ verified: true });
  });
});

describe('POST /v1/verify with the COSE bytes (application/vc+cose)', () => {
  it('verifies the bytes as sent; changed bytes fail the signature', async () => {
    const { key, did } = didKeyIssuer('Ed25519');
    const cose = await librarySign(credentialBy(did), key, specHeaders(key.id!));
    const post = async (body: Uint8Array): Promise<any> => (await app.request('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/vc+cose' }, body })).json();
    const outcome = await post(cose);
    expect(check(outcome, 'parse')?.data).toMatchObject({ securing: 'vc-cose-envelope' });
    expect(check(outcome, 'signature')?.status).toBe('passed');
    const bad = Uint8Array.from(cose);
    bad[bad.length - 1]! ^= 0xff; // the last byte of the signature
    expect(check(await post(bad), 'signature')).toMatchObject({ status: 'failed', data: { cause: 'ERR_COSE_SIGNATURE' } });
  });
});

describe('VC-COSE inside a presentation', () => {
  it('an enveloped COSE credential in a presentation is verified with the others, and a forged one is named by index', async () => {
    const { key, did } = didKeyIssuer('P-256');
    const good = coseEnvelope(await librarySign(credentialBy(did), key, specHeaders(key.id!)));
    const decoded = Sign1.decode(await librarySign(credentialBy(did), key, specHeaders(key.id!)));
    const changed = new TextEncoder().encode(JSON.stringify({ ...credentialBy(did), validFrom: '2020-01-01T00:00:00Z' }));
    const forged = coseEnvelope(new Sign1(decoded.protectedHeaders, decoded.unprotectedHeaders, changed, decoded.signature).encode());
    const outcome = await verifier.verify({ '@context': [V2], type: ['VerifiablePresentation'], verifiableCredential: [good, forged] });
    expect(outcome.kind).toBe('presentation');
    expect(check(outcome.credentials![0]!, 'signature')).toMatchObject({ status: 'passed' });
    expect(check(outcome.credentials![1]!, 'signature')).toMatchObject({ status: 'failed', code: 'SIGNATURE_INVALID', data: { cause: 'ERR_COSE_SIGNATURE' } });
  });
});

describe('refused by name', () => {
  const { key, did } = didKeyIssuer('Ed25519');

  it('a changed payload fails the signature; the VC-API answers 422 with a CRYPTOGRAPHIC_SECURITY_ERROR problem', async () => {
    const cose = await librarySign(credentialBy(did), key, specHeaders(key.id!));
    const decoded = Sign1.decode(cose);
    const changed = new TextEncoder().encode(JSON.stringify({ ...credentialBy(did), credentialSubject: { id: 'did:example:mallory', alumniOf: 'Example University' } }));
    const forged = new Sign1(decoded.protectedHeaders, decoded.unprotectedHeaders, changed, decoded.signature).encode();
    expect(await verifyCose(forged)).toMatchObject({ verified: false, code: 'ERR_COSE_SIGNATURE' });
    const { status, body } = await vcApi(coseEnvelope(forged));
    expect(status).toBe(422);
    expect(body.problemDetails).toContainEqual(expect.objectContaining({ type: 'https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR', check: 'signature' }));
  });

  it('an algorithm outside EdDSA and ES256 (ES384) is refused', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const payload = new TextEncoder().encode(JSON.stringify(credentialBy(did)));
    const cose = (await Sign1.sign([[Headers.Algorithm, Algorithms.ES384], kidHeader(key.id!)] as any, undefined, payload, privateKey)).encode();
    expect(await verifyCose(cose)).toMatchObject({ verified: false, code: 'ERR_COSE_ALG_NOT_ALLOWED' });
  });

  it('a typ or content type for something else is refused', async () => {
    expect(await verifyCose(await librarySign(credentialBy(did), key, [[TYP, 'application/vp+cose'], kidHeader(key.id!)]))).toMatchObject({ code: 'ERR_COSE_TYP' });
    expect(await verifyCose(await librarySign(credentialBy(did), key, [[Headers.ContentType, 'text/plain'], kidHeader(key.id!)]))).toMatchObject({ code: 'ERR_COSE_TYP' });
  });

  it('a kid of another DID is not the issuer’s; a kid the DID does not list is unknown', async () => {
    const other = didKeyIssuer('Ed25519');
    expect(await verifyCose(await librarySign(credentialBy(did), other.key, [kidHeader(other.key.id!)]))).toMatchObject({ verified: false, code: 'ERR_COSE_KID_NOT_ISSUER', controllerIsIssuer: false });
    expect(await verifyCose(await librarySign(credentialBy(did), key, [kidHeader(`${did}#not-a-key`)]))).toMatchObject({ verified: false, code: 'ERR_COSE_KID_UNKNOWN' });
  });

  it('bytes that are not a COSE_Sign1, and a payload that is not a credential, are refused; the verifier says PARSE_ENVELOPE_MALFORMED', async () => {
    expect(await verifyCose(new TextEncoder().encode('not cbor at all'))).toMatchObject({ verified: false, code: 'ERR_COSE_MALFORMED' });
    const notJson = (await Sign1.sign([[Headers.Algorithm, Algorithms.EdDSA]] as any, undefined, new TextEncoder().encode('hello'), key.privateKeyObject())).encode();
    expect(await verifyCose(notJson)).toMatchObject({ verified: false, code: 'ERR_COSE_PAYLOAD' });
    const outcome = await verifier.verify(coseEnvelope(notJson));
    expect(check(outcome, 'parse')).toMatchObject({ status: 'failed', code: 'PARSE_ENVELOPE_MALFORMED' });
    // An envelope that cannot be read is a request that cannot be read (400), as for any PARSE_* failure.
    expect((await vcApi({ '@context': V2, type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+cose;base64,@@@' })).status).toBe(400);
  });
});

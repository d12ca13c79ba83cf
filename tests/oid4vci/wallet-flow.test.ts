// A wallet (the OpenWallet Foundation's OID4VCI client) against the whole running system: offer, token, proof, credential.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsigsModule from 'jsonld-signatures';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { databasePath, openStore } from '../../src/store';
import type { VerificationOutcome } from '../../src/verify/result';
import { freePort } from '../helpers/free-port';
import { sampleRecord } from '../helpers/records';
import { testLoader } from '../signing/fixtures';
import { makeIssuer } from '../verify/fixtures';
import { askCredential, askDeferred, credentialOf, freshNonce, handMadeProof, proofOf, redeem, tokenRefusal, walletClient, type Redeemed, type WalletKey } from './wallet';

const jsigs = jsigsModule as unknown as {
  sign(doc: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  purposes: { AuthenticationProofPurpose: new (o: { challenge: string; domain?: string }) => unknown };
};

const secret = randomBytes(32).toString('base64url');
let system: RunningSystem;
let dir: string;
let adminToken: string;
/** The system's clock: real time plus a shift the expiry test moves forward. */
let shiftMs = 0;

/** The wallet's Ed25519 did:key, and a second (thief's) key. */
const holder = makeIssuer('wallet holder');
const other = makeIssuer('someone else');
const didKeyOf = (k: typeof holder): WalletKey => ({
  signer: { method: 'did', didUrl: k.signingKey.id as string, alg: 'EdDSA' },
  privateKey: k.signingKey.privateKeyObject(),
  publicJwk: k.signingKey.publicJwk,
});
const holderKey = didKeyOf(holder);
const otherKey = didKeyOf(other);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-oid4vci-'));
  const dataDir = path.join(dir, 'data');
  const store = openStore({ path: databasePath(dataDir), secret });
  adminToken = store.createToken('lms', ['admin'], 'test').token;
  store.close();
  const config = loadConfig({ env: {}, overrides: { dataDir, port: 0, chain: { embeddedPort: await freePort() }, batch: { maxAgeSeconds: 3600 } } });
  system = await startSystem({ config, env: { MICROCRED_SECRET: secret }, now: () => new Date(Date.now() + shiftMs) });
});
afterAll(async () => {
  await system?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface OfferAnswer {
  offerId: string;
  credentialOfferUri: string;
  txCode: string | null;
  expiresAt: string;
  qrSvg: string;
}

async function createOffer(body: Record<string, unknown>): Promise<OfferAnswer> {
  const response = await fetch(`${system.url}/v1/offers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as OfferAnswer;
}

async function post(pathname: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${system.url}${pathname}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

async function verify(body: unknown): Promise<VerificationOutcome> {
  const response = await fetch(`${system.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as VerificationOutcome;
}

async function present(signer: typeof holder, credential: unknown, challenge: string): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: signer.signingKey.dataIntegritySigner() });
  const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: signer.did, verifiableCredential: [credential] };
  return jsigs.sign(vp, { suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({ challenge }), documentLoader: testLoader });
}

/** Redeems, proves `key` with a fresh nonce and asks for the credential. */
async function issueTo(key: WalletKey, offerUri: string, txCode?: string): Promise<{ redeemed: Redeemed; answer: { status: number; body: Record<string, unknown> } }> {
  const client = walletClient([key]);
  const redeemed = await redeem(client, offerUri, txCode);
  const jwt = await proofOf(client, redeemed, key, await freshNonce(client, redeemed));
  return { redeemed, answer: await askCredential(client, redeemed, jwt) };
}

describe('OID4VCI pre-authorized code flow against the running issuer', () => {
  it('publishes issuer and authorization server metadata for the Open Badges ldp_vc configuration', async () => {
    const issuerMetadata = (await (await fetch(`${system.url}/.well-known/openid-credential-issuer`)).json()) as { credential_configurations_supported: Record<string, unknown> } & Record<string, unknown>;
    expect(issuerMetadata).toMatchObject({
      credential_issuer: system.url,
      credential_endpoint: `${system.url}/oid4vci/credential`,
      nonce_endpoint: `${system.url}/oid4vci/nonce`,
      deferred_credential_endpoint: `${system.url}/oid4vci/deferred-credential`,
    });
    expect(issuerMetadata.credential_configurations_supported.OpenBadgeCredential_ldp_vc).toMatchObject({
      format: 'ldp_vc',
      credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } },
    });
    const server = (await (await fetch(`${system.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(server).toMatchObject({ issuer: system.url, token_endpoint: `${system.url}/oid4vci/token`, 'pre-authorized_grant_anonymous_access_supported': true });
  });

  it('offer → token → proof → deferred until anchored → a credential bound to the wallet’s DID that verifies valid', async () => {
    const offer = await createOffer({ record: sampleRecord() });
    expect(offer.credentialOfferUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    expect(offer.txCode).toBeNull();
    expect(offer.qrSvg).toContain('<svg');
    const client = walletClient([holderKey]);
    const { redeemed, answer } = await issueTo(holderKey, offer.credentialOfferUri);
    // The batch is open: only the anchored form leaves the issuer, so the answer is deferred.
    expect(answer.status).toBe(202);
    const transactionId = answer.body.transaction_id as string;
    expect(typeof transactionId).toBe('string');
    expect((await askDeferred(client, redeemed, transactionId)).status).toBe(202);

    await system.issuer!.anchorer.anchorNow();
    const done = await askDeferred(client, redeemed, transactionId);
    expect(done.status).toBe(200);
    const credential = credentialOf(done.body);
    expect(credential.credentialSubject.id).toBe(holder.did);
    expect(JSON.stringify(credential)).not.toContain('ada@example.org');
    expect((await verify(credential)).verdict).toBe('valid');

    // Held by its holder: a presentation signed by the wallet's key binds it; one by any other key does not.
    const own = await verify({ verifiablePresentation: await present(holder, credential, 'c-1'), options: { challenge: 'c-1' } });
    expect(own.credentials?.[0]?.checks.find((c) => c.check === 'holder-binding')).toMatchObject({ status: 'passed', code: 'HOLDER_BOUND' });
    expect(own.verdict).toBe('valid');
    const stolen = await verify({ verifiablePresentation: await present(other, credential, 'c-2'), options: { challenge: 'c-2' } });
    expect(stolen.credentials?.[0]?.checks.find((c) => c.check === 'holder-binding')).toMatchObject({ status: 'failed', code: 'HOLDER_MISMATCH' });
    expect(stolen.verdict).toBe('invalid');

    // The learner row keeps the email (erasable), linked to the wallet-bound credential.
    expect(system.issuer!.service.listCredentials({ learner: 'ada@example.org' }).items.map((v) => v.id)).toContain(credential.id);
    // The code is single use.
    expect(await tokenRefusal(redeem(client, offer.credentialOfferUri))).toBe('invalid_grant');
  });

  it('an issued (email-bound) credential offered again reaches the wallet as a new credential with the same achievement', async () => {
    const original = await system.issuer!.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const offer = await createOffer({ credentialId: original.credentialId });
    const client = walletClient([holderKey]);
    const { redeemed, answer } = await issueTo(holderKey, offer.credentialOfferUri);
    expect(answer.status).toBe(202);
    await system.issuer!.anchorer.anchorNow();
    const copy = credentialOf((await askDeferred(client, redeemed, answer.body.transaction_id as string)).body);
    const source = original.credential as { credentialSubject: { achievement: unknown }; validFrom: string; validUntil: string };
    expect(copy.id).not.toBe(original.credentialId);
    expect(copy.credentialSubject.id).toBe(holder.did);
    expect((copy.credentialSubject as { achievement?: unknown }).achievement).toEqual(source.credentialSubject.achievement);
    expect([copy.validFrom, copy.validUntil]).toEqual([source.validFrom, source.validUntil]);
    expect((await verify(copy)).verdict).toBe('valid');
  });

  it('with a PIN: a wrong PIN is invalid_grant, a missing one invalid_request, the right one redeems; five wrong PINs burn the offer', async () => {
    const offer = await createOffer({ record: sampleRecord(), pin: true });
    expect(offer.txCode).toMatch(/^\d{6}$/);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    const client = walletClient([holderKey]);
    expect(await tokenRefusal(redeem(client, offer.credentialOfferUri, wrong))).toBe('invalid_grant');
    const code = new URL(offer.credentialOfferUri.replace('openid-credential-offer://', 'https://x/')).searchParams.get('credential_offer')!;
    const preAuthorizedCode = (JSON.parse(code) as { grants: Record<string, { 'pre-authorized_code': string }> }).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const missing = await post('/oid4vci/token', new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': preAuthorizedCode }).toString(), form);
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const { answer } = await issueTo(holderKey, offer.credentialOfferUri, offer.txCode!);
    expect(answer.status).toBe(202);

    const burnt = await createOffer({ record: sampleRecord(), pin: true });
    const bad = burnt.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect(await tokenRefusal(redeem(client, burnt.credentialOfferUri, bad))).toBe('invalid_grant');
    expect(await tokenRefusal(redeem(client, burnt.credentialOfferUri, burnt.txCode!))).toBe('invalid_grant');
  });

  it('refuses a proof with a wrong nonce (invalid_nonce with a fresh c_nonce), a wrong key type and a replay; one credential per offer', async () => {
    const offer = await createOffer({ record: sampleRecord() });
    const client = walletClient([holderKey, otherKey]);
    const redeemed = await redeem(client, offer.credentialOfferUri);

    const unknownNonce = await askCredential(client, redeemed, await proofOf(client, redeemed, holderKey, 'not-a-nonce-of-this-issuer'));
    expect(unknownNonce).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
    expect(typeof unknownNonce.body.c_nonce).toBe('string');

    // An RSA key (RS256) is not a key type this issuer binds credentials to (the library's wallet would not even sign it).
    const rsa = await generateKeyPair('RS256');
    const rsaKey: WalletKey = { signer: { method: 'jwk', publicJwk: (await exportJWK(rsa.publicKey)) as never, alg: 'RS256' }, privateKey: rsa.privateKey, publicJwk: await exportJWK(rsa.publicKey) };
    const wrongType = await askCredential(client, redeemed, await handMadeProof(rsaKey, system.url, unknownNonce.body.c_nonce as string));
    expect(wrongType).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    // A proof for another issuer (aud) is refused too.
    const elsewhere = await askCredential(client, redeemed, await handMadeProof(holderKey, 'https://other-issuer.example', unknownNonce.body.c_nonce as string));
    expect(elsewhere).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });

    // The nonce refused for a bad signature is still good for a good proof.
    const proof = await proofOf(client, redeemed, holderKey, unknownNonce.body.c_nonce as string);
    const first = await askCredential(client, redeemed, proof);
    expect(first.status).toBe(202);
    const replay = await askCredential(client, redeemed, proof);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });

    // Asked again by the same key: the same credential, not a second one; by another key: refused.
    const again = await askCredential(client, redeemed, await proofOf(client, redeemed, holderKey, await freshNonce(client, redeemed)));
    expect(again.status).toBe(202);
    const thief = await askCredential(client, redeemed, await proofOf(client, redeemed, otherKey, await freshNonce(client, redeemed)));
    expect(thief).toMatchObject({ status: 400, body: { error: 'credential_request_denied' } });
    const issued = system.issuer!.store.offers.get(offer.offerId)!;
    expect(issued.credentialId).not.toBeNull();
    expect(system.issuer!.service.listCredentials({ learner: holder.did }).items.filter((v) => v.id === issued.credentialId)).toHaveLength(1);
    expect(issued.record).toBeNull();

    // A wrong access token: invalid_token, 401.
    const noToken = await post('/oid4vci/credential', JSON.stringify({ credential_configuration_id: redeemed.configurationId }), { 'content-type': 'application/json', authorization: 'Bearer nope-nope-nope-nope-nope-nope' });
    expect(noToken).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
  });

  it('a wallet-bound jwk proof makes a did:jwk subject', async () => {
    const pair = await generateKeyPair('ES256');
    const publicJwk = await exportJWK(pair.publicKey);
    const jwkKey: WalletKey = { signer: { method: 'jwk', publicJwk: publicJwk as never, alg: 'ES256' }, privateKey: pair.privateKey, publicJwk };
    const offer = await createOffer({ record: sampleRecord() });
    const { answer } = await issueTo(jwkKey, offer.credentialOfferUri);
    expect(answer.status).toBe(202);
    const holderDid = system.issuer!.store.offers.get(offer.offerId)!.holderDid!;
    expect(holderDid.startsWith('did:jwk:')).toBe(true);
    expect(JSON.parse(Buffer.from(holderDid.slice('did:jwk:'.length), 'base64url').toString())).toEqual({ kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y });
  });

  it('error answers carry no learner data', async () => {
    const offer = await createOffer({ record: sampleRecord(), pin: true });
    const client = walletClient([holderKey]);
    let text = '';
    try {
      await redeem(client, offer.credentialOfferUri, offer.txCode === '000000' ? '111111' : '000000');
    } catch (error) {
      text = JSON.stringify((error as { errorResponse?: unknown }).errorResponse);
    }
    expect(text).toContain('invalid_grant');
    for (const word of ['ada@example.org', 'Ada Lovelace', 'Advanced Cardiac']) expect(text).not.toContain(word);
  });

  it('an expired offer is invalid_grant (runs last: it moves the system clock forward)', async () => {
    const offer = await createOffer({ record: sampleRecord(), expiresInSeconds: 60 });
    shiftMs = 61_000;
    expect(await tokenRefusal(redeem(walletClient([holderKey]), offer.credentialOfferUri))).toBe('invalid_grant');
    // The learner's data in a dead offer is dropped by the next nonce the issuer hands out.
    expect(system.issuer!.store.offers.get(offer.offerId)!.record).not.toBeNull();
    expect((await post('/oid4vci/nonce', '', {})).status).toBe(200);
    expect(system.issuer!.store.offers.get(offer.offerId)!.record).toBeNull();
  });
});

// VC-JOSE: round trips (EdDSA, ES256), interop with jose alone, rotation, and the attacks refused with codes.
import { describe, expect, it } from 'vitest';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, createDidWebIssuer, issuerDidDocument, rotate, signJose, verifyJose, type IssuerKeyring } from '../../src/signing';
import { createDidResolver, findVerificationMethod, multikeyToJwk } from '../../src/did';
import { sampleRecord } from './fixtures';

const now = () => new Date('2025-03-02T08:00:00Z');
const credentialOf = (issuer: IssuerKeyring) => buildCredential({ record: sampleRecord(), issuer: issuer.profile, now }) as unknown as Record<string, unknown>;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function resolverFor(issuer: IssuerKeyring) {
  return createDidResolver({ documents: { [issuer.did]: await issuerDidDocument(issuer) } });
}

describe('VC-JOSE round trips', () => {
  it.each(['Ed25519', 'P-256'] as const)('%s did:key: signs with typ vc+jwt and the kid, verifies', async (algorithm) => {
    const issuer = createDidKeyIssuer(SigningKey.generate(algorithm), { name: 'H', url: 'https://h.example' });
    const credential = credentialOf(issuer);
    const jws = await signJose(credential, { signingKey: issuer.signingKey });
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: algorithm === 'Ed25519' ? 'EdDSA' : 'ES256', typ: 'vc+jwt', kid: issuer.signingKey.id });
    const result = await verifyJose(jws);
    expect(result).toMatchObject({ verified: true, credential, verificationMethod: issuer.signingKey.id, controller: issuer.did, controllerIsIssuer: true });
  });

  it('interop: jose alone verifies it with the key from the DID document', async () => {
    const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
    const credential = credentialOf(issuer);
    const jws = await signJose(credential, { signingKey: issuer.signingKey });
    const vm = findVerificationMethod(await issuerDidDocument(issuer), issuer.signingKey.id!)!;
    const key = await importJWK({ ...multikeyToJwk(vm.publicKeyMultibase as string) }, 'EdDSA');
    const { payload, protectedHeader } = await compactVerify(jws, key, { algorithms: ['EdDSA'] });
    expect(protectedHeader.typ).toBe('vc+jwt');
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(credential);
  });

  it('did:web rotation: old credentials keep verifying, the new key signs', async () => {
    const before = createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', profile: { name: 'H', url: 'https://h.example' } });
    const oldJws = await signJose(credentialOf(before), { signingKey: before.signingKey });
    const after = rotate(before, SigningKey.generate('P-256'));
    expect(after.signingKey.id).not.toBe(before.signingKey.id);
    expect(after.verificationMethods.map((vm) => vm.id)).toEqual([after.signingKey.id, before.signingKey.id]);
    const resolver = await resolverFor(after);
    expect((await verifyJose(oldJws, { resolver })).verified).toBe(true);
    const newJws = await signJose(credentialOf(after), { signingKey: after.signingKey });
    expect(await verifyJose(newJws, { resolver })).toMatchObject({ verified: true, verificationMethod: after.signingKey.id });
  });

  it('did:key cannot rotate in place', () => {
    const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
    expect(() => rotate(issuer)).toThrow(expect.objectContaining({ code: 'ERR_ROTATE_DID_KEY' }));
  });
});

describe('VC-JOSE attacks are refused with codes', () => {
  const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
  const credential = credentialOf(issuer);

  it('alg none', async () => {
    const jws = `${b64({ alg: 'none', typ: 'vc+jwt', kid: issuer.signingKey.id })}.${b64(credential)}.`;
    expect((await verifyJose(jws)).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('HS256 with the public key as the HMAC secret', async () => {
    const secret = Buffer.from(issuer.signingKey.publicJwk.x, 'base64url');
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
      .setProtectedHeader({ alg: 'HS256', typ: 'vc+jwt', kid: issuer.signingKey.id! })
      .sign(secret);
    expect((await verifyJose(jws)).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('a wrong typ (signed correctly)', async () => {
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: issuer.signingKey.id! })
      .sign(issuer.signingKey.privateKeyObject());
    expect((await verifyJose(jws)).code).toBe('ERR_JOSE_TYP');
  });

  it('a kid from another DID (the attacker signs with their own did:key)', async () => {
    const attacker = createDidKeyIssuer(SigningKey.generate(), { name: 'E', url: 'https://e.example' });
    const jws = await signJose(credential, { signingKey: attacker.signingKey });
    expect(await verifyJose(jws)).toMatchObject({ verified: false, code: 'ERR_JOSE_KID_NOT_ISSUER', controllerIsIssuer: false });
  });

  it('a kid of the issuer DID that is not in its DID document', async () => {
    const web = createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', profile: { name: 'H', url: 'https://h.example' } });
    const resolver = await resolverFor(web);
    const rogue = SigningKey.generate().bind(web.did, `${web.did}#rogue`);
    const jws = await signJose(credentialOf(web), { signingKey: rogue });
    expect((await verifyJose(jws, { resolver })).code).toBe('ERR_JOSE_KID_UNKNOWN');
  });

  it('a changed payload', async () => {
    const jws = await signJose(credential, { signingKey: issuer.signingKey });
    const [h, , s] = jws.split('.');
    const forged = `${h}.${b64({ ...credential, name: 'Something else' })}.${s}`;
    expect((await verifyJose(forged)).code).toBe('ERR_JOSE_SIGNATURE');
  });

  it('an ES256 header over an Ed25519 key', async () => {
    const p256 = SigningKey.generate('P-256').bind(issuer.did, issuer.signingKey.id);
    const jws = await signJose(credential, { signingKey: p256 });
    expect((await verifyJose(jws)).code).toBe('ERR_JOSE_KEY_MISMATCH');
  });

  it('junk never throws', async () => {
    for (const junk of [undefined, 7, '', 'a.b', 'a.b.c', '!!.??.##']) {
      const result = await verifyJose(junk);
      expect(result.verified).toBe(false);
      expect(result.code).toMatch(/^ERR_JOSE_/);
    }
  });
});

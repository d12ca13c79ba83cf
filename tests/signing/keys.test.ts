// Keys: serialise/load round trips, and key material never shows in logs, JSON, strings or errors.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MicrocredError } from '../../src/errors';
import { SigningKey, createDidWebIssuer, loadIssuer, rotate, serializeIssuer } from '../../src/signing';

describe('SigningKey', () => {
  it.each(['Ed25519', 'P-256'] as const)('%s round trips through serialize/load', (algorithm) => {
    const key = SigningKey.generate(algorithm).bind('did:web:issuer.example');
    const stored = key.serialize();
    expect(stored.private.d).toMatch(/^[\w-]{43}$/);
    expect(Object.keys(stored).sort()).toEqual(['algorithm', 'controller', 'format', 'id', 'private', 'publicKeyMultibase']);
    const loaded = SigningKey.load(JSON.parse(JSON.stringify(stored)));
    expect(loaded.publicKeyMultibase).toBe(key.publicKeyMultibase);
    expect(loaded.id).toBe(key.id);
    expect(loaded.serialize()).toEqual(stored);
  });

  it.each(['Ed25519', 'P-256'] as const)('%s key material never leaks through inspect, JSON, String or logs', (algorithm) => {
    const key = SigningKey.generate(algorithm).bind('did:web:issuer.example');
    const d = key.serialize().private.d;
    const renderings = [inspect(key), inspect({ nested: { key } }, { depth: 10 }), JSON.stringify({ key }), String(key), `${key.toString()}`];
    for (const text of renderings) {
      expect(text).not.toContain(d);
      expect(text).toContain(key.publicKeyMultibase);
    }
    const error = new MicrocredError('ERR_KEY_FORMAT', 'boom', { details: { key } });
    expect(inspect(error, { depth: 10 })).not.toContain(d);
    expect(JSON.stringify(error.details)).not.toContain(d);
  });

  it('refuses a private part that does not match the public key', () => {
    const a = SigningKey.generate().serialize();
    const b = SigningKey.generate().serialize();
    expect(() => SigningKey.load({ ...a, private: b.private })).toThrow(expect.objectContaining({ code: 'ERR_KEY_MISMATCH' }));
    expect(() => SigningKey.load({ ...a, format: 'other' } as never)).toThrow(expect.objectContaining({ code: 'ERR_KEY_FORMAT' }));
  });

  it('an issuer keyring survives serialise/load, rotation included', () => {
    const issuer = rotate(createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', path: 'cpd', profile: { name: 'H', url: 'https://h.example' } }));
    const loaded = loadIssuer(JSON.parse(JSON.stringify(serializeIssuer(issuer))));
    expect(loaded.did).toBe('did:web:issuer.example:cpd');
    expect(loaded.signingKey.id).toBe(issuer.signingKey.id);
    expect(loaded.verificationMethods).toHaveLength(2);
  });
});

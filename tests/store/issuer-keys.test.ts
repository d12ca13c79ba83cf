import { describe, expect, it } from 'vitest';
import { isMicrocredError } from '../../src/errors';
import { openStore } from '../../src/store';
import { SECRET, databaseFilesContain, newStore } from './helpers';

const PRIVATE_D = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A';
const key = (n: number) => ({
  kid: `did:key:z6MkTest#key-${n}`,
  controller: 'did:key:z6MkTest',
  algorithm: 'Ed25519',
  publicKey: { kty: 'OKP', crv: 'Ed25519', x: `public-${n}` },
  privateKey: { kty: 'OKP', crv: 'Ed25519', x: `public-${n}`, d: `${PRIVATE_D}${n}` },
});

describe('issuer keys', () => {
  it('seals the private part at rest and opens it with the secret', () => {
    const store = newStore({ secret: SECRET });
    const row = store.addIssuerKey(key(1), 'test');
    expect(row).toMatchObject({ kid: key(1).kid, active: true, retiredAt: null, publicKey: key(1).publicKey });
    expect(row).not.toHaveProperty('privateKey');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseFilesContain(store.path, PRIVATE_D)).toBe(false);
    expect(store.activeIssuerKey({ algorithm: 'Ed25519' })!.privateKey).toEqual(key(1).privateKey);
    expect(store.issuerKeyWithPrivate(key(1).kid).privateKey).toEqual(key(1).privateKey);
  });

  it('rotation retires the previous key but keeps it listed', () => {
    const store = newStore({ secret: SECRET });
    store.addIssuerKey(key(1), 'test');
    store.addIssuerKey(key(2), 'test');
    expect(store.listIssuerKeys().map((k) => [k.kid, k.active, k.retiredAt !== null])).toEqual([
      [key(2).kid, true, false],
      [key(1).kid, false, true],
    ]);
    expect(store.activeIssuerKey()!.kid).toBe(key(2).kid);
    expect(() => store.addIssuerKey(key(2), 'test')).toThrowError(expect.objectContaining({ code: 'ERR_KEY_EXISTS' }));
  });

  it('a wrong secret fails at open with ERR_KEY_DECRYPT; no secret means ERR_SECRET_REQUIRED for key operations', () => {
    const first = newStore({ secret: SECRET });
    first.addIssuerKey(key(1), 'test');
    const path = first.path;
    first.close();
    let caught: unknown;
    try {
      openStore({ path, secret: 'a-different-secret-of-length' }).close();
    } catch (error: unknown) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_KEY_DECRYPT')).toBe(true);
    expect((caught as Error).message).not.toContain('a-different-secret');
    const noSecret = newStore({ path });
    expect(noSecret.listIssuerKeys()).toHaveLength(1); // public parts need no secret
    expect(() => noSecret.activeIssuerKey()).toThrowError(expect.objectContaining({ code: 'ERR_SECRET_REQUIRED' }));
  });

  it('a sealed private key moved to another row does not open (bound to its kid)', () => {
    const store = newStore({ secret: SECRET });
    store.addIssuerKey(key(1), 'test');
    store.addIssuerKey({ ...key(2), controller: 'did:key:other' }, 'test');
    store.db.exec(`UPDATE issuer_keys SET private_sealed = (SELECT private_sealed FROM issuer_keys WHERE kid = '${key(1).kid}') WHERE kid = '${key(2).kid}'`);
    expect(() => store.issuerKeyWithPrivate(key(2).kid)).toThrowError(expect.objectContaining({ code: 'ERR_KEY_DECRYPT' }));
  });
});

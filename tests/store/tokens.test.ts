import { describe, expect, it } from 'vitest';
import { hashToken, tokenHasScope } from '../../src/store';
import { databaseFilesContain, fakeClock, newStore } from './helpers';

describe('API tokens', () => {
  it('stores only the hash: the plain token is nowhere in the database files', () => {
    const store = newStore();
    const { id, token } = store.createToken('lms', ['issue'], 'cli');
    expect(token.startsWith('mct_')).toBe(true);
    store.db.pragma('wal_checkpoint(FULL)');
    expect(databaseFilesContain(store.path, token)).toBe(false);
    expect(databaseFilesContain(store.path, token.slice(-43))).toBe(false); // not even the random part
    const stored = store.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').pluck().get(id);
    expect(stored).toBe(hashToken(token).toString('hex'));
    expect(databaseFilesContain(store.path, hashToken(token).toString('hex'))).toBe(true); // the scan can find things
  });

  it('verifies a live token, rejects altered, unknown and malformed ones, and records use', () => {
    const clock = fakeClock();
    const store = newStore({ now: clock.now });
    const { id, token } = store.createToken('lms', ['issue', 'status'], 'cli');
    expect(store.verifyToken(token)).toMatchObject({ id, name: 'lms', scopes: ['issue', 'status'], lastUsedAt: clock.now().toISOString() });
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(store.verifyToken(token.slice(0, -1) + last)).toBeNull();
    expect(store.verifyToken(token.replace(id, '0'.repeat(16)))).toBeNull();
    expect(store.verifyToken('Bearer nonsense')).toBeNull();
    expect(store.verifyToken('')).toBeNull();
  });

  it('scopes: admin implies every scope; unknown scopes are refused', () => {
    const store = newStore();
    const issuer = store.createToken('issuer', ['issue'], 'cli').row;
    const admin = store.createToken('admin', ['admin'], 'cli').row;
    expect(tokenHasScope(issuer, 'issue')).toBe(true);
    expect(tokenHasScope(issuer, 'status')).toBe(false);
    expect(tokenHasScope(admin, 'status')).toBe(true);
    expect(() => store.createToken('bad', ['root' as never], 'cli')).toThrowError(expect.objectContaining({ code: 'ERR_TOKEN_SCOPE_INVALID' }));
    expect(() => store.createToken('none', [], 'cli')).toThrowError(expect.objectContaining({ code: 'ERR_TOKEN_SCOPE_INVALID' }));
  });

  it('a revoked token stops verifying at once, and revocation is audited', () => {
    const store = newStore();
    const { id, token } = store.createToken('lms', ['issue'], 'cli');
    expect(store.revokeToken(id, 'admin-1').revokedAt).not.toBeNull();
    expect(store.verifyToken(token)).toBeNull();
    expect(store.listTokens()).toMatchObject([{ id, revokedAt: expect.any(String) }]);
    expect(store.queryAudit({ subject: id }).items.map((e) => [e.action, e.actor])).toEqual([
      ['token.revoke', 'admin-1'],
      ['token.create', 'cli'],
    ]);
    expect(() => store.revokeToken('ffffffffffffffff', 'cli')).toThrowError(expect.objectContaining({ code: 'ERR_TOKEN_NOT_FOUND' }));
  });
});

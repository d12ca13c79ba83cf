// Share links in the real SQLite store: made once per credential, unguessable, disabled and re-enabled, audited.
import { describe, expect, it } from 'vitest';
import { SHARE_ID_PATTERN } from '../../src/store';
import { expectCode } from '../helpers/errors';
import { count, credential, newStore } from './helpers';

describe('share links', () => {
  it('are made on first use, once per credential, with 128 random bits in 22 base64url characters', () => {
    const store = newStore();
    const a = credential();
    const b = credential();
    store.insertCredentials([a, b], { actor: 'test', atomic: true });
    const first = store.shareLinkOf(a.id, 'test');
    expect(first.shareId).toMatch(SHARE_ID_PATTERN);
    expect(Buffer.from(first.shareId, 'base64url')).toHaveLength(16);
    expect(first).toMatchObject({ credentialId: a.id, enabled: true });
    expect(store.shareLinkOf(a.id, 'again')).toEqual(first);
    const other = store.shareLinkOf(b.id, 'test');
    expect(other.shareId).not.toBe(first.shareId);
    expect(store.findShareLink(first.shareId)).toEqual(first);
    expect(count(store, 'share_links')).toBe(2);
  });

  it('disable and re-enable keep the same link; unknown and malformed ids are not found; each change is audited', () => {
    const store = newStore();
    const a = credential();
    store.insertCredentialIntoOpenBatch(a, { actor: 'test' });
    const link = store.shareLinkOf(a.id, 'test');
    const off = store.setShareLinkEnabled(a.id, false, 'cli');
    expect(off).toMatchObject({ shareId: link.shareId, enabled: false });
    expect(store.findShareLink(link.shareId)?.enabled).toBe(false);
    expect(store.setShareLinkEnabled(a.id, true, 'token:t1')).toMatchObject({ shareId: link.shareId, enabled: true });
    const actions = store.db.prepare("SELECT action, actor FROM audit_log WHERE action LIKE 'share.%' ORDER BY id").all();
    expect(actions).toEqual([
      { action: 'share.create', actor: 'test' },
      { action: 'share.disable', actor: 'cli' },
      { action: 'share.enable', actor: 'token:t1' },
    ]);
    expect(store.findShareLink('A'.repeat(22))).toBeNull();
    expect(store.findShareLink("x' OR 1=1 --")).toBeNull();
    expect(store.findShareLink('')).toBeNull();
  });

  it('disabling a link never made makes it disabled; an unknown credential is ERR_CREDENTIAL_NOT_FOUND', () => {
    const store = newStore();
    const a = credential();
    store.insertCredentialIntoOpenBatch(a, { actor: 'test' });
    const off = store.setShareLinkEnabled(a.id, false, 'cli');
    expect(off.enabled).toBe(false);
    expect(store.shareLinkOf(a.id, 'test')).toEqual(off);
    expectCode(() => store.shareLinkOf('urn:uuid:00000000-0000-4000-8000-000000000000', 'test'), 'ERR_CREDENTIAL_NOT_FOUND');
    expectCode(() => store.setShareLinkEnabled('urn:uuid:00000000-0000-4000-8000-000000000000', false, 'test'), 'ERR_CREDENTIAL_NOT_FOUND');
  });
});

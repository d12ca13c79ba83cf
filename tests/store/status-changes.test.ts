import { describe, expect, it } from 'vitest';
import { credential, fakeRoot, hex32, newStore } from './helpers';

describe('status changes', () => {
  it('records the change, updates the status and audits, then tracks it to the chain', () => {
    const store = newStore();
    const row = credential();
    const { credentialId, batchId } = store.insertCredentialIntoOpenBatch(row, { actor: 'test' });
    store.sealBatch(batchId, fakeRoot);
    const change = store.requestStatusChange({ credentialId, action: 'suspend', reasonCode: 'under_review', reasonText: 'complaint', actor: 'tokA' });
    expect(change).toMatchObject({ credentialId, leaf: row.leaf, batchId, action: 'suspend', state: 'pending', actor: 'tokA' });
    expect(store.getCredential(credentialId)!.status).toBe('suspended');
    expect(store.unfinishedStatusChanges().map((c) => c.id)).toEqual([change.id]);
    expect(store.markStatusChangeSubmitted(change.id, { txHash: hex32('s'), nonce: 2 })).toMatchObject({ state: 'submitted', attempts: 1 });
    expect(store.markStatusChangeDone(change.id, { txHash: hex32('s'), blockNumber: 9 })).toMatchObject({ state: 'done', blockNumber: 9 });
    expect(store.unfinishedStatusChanges()).toEqual([]);

    store.requestStatusChange({ credentialId, action: 'reinstate', reasonCode: 'cleared', actor: 'tokA' });
    expect(store.getCredential(credentialId)!.status).toBe('active');
    store.requestStatusChange({ credentialId, action: 'revoke', reasonCode: 'issued_in_error', actor: 'tokA' });
    expect(store.getCredential(credentialId)!.status).toBe('revoked');
    expect(store.statusChangesOf(credentialId).map((c) => c.action)).toEqual(['suspend', 'reinstate', 'revoke']);
    expect(store.queryAudit({ subject: credentialId }).items.map((e) => e.action)).toEqual([
      'credential.revoke',
      'credential.reinstate',
      'credential.suspend',
      'credential.issue',
    ]);
  });

  it('refuses changes that do not apply, without writing anything', () => {
    const store = newStore();
    const { credentialId } = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    const request = (action: 'revoke' | 'suspend' | 'reinstate') => () => store.requestStatusChange({ credentialId, action, reasonCode: 'x', actor: 'a' });
    expect(request('reinstate')).toThrowError(expect.objectContaining({ code: 'ERR_STATUS_TRANSITION' }));
    request('revoke')();
    expect(request('suspend')).toThrowError(expect.objectContaining({ code: 'ERR_STATUS_TRANSITION' }));
    expect(request('revoke')).toThrowError(expect.objectContaining({ code: 'ERR_STATUS_TRANSITION' }));
    expect(store.statusChangesOf(credentialId)).toHaveLength(1);
    expect(() => store.requestStatusChange({ credentialId: 'urn:uuid:00000000-0000-0000-0000-000000000000', action: 'revoke', reasonCode: 'x', actor: 'a' })).toThrowError(
      expect.objectContaining({ code: 'ERR_CREDENTIAL_NOT_FOUND' }),
    );
  });
});

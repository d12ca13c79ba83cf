import { describe, expect, it } from 'vitest';
import { isMicrocredError } from '../../src/errors';
import { count, credential, fakeClock, fakeRoot, hex32, newStore } from './helpers';

const policy = (maxLeaves: number, maxAgeMs: number) => ({ maxLeaves, maxAgeMs, computeRoot: fakeRoot });

describe('the anchoring outbox', () => {
  it('a credential joins the open batch in the same transaction, and the batch is created on demand', () => {
    const store = newStore();
    expect(store.openBatch()).toBeNull();
    const a = store.insertCredentialIntoOpenBatch(credential(), { actor: 'tok1' });
    const b = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    expect(b.batchId).toBe(a.batchId);
    expect(store.openBatch()).toMatchObject({ id: a.batchId, state: 'open', leafCount: 2, root: null });
    expect(store.getCredential(a.credentialId)).toMatchObject({ batchId: a.batchId, batchState: 'open', status: 'active', anchorProof: null });
    expect(store.queryAudit({ subject: a.credentialId }).items).toMatchObject([{ actor: 'tok1', action: 'credential.issue' }]);
  });

  it('a failure mid-transaction leaves neither the credential nor its batch nor an audit row', () => {
    const store = newStore();
    // The leaf is already taken: the credential insert fails after the batch row was created in the same transaction.
    const first = credential();
    const tables = ['credentials', 'batches', 'audit_log'];
    store.transaction(() => undefined);
    expect(() =>
      store.transaction(() => {
        store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
        throw new Error('crash after the insert, before commit');
      }),
    ).toThrow('crash after the insert');
    for (const table of tables) expect(count(store, table)).toBe(0);
    store.insertCredentialIntoOpenBatch(first, { actor: 'test' });
    const before = tables.map((t) => count(store, t));
    store.db.exec("UPDATE batches SET state = 'sealed', root = '0x" + '1'.repeat(64) + "'"); // so the next insert opens a new batch
    let caught: unknown;
    try {
      store.insertCredentialIntoOpenBatch(credential({ leaf: first.leaf }), { actor: 'test' });
    } catch (error: unknown) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_CREDENTIAL_EXISTS')).toBe(true);
    expect(tables.map((t) => count(store, t))).toEqual(before); // the new batch row was rolled back too
  });

  it('walks open → sealed → submitted → anchored, storing anchor proofs with the receipt', () => {
    const clock = fakeClock();
    const store = newStore({ now: clock.now });
    const rows = [credential(), credential(), credential()];
    const ids = rows.map((row) => store.insertCredentialIntoOpenBatch(row, { actor: 'test' }).credentialId);
    expect(store.sealBatchIfDue(policy(10, 60_000))).toBeNull(); // neither full nor old
    clock.advance(60_000);
    const sealed = store.sealBatchIfDue(policy(10, 60_000));
    expect(sealed).not.toBeNull();
    const batchId = sealed!.batch.id;
    expect(sealed!.leaves).toEqual(rows.map((r) => r.leaf));
    expect(sealed!.batch).toMatchObject({ state: 'sealed', root: fakeRoot(sealed!.leaves), leafCount: 3, sealedAt: clock.now().toISOString() });
    expect(store.leavesOf(batchId)).toEqual(sealed!.leaves);
    expect(store.unfinishedBatches().map((b) => b.id)).toEqual([batchId]);
    expect(store.openBatch()).toBeNull();

    // A new credential now goes to a new batch; the sealed one is frozen.
    const later = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    expect(later.batchId).not.toBe(batchId);
    expect(store.leavesOf(batchId)).toHaveLength(3);

    const tx = { txHash: hex32('tx1'), nonce: 7 };
    expect(store.markSubmitted(batchId, tx)).toMatchObject({ state: 'submitted', txHash: tx.txHash, txNonce: 7, attempts: 1 });
    expect(store.markSubmitted(batchId, { txHash: hex32('tx2'), nonce: 7 })).toMatchObject({ txHash: hex32('tx2'), attempts: 2 }); // replacement
    expect(store.noteBatchError(batchId, 'rpc down')).toMatchObject({ state: 'submitted', lastError: 'rpc down' });

    const proofs = new Map(ids.map((id, i) => [id, JSON.stringify({ type: 'MerkleAnchorProof', index: i })]));
    const anchoredAt = new Date('2025-03-01T10:05:00Z');
    const anchored = store.markAnchored(batchId, { blockNumber: 42, anchoredAt, txHash: hex32('tx2') }, proofs);
    expect(anchored).toMatchObject({ state: 'anchored', blockNumber: 42, anchoredAt: anchoredAt.toISOString(), lastError: null });
    expect(store.getCredential(ids[1]!)).toMatchObject({ batchState: 'anchored', anchorProof: JSON.stringify({ type: 'MerkleAnchorProof', index: 1 }) });
    expect(store.unfinishedBatches()).toEqual([]);
    // Marking again (e.g. after a restart that reconciled from the chain) is harmless.
    expect(store.markAnchored(batchId, { blockNumber: 99, anchoredAt, txHash: hex32('x') }).blockNumber).toBe(42);
  });

  it('refuses out-of-order transitions with ERR_BATCH_STATE', () => {
    const store = newStore();
    const { batchId } = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error: unknown) {
        return (error as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(() => store.markSubmitted(batchId, { txHash: hex32('t'), nonce: 0 }))).toBe('ERR_BATCH_STATE');
    expect(codeOf(() => store.markAnchored(batchId, { blockNumber: 1, anchoredAt: new Date(), txHash: hex32('t') }))).toBe('ERR_BATCH_STATE');
    expect(codeOf(() => store.setAnchorProofs(batchId, new Map()))).toBe('ERR_BATCH_STATE');
    store.sealBatch(batchId, fakeRoot);
    expect(codeOf(() => store.sealBatch(batchId, fakeRoot))).toBe('ERR_BATCH_STATE');
    expect(codeOf(() => store.markSubmitted(999, { txHash: hex32('t'), nonce: 0 }))).toBe('ERR_BATCH_NOT_FOUND');
  });

  it('setAnchorProofs is all or none and only for credentials of that batch', () => {
    const store = newStore();
    const a = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    store.sealBatch(a.batchId, fakeRoot);
    store.markAnchored(a.batchId, { blockNumber: 1, anchoredAt: new Date(), txHash: hex32('t') });
    const other = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    const proofs = new Map([
      [a.credentialId, '{"p":1}'],
      [other.credentialId, '{"p":2}'],
    ]);
    expect(() => store.setAnchorProofs(a.batchId, proofs)).toThrowError(expect.objectContaining({ code: 'ERR_CREDENTIAL_NOT_IN_BATCH' }));
    expect(store.getCredential(a.credentialId)!.anchorProof).toBeNull();
    store.setAnchorProofs(a.batchId, new Map([[a.credentialId, '{"p":1}']]));
    expect(store.getCredential(a.credentialId)!.anchorProof).toBe('{"p":1}');
  });

  it('closes a batch at maxLeaves, so a large import yields several full batches sealed one by one', () => {
    const store = newStore();
    const results = store.insertCredentials(Array.from({ length: 10 }, () => credential()), { actor: 'test', atomic: false, maxLeaves: 4 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(store.listBatches().items.map((b) => [b.leafCount, b.closedAt !== null]).reverse()).toEqual([
      [4, true],
      [4, true],
      [2, false],
    ]);
    const sealed = [];
    for (let i = 0; i < 10; i += 1) {
      const next = store.sealBatchIfDue(policy(4, 3_600_000));
      if (next === null) break;
      sealed.push(next.leaves.length);
    }
    expect(sealed).toEqual([4, 4]);
    expect(store.openBatch()).toMatchObject({ leafCount: 2 });
  });

  it('failed batches can be parked and requeued; requeue clears the transaction', () => {
    const store = newStore();
    const { batchId } = store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    store.sealBatch(batchId, fakeRoot);
    store.markSubmitted(batchId, { txHash: hex32('t'), nonce: 1 });
    expect(store.markBatchFailed(batchId, 'issuer not accredited')).toMatchObject({ state: 'failed', lastError: 'issuer not accredited' });
    expect(store.unfinishedBatches()).toEqual([]);
    expect(store.requeueBatch(batchId)).toMatchObject({ state: 'sealed', txHash: null, txNonce: null });
    expect(store.unfinishedBatches().map((b) => b.id)).toEqual([batchId]);
  });

  it('state survives closing and re-opening the database (what a restart sees)', () => {
    const first = newStore();
    const { batchId } = first.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    first.sealBatch(batchId, fakeRoot);
    first.markSubmitted(batchId, { txHash: hex32('t'), nonce: 3 });
    const path = first.path;
    first.close();
    const second = newStore({ path });
    expect(second.unfinishedBatches()).toMatchObject([{ id: batchId, state: 'submitted', txHash: hex32('t'), txNonce: 3 }]);
  });
});

describe('requeueForFreshChain (development chain restarted empty)', () => {
  it('puts anchored batches back to sealed and carried status changes back to pending, keeping their order', () => {
    const store = newStore();
    const rows = [credential(), credential()];
    const ids = rows.map((row) => store.insertCredentialIntoOpenBatch(row, { actor: 'test' }).credentialId);
    const sealed = store.sealBatchIfDue(policy(1, 0))!;
    store.markSubmitted(sealed.batch.id, { txHash: hex32('tx'), nonce: 0 });
    store.markAnchored(sealed.batch.id, { blockNumber: 5, anchoredAt: new Date(), txHash: hex32('tx') });
    const suspend = store.requestStatusChange({ credentialId: ids[0]!, action: 'suspend', reasonCode: 'audit', actor: 't' });
    store.markStatusChangeDone(suspend.id, { txHash: hex32('s'), blockNumber: 6 });
    const reinstate = store.requestStatusChange({ credentialId: ids[0]!, action: 'reinstate', reasonCode: 'cleared', actor: 't' });
    store.markStatusChangeDone(reinstate.id, { txHash: hex32('r'), blockNumber: 7 });

    expect(store.requeueForFreshChain('test')).toEqual({ batches: 1, statusChanges: 2 });
    expect(store.getBatch(sealed.batch.id)).toMatchObject({ state: 'sealed', root: sealed.batch.root, txHash: null, blockNumber: null });
    expect(store.unfinishedStatusChanges().map((c) => [c.id, c.action, c.state])).toEqual([
      [suspend.id, 'suspend', 'pending'],
      [reinstate.id, 'reinstate', 'pending'],
    ]);
    expect(store.getCredential(ids[0]!)?.status).toBe('active');
    expect(store.queryAudit({ action: 'chain.replay' }).items).toHaveLength(1);
    expect(store.requeueForFreshChain('test')).toEqual({ batches: 0, statusChanges: 0 }); // nothing carried yet: nothing to redo
  });
});

// waitForAnchors on a real SQLite store, with an injected clock and sleep: no test here depends on timing.
import { describe, expect, it } from 'vitest';
import { waitForAnchors } from '../../src/issuer';
import type { Store } from '../../src/store';
import { SECRET, credential, fakeRoot, hex32, newStore } from '../store/helpers';

/** A store with one batch holding one credential; returns the batch id. */
function oneBatch(store: Store): number {
  return store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' }).batchId;
}

/** A clock that only moves when the waiter sleeps, and a hook that runs at each sleep. */
function virtualTime(onSleep: (round: number) => void = () => undefined): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      onSleep(sleeps.length);
      return Promise.resolve();
    },
    sleeps,
  };
}

describe('waitForAnchors', () => {
  it('returns once every batch is anchored by someone else (the outbox), reading the database each round', async () => {
    const store = newStore({ secret: SECRET });
    const batchId = oneBatch(store);
    const time = virtualTime((round) => {
      if (round === 1) store.sealBatch(batchId, fakeRoot);
      if (round === 2) store.markSubmitted(batchId, { txHash: hex32('tx'), nonce: 0 });
      if (round === 3) store.markAnchored(batchId, { blockNumber: 3, anchoredAt: new Date(), txHash: hex32('tx') });
    });
    const outcome = await waitForAnchors(store, [batchId, batchId], { timeoutMs: 60_000, pollMs: 500, now: time.now, sleep: time.sleep });
    expect(outcome).toEqual({ anchored: true, failed: [], pending: [] });
    expect(time.sleeps).toEqual([500, 500, 500]);
  });

  it('gives up after the timeout, bounded in rounds, and names the batches still pending', async () => {
    const store = newStore({ secret: SECRET });
    const batchId = oneBatch(store);
    const time = virtualTime();
    const outcome = await waitForAnchors(store, [batchId], { timeoutMs: 1_200, pollMs: 500, now: time.now, sleep: time.sleep });
    expect(outcome.anchored).toBe(false);
    expect(outcome.pending.map((b) => [b.id, b.state])).toEqual([[batchId, 'open']]);
    expect(time.sleeps).toEqual([500, 500, 200]);
  });

  it('stops at once when a batch is parked as failed', async () => {
    const store = newStore({ secret: SECRET });
    const batchId = oneBatch(store);
    store.sealBatch(batchId, fakeRoot);
    store.markBatchFailed(batchId, 'ERR_ISSUER_NOT_ACTIVE: the issuer is suspended');
    const time = virtualTime();
    const outcome = await waitForAnchors(store, [batchId], { timeoutMs: 60_000, now: time.now, sleep: time.sleep });
    expect(outcome.anchored).toBe(false);
    expect(outcome.failed.map((b) => b.lastError)).toEqual(['ERR_ISSUER_NOT_ACTIVE: the issuer is suspended']);
    expect(time.sleeps).toEqual([]);
  });
});

// Status list index allocation: random, never reused (even for an index drawn by a process that died), spread over the list.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store';
import { STATUS_LIST_SIZE, StatusLists } from '../../src/store/status-lists';
import { onCleanup, tempDir } from './fixture';

function freshStore() {
  const store = openStore({ path: path.join(tempDir(), 'microcred.sqlite'), synchronous: 'NORMAL' });
  onCleanup(() => store.close());
  return store;
}

describe('status list index allocation', () => {
  it('gives 100,000 credentials distinct indexes, spread evenly over one list of 131,072', () => {
    const store = freshStore();
    const indexes: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      for (const slot of store.statusLists.reserve('di', 1000)) {
        expect(slot).toMatchObject({ family: 'di', listNo: 1 });
        indexes.push(slot.index);
      }
    }
    expect(indexes).toHaveLength(100_000);
    expect(new Set(indexes).size).toBe(100_000);
    expect(Math.min(...indexes)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...indexes)).toBeLessThan(STATUS_LIST_SIZE);
    // Sixteen equal ranges each hold about 1/16 of the indexes (random draws, not a counter filling from 0).
    const buckets = new Array<number>(16).fill(0);
    for (const index of indexes) buckets[Math.floor(index / (STATUS_LIST_SIZE / 16))]! += 1;
    for (const count of buckets) expect(Math.abs(count - 6250)).toBeLessThan(625);
    // Issue order says nothing about position: neighbours in time are not neighbours in the list.
    const ascending = indexes.slice(1).filter((index, i) => index > indexes[i]!).length;
    expect(ascending / indexes.length).toBeGreaterThan(0.4);
    expect(ascending / indexes.length).toBeLessThan(0.6);
    expect(store.db.prepare('SELECT count(*) FROM status_lists').pluck().get()).toBe(2); // one revocation + one suspension list
  });

  it('fills a list completely and then opens the next pair, with no index given twice', () => {
    const store = freshStore();
    const first = store.statusLists.reserve('jose', STATUS_LIST_SIZE);
    expect(new Set(first.map((s) => s.index)).size).toBe(STATUS_LIST_SIZE);
    expect(first.every((s) => s.listNo === 1)).toBe(true);
    const [next] = store.statusLists.reserve('jose', 1);
    expect(next).toMatchObject({ family: 'jose', listNo: 2 });
    expect(store.statusLists.all().map((l) => l.id)).toEqual(['jose-1-revocation', 'jose-1-suspension', 'jose-2-revocation', 'jose-2-suspension']);
    // The di family has lists of its own.
    expect(store.statusLists.reserve('di', 1)[0]).toMatchObject({ family: 'di', listNo: 1 });
  });

  it('never hands out an index drawn earlier but never bound (its process died before storing the credential)', () => {
    const store = freshStore();
    const [orphan] = store.statusLists.reserve('di', 1);
    // A random source that keeps proposing the orphan's index first.
    let calls = 0;
    const lists = new StatusLists({ db: store.db, now: () => new Date() }, { randomIndex: (max) => (calls++ % 2 === 0 ? orphan!.index : (orphan!.index + 1 + calls) % max) });
    const again = lists.reserve('di', 50);
    expect(again.map((s) => s.index)).not.toContain(orphan!.index);
    expect(new Set(again.map((s) => s.index)).size).toBe(50);
  });

  it('binds a slot to one credential only', () => {
    const store = freshStore();
    const [slot] = store.statusLists.reserve('di', 1);
    store.statusLists.bind(slot!, 'urn:uuid:00000000-0000-4000-8000-000000000001');
    expect(store.statusLists.slotOf('urn:uuid:00000000-0000-4000-8000-000000000001')).toEqual(slot);
    expect(() => store.statusLists.bind(slot!, 'urn:uuid:00000000-0000-4000-8000-000000000002')).toThrow(expect.objectContaining({ code: 'ERR_STATUS_SLOT_TAKEN' }));
  });
});

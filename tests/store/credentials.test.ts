import { describe, expect, it } from 'vitest';
import { isMicrocredError } from '../../src/errors';
import { count, credential, fakeClock, newStore } from './helpers';

describe('credentials', () => {
  it('bulk insert without atomic keeps good rows and names each bad row with a code', () => {
    const store = newStore();
    const existing = credential();
    store.insertCredentialIntoOpenBatch(existing, { actor: 'test' });
    const rows = [credential(), credential({ leaf: existing.leaf }), credential({ id: 'not-a-urn' }), credential({ learnerRef: 'ann@example.org' }), credential()];
    const results = store.insertCredentials(rows, { atomic: false, chunkSize: 2, actor: 'csv' });
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'ERR_CREDENTIAL_EXISTS', 'ERR_STORE_INVALID_INPUT', 'ERR_STORE_INVALID_INPUT', 'ok']);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(count(store, 'credentials')).toBe(3);
    expect(store.openBatch()!.leafCount).toBe(3);
    expect(count(store, 'audit_log')).toBe(3);
  });

  it('audits a bulk insert with one entry per transaction that names every credential it stored, and only those', () => {
    const store = newStore();
    const existing = credential();
    store.insertCredentialIntoOpenBatch(existing, { actor: 'test' });
    const rows = [credential(), credential({ leaf: existing.leaf }), credential(), credential({ moduleId: 'bls-2025' }), credential({ id: 'not-a-urn' })];
    store.insertCredentials(rows, { atomic: false, chunkSize: 3, actor: 'csv' });
    const entries = store.queryAudit({ action: 'credential.issue.batch' }).items.reverse();
    // Rows 0 and 2 in the first transaction (row 1 failed), row 3 in the second (row 4 failed).
    expect(entries.map((e) => [e.actor, e.subject, e.details.count, e.details.credentialIds])).toEqual([
      ['csv', null, 2, [rows[0]!.id, rows[2]!.id]],
      ['csv', null, 1, [rows[3]!.id]],
    ]);
    expect(entries[0]!.details).toMatchObject({ formats: ['di'], moduleIds: ['acls-2025'], batchIds: [store.openBatch()!.id] });
    expect(entries[1]!.details).toMatchObject({ moduleIds: ['bls-2025'] });
    // A credential stored alone keeps its own entry; either way an auditor finds the entry by the credential's id.
    expect(store.queryAudit({ credentialId: existing.id }).items.map((e) => e.action)).toEqual(['credential.issue']);
    expect(store.queryAudit({ credentialId: rows[2]!.id }).items.map((e) => e.id)).toEqual([entries[0]!.id]);
    expect(store.queryAudit({ credentialId: rows[1]!.id }).items).toEqual([]);
    store.insertCredentials([credential(), credential()], { atomic: true, actor: 'api' });
    expect(store.queryAudit({ action: 'credential.issue.batch', actor: 'api' }).items.map((e) => e.details.count)).toEqual([2]);
  });

  it('bulk insert with atomic stores nothing when one row fails, and says which row', () => {
    const store = newStore();
    const dup = credential();
    const rows = [credential(), dup, credential(), credential({ id: dup.id, leaf: '0x' + 'a'.repeat(64) })];
    let caught: unknown;
    try {
      store.insertCredentials(rows, { actor: 'test', atomic: true });
    } catch (error: unknown) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_CREDENTIAL_EXISTS')).toBe(true);
    expect((caught as { details: { index: number } }).details.index).toBe(3);
    for (const table of ['credentials', 'batches', 'audit_log']) expect(count(store, table)).toBe(0);
    expect(store.insertCredentials(rows.slice(0, 3), { actor: 'test', atomic: true }).every((r) => r.ok)).toBe(true);
    expect(count(store, 'credentials')).toBe(3);
  });

  it('stores a 10,000-row cohort in one call, chunked', () => {
    const store = newStore();
    const rows = Array.from({ length: 10_000 }, () => credential());
    const results = store.insertCredentials(rows, { actor: 'test', atomic: false, chunkSize: 1000, maxLeaves: 1024 });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(count(store, 'credentials')).toBe(10_000);
    expect(store.db.prepare('SELECT sum(leaf_count) FROM batches').pluck().get()).toBe(10_000);
  });

  it('lists with filters and stable cursor pagination', () => {
    const clock = fakeClock('2025-01-01T00:00:00.000Z');
    const store = newStore({ now: clock.now });
    const learner = store.upsertLearner({ email: 'Ann@Example.org', name: 'Ann' });
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      clock.advance(3_600_000);
      const row = credential({ moduleId: i % 2 === 0 ? 'even' : 'odd', learnerId: i < 5 ? learner.id : null });
      ids.push(store.insertCredentialIntoOpenBatch(row, { actor: 'test' }).credentialId);
    }
    // Walk all pages newest first.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result = store.listCredentials({ limit: 10, cursor });
      seen.push(...result.items.map((c) => c.id));
      cursor = result.nextCursor;
      if (cursor === null) break;
      store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' }); // inserts between pages do not shift or repeat rows
    }
    expect(seen).toEqual([...ids].reverse());
    const asc = store.listCredentials({ order: 'asc', limit: 3 });
    expect(asc.items.map((c) => c.id)).toEqual(ids.slice(0, 3));
    expect(store.listCredentials({ order: 'asc', limit: 3, cursor: asc.nextCursor }).items.map((c) => c.id)).toEqual(ids.slice(3, 6));

    expect(store.listCredentials({ moduleId: 'odd', limit: 100 }).items).toHaveLength(12);
    expect(store.listCredentials({ learnerId: learner.id, limit: 100 }).items.map((c) => c.id)).toEqual(ids.slice(0, 5).reverse());
    const from = new Date('2025-01-01T03:00:00.000Z');
    const to = new Date('2025-01-01T06:00:00.000Z');
    expect(store.listCredentials({ issuedFrom: from, issuedTo: to, order: 'asc' }).items.map((c) => c.id)).toEqual(ids.slice(2, 5));
    expect(() => store.listCredentials({ cursor: asc.nextCursor })).toThrowError(expect.objectContaining({ code: 'ERR_BAD_CURSOR' }));
    expect(() => store.listCredentials({ cursor: 'garbage' })).toThrowError(expect.objectContaining({ code: 'ERR_BAD_CURSOR' }));
  });

  it('learner references must not be emails, and an unknown learnerId is ERR_LEARNER_NOT_FOUND', () => {
    const store = newStore();
    expect(() => store.insertCredentialIntoOpenBatch(credential({ learnerRef: 'bob@example.org' }), { actor: 'test' })).toThrowError(
      expect.objectContaining({ code: 'ERR_STORE_INVALID_INPUT' }),
    );
    expect(() => store.insertCredentialIntoOpenBatch(credential({ learnerId: 'missing' }), { actor: 'test' })).toThrowError(expect.objectContaining({ code: 'ERR_LEARNER_NOT_FOUND' }));
    expect(count(store, 'batches')).toBe(0);
  });
});

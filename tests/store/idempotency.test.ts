/* eslint-disable @typescript-eslint/require-await -- compute callbacks are async by contract; these stand-ins have nothing to await */
import { describe, expect, it } from 'vitest';
import { isMicrocredError } from '../../src/errors';
import { hashRequest } from '../../src/store';
import { count, credential, fakeClock, newStore } from './helpers';

describe('idempotency keys', () => {
  it('same key and body: the second call gets the stored answer and nothing is issued twice', async () => {
    const store = newStore();
    const hash = hashRequest('POST', '/v1/credentials', '{"a":1}');
    let runs = 0;
    const issue = async () => {
      runs += 1;
      const row = credential();
      return { status: 201, body: { id: row.id }, commit: () => void store.insertCredentialIntoOpenBatch(row, { actor: 'test' }) };
    };
    const first = await store.withIdempotency('key-1', 'tok', hash, issue);
    const second = await store.withIdempotency('key-1', 'tok', hash, issue);
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ status: 201, body: first.body, replayed: true });
    expect(runs).toBe(1);
    expect(count(store, 'credentials')).toBe(1);
    // Keys belong to a token: another client's same key is a different request.
    expect((await store.withIdempotency('key-1', 'other-token', hash, issue)).replayed).toBe(false);
  });

  it('same key, different body: ERR_IDEMPOTENCY_MISMATCH', async () => {
    const store = newStore();
    await store.withIdempotency('k', 'tok', hashRequest('{"a":1}'), async () => ({ status: 201, body: 'one' }));
    let caught: unknown;
    try {
      await store.withIdempotency('k', 'tok', hashRequest('{"a":2}'), async () => ({ status: 201, body: 'two' }));
    } catch (error: unknown) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_IDEMPOTENCY_MISMATCH')).toBe(true);
  });

  it('a concurrent second call while the first runs gets ERR_IDEMPOTENCY_IN_PROGRESS, then the stored answer', async () => {
    const store = newStore();
    const hash = hashRequest('x');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = store.withIdempotency('k', 'tok', hash, async () => {
      await gate;
      return { status: 201, body: { n: 1 } };
    });
    await expect(store.withIdempotency('k', 'tok', hash, async () => ({ status: 201, body: { n: 2 } }))).rejects.toMatchObject({
      code: 'ERR_IDEMPOTENCY_IN_PROGRESS',
    });
    release();
    expect(await first).toEqual({ status: 201, body: { n: 1 }, replayed: false });
    expect(await store.withIdempotency('k', 'tok', hash, async () => ({ status: 201, body: { n: 3 } }))).toEqual({ status: 201, body: { n: 1 }, replayed: true });
  });

  it('a failed computation or commit releases the key and leaves no writes behind', async () => {
    const store = newStore();
    const hash = hashRequest('x');
    await expect(store.withIdempotency('k', 'tok', hash, async () => Promise.reject(new Error('signing failed')))).rejects.toThrow('signing failed');
    const dup = credential();
    store.insertCredentialIntoOpenBatch(dup, { actor: 'test' });
    await expect(
      store.withIdempotency('k', 'tok', hash, async () => ({ status: 201, body: {}, commit: () => void store.insertCredentialIntoOpenBatch(credential({ leaf: dup.leaf }), { actor: 'test' }) })),
    ).rejects.toMatchObject({ code: 'ERR_CREDENTIAL_EXISTS' });
    expect(count(store, 'idempotency_keys')).toBe(0);
    expect(count(store, 'credentials')).toBe(1);
    expect((await store.withIdempotency('k', 'tok', hash, async () => ({ status: 201, body: 'ok' }))).body).toBe('ok');
  });

  it('a claim abandoned by a crashed process is taken over after its lease', async () => {
    const clock = fakeClock();
    const store = newStore({ now: clock.now, idempotencyLeaseMs: 1000 });
    store.db
      .prepare("INSERT INTO idempotency_keys (token_id, key, request_hash, state, locked_until, created_at) VALUES ('tok', 'k', ?, 'pending', ?, ?)")
      .run(hashRequest('x'), new Date(clock.now().getTime() + 1000).toISOString(), clock.now().toISOString());
    await expect(store.withIdempotency('k', 'tok', hashRequest('x'), async () => ({ status: 201, body: 1 }))).rejects.toMatchObject({
      code: 'ERR_IDEMPOTENCY_IN_PROGRESS',
    });
    clock.advance(1001);
    expect(await store.withIdempotency('k', 'tok', hashRequest('x'), async () => ({ status: 201, body: 1 }))).toEqual({ status: 201, body: 1, replayed: false });
  });

  it('hashRequest separates parts unambiguously', () => {
    expect(hashRequest('ab', 'c')).not.toBe(hashRequest('a', 'bc'));
    expect(hashRequest('ab', 'c')).toBe(hashRequest('ab', Buffer.from('c')));
  });
});

// Finding 7: idempotency records are pruned on a schedule and when their learner is erased; no name outlives erasure.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startIdempotencyPruner } from '../../src/runtime/idempotency-pruner';
import { issuerFixture, record } from '../issuer/fixture';

function idempotencyRows(dir: string): Array<{ key: string; response_body: string | null }> {
  const db = new Database(path.join(dir, 'microcred.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT key, response_body FROM idempotency_keys').all() as Array<{ key: string; response_body: string | null }>;
  } finally {
    db.close();
  }
}

async function issueWithKey(fixture: ReturnType<typeof issuerFixture>, key: string, name: string, email: string): Promise<string> {
  const res = await fixture.app.request('/v1/credentials?format=jose', {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.tokens.issue}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(record({ learner: { email, name } })),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('finding 7: idempotency records do not outlive their purpose', () => {
  it('erasing a learner deletes the stored answers that carry their credentials, and only those', async () => {
    const fixture = issuerFixture();
    const adaId = await issueWithKey(fixture, 'k-ada', 'Ada Lovelace', 'ada@example.org');
    await issueWithKey(fixture, 'k-bob', 'Bob Babbage', 'bob@example.org');
    const batch = await fixture.app.request('/v1/credentials/batch?includeCredentials=true', {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.tokens.issue}`, 'content-type': 'application/json', 'idempotency-key': 'k-batch' },
      body: JSON.stringify({ format: 'jose', records: [record({ learner: { email: 'ada@example.org', name: 'Ada Lovelace' } })] }),
    });
    expect(batch.status).toBe(200);
    expect(idempotencyRows(fixture.dir).filter((r) => r.response_body?.includes(adaId) === true)).toHaveLength(1);
    const learner = fixture.store.findLearnerByEmail('ada@example.org');
    expect(learner).not.toBeNull();
    fixture.store.eraseLearner(learner!.id, 'dpo');
    const left = idempotencyRows(fixture.dir);
    expect(left.map((r) => r.key).sort()).toEqual(['k-bob']);
    expect(JSON.stringify(left)).not.toContain(adaId);
  });

  it('the pruner removes answers older than the retention, at start and on each run', async () => {
    const fixture = issuerFixture();
    const day = 86_400_000;
    const t0 = fixture.now().getTime();
    await issueWithKey(fixture, 'first', 'Cy', 'cy@example.org');
    let t = t0 + day / 2;
    const pruner = startIdempotencyPruner({ store: fixture.store, retentionMs: day, intervalMs: 3_600_000, now: () => new Date(t) });
    try {
      expect(idempotencyRows(fixture.dir)).toHaveLength(1);
      t = t0 + day + 1000;
      expect(pruner.runOnce()).toBe(1);
      expect(idempotencyRows(fixture.dir)).toHaveLength(0);
    } finally {
      pruner.stop();
    }
    await issueWithKey(fixture, 'second', 'Di', 'di@example.org');
    // A process started two days later prunes at once.
    startIdempotencyPruner({ store: fixture.store, retentionMs: day, now: () => new Date(t0 + 2 * day) }).stop();
    expect(idempotencyRows(fixture.dir)).toHaveLength(0);
  });
});

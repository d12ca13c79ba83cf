// `microcred delivery list|retry` as real processes against a data folder with delivery jobs in each state.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openStore, type Store } from '../../src/store';
import { microcredSync, type CliResult } from '../helpers/cli';
import { credential } from '../store/helpers';
import { anchorOpenBatchOffline } from '../delivery/outbox-fixture';

const SECRET = 'delivery-cli-secret-0123456789';

describe('microcred delivery', () => {
  let dir: string;
  let store: Store;
  let failedId: number;
  let sentId: number;

  const run = (args: string[]): CliResult => microcredSync([...args, '--data', dir], { env: { MICROCRED_SECRET: SECRET } });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-delivery-cli-'));
    store = openStore({ path: databasePath(dir), secret: SECRET });
    for (let i = 0; i < 2; i++) {
      const learner = store.upsertLearner({ email: `learner${i}@example.org`, name: `Learner ${i}` });
      store.insertCredentialIntoOpenBatch(credential({ learnerId: learner.id }), { actor: 'test', maxLeaves: 10 });
    }
    anchorOpenBatchOffline(store, ['email']);
    const [first, second] = store.dueDeliveryJobs(10);
    failedId = first!.id;
    sentId = second!.id;
    store.markDeliverySending(failedId);
    store.markDeliveryAttemptFailed(failedId, 'ERR_EMAIL_SEND: the SMTP server said no', null);
    store.markDeliverySending(sentId);
    store.markDeliverySent(sentId);
  });
  afterAll(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists jobs, and exits 1 when asked for failed jobs and there are some', () => {
    const all = run(['delivery', 'list', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect((all.json.jobs as { id: number; state: string }[]).map((j) => [j.id, j.state]).sort()).toEqual([
      [failedId, 'failed'],
      [sentId, 'sent'],
    ]);
    const failed = run(['delivery', 'list', '--state', 'failed']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('ERR_EMAIL_SEND');
    expect(run(['delivery', 'list', '--state', 'lost']).code).toBe(2);
  });

  it('retries a failed job; refuses a sent one (1) and an unknown id (2)', () => {
    const refused = run(['delivery', 'retry', String(sentId), '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.code).toBe('ERR_DELIVERY_JOB_STATE');
    expect(run(['delivery', 'retry', '99999']).code).toBe(2);
    expect(run(['delivery', 'retry']).code).toBe(2);

    const retried = run(['delivery', 'retry', String(failedId), '--json']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.json).toEqual({ ok: true, retried: [failedId] });
    expect(store.getDeliveryJob(failedId)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(run(['delivery', 'list', '--state', 'failed']).code).toBe(0);
  });
});

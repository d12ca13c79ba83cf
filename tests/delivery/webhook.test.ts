// The webhook channel against a real HTTP receiver: Standard Webhooks signatures, retries, exactly-once by webhook-id.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWebhookUrl, createDeliveryWorker, createWebhookSender, webhookMessageId, type DeliveryWorker } from '../../src/delivery';
import { expectCode } from '../helpers/errors';
import { anchoredCohort, startReceiver, type AnchoredCohort, type ReceivedRequest } from './outbox-fixture';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const shareUrlFor = (id: string): Promise<string> => Promise.resolve(`http://127.0.0.1:8080/#credential=${encodeURIComponent(id)}`);

/** The delivery worker with only the webhook channel to `url`, retrying at once, on the store's clock (it decides which retries are due). */
function webhookWorker(fixture: AnchoredCohort['fixture'], url: string, maxAttempts: number): DeliveryWorker {
  return createDeliveryWorker({
    store: fixture.store,
    senders: { webhook: createWebhookSender({ url, secret: SECRET, development: true, shareUrlFor }) },
    maxAttempts,
    retry: { baseMs: 0, maxMs: 0 },
    now: fixture.now,
  });
}

function headersOf(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
}

describe('webhook delivery', () => {
  it('posts one signed credential.anchored per credential; retries after 500s; the receiver processes each once by webhook-id', async () => {
    const { fixture, learners } = await anchoredCohort(2, ['webhook']);
    const processed = new Map<string, unknown>();
    // Request 0 is processed but its answer is lost (500, as after a receiver timeout); request 1 fails outright.
    const receiver = await startReceiver((request, index) => {
      const id = String(request.headers['webhook-id']);
      if (index !== 1 && !processed.has(id)) processed.set(id, JSON.parse(request.body));
      return index < 2 ? 500 : 204;
    });
    closers.push(() => receiver.close());
    const worker = webhookWorker(fixture, receiver.url, 5);
    const summary = await worker.runOnce();

    expect(summary.sent).toHaveLength(2);
    expect(receiver.requests).toHaveLength(4);
    const verifier = new Webhook(SECRET);
    for (const request of receiver.requests) {
      const headers = headersOf(request);
      // Signature over id.timestamp.body verifies; the same headers over a changed body do not.
      expect(verifier.verify(request.body, headers)).toEqual(JSON.parse(request.body));
      expect(() => verifier.verify(request.body.replace('"active"', '"revoked"'), headers)).toThrow();
      expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(request.body, headers)).toThrow();
      expect(headers['idempotency-key']).toBe(headers['webhook-id']);
    }
    // Each credential was posted twice (one failed try, one success) under one webhook-id, and processed once.
    for (const learner of learners) {
      const posts = receiver.requests.filter((r) => (JSON.parse(r.body) as { credentialId: string }).credentialId === learner.credentialId);
      expect(posts).toHaveLength(2);
      expect(new Set(posts.map((p) => p.headers['webhook-id']))).toEqual(new Set([webhookMessageId(learner.credentialId)]));
      expect(processed.get(webhookMessageId(learner.credentialId))).toEqual({
        event: 'credential.anchored',
        credentialId: learner.credentialId,
        learnerName: learner.name,
        achievement: 'Advanced Cardiac Life Support',
        state: 'active',
        links: { share: await shareUrlFor(learner.credentialId) },
      });
    }
    expect(processed.size).toBe(2);
    const jobs = fixture.store.listDeliveryJobs({ channel: 'webhook' }).items;
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    // Nothing is due any more: a second run sends nothing.
    expect((await worker.runOnce()).sent).toEqual([]);
    expect(receiver.requests).toHaveLength(4);
  });

  it('parks a job as failed after the last try, visible in the list, and sends it again on retry', async () => {
    const { fixture, learners } = await anchoredCohort(1, ['webhook']);
    let up = false;
    const receiver = await startReceiver(() => (up ? 200 : 503));
    closers.push(() => receiver.close());
    const worker = webhookWorker(fixture, receiver.url, 3);
    const first = await worker.runOnce();
    expect(first.failed).toHaveLength(1);
    expect(receiver.requests).toHaveLength(3);
    const [failed] = fixture.store.listDeliveryJobs({ state: 'failed' }).items;
    expect(failed).toMatchObject({ credentialId: learners[0]!.credentialId, channel: 'webhook', attempts: 3 });
    expect(failed!.lastError).toMatch(/^ERR_WEBHOOK_REJECTED: .*503/);
    expect((await worker.runOnce()).sent).toEqual([]);

    up = true;
    fixture.store.retryDeliveryJob(failed!.id, 'test');
    expect((await worker.runOnce()).sent).toEqual([failed!.id]);
    expect(fixture.store.getDeliveryJob(failed!.id).state).toBe('sent');
    expect(receiver.requests).toHaveLength(4);
  });

  it('queues nothing twice when a batch is recorded anchored again (reorganisation, restarted development chain)', async () => {
    const { fixture } = await anchoredCohort(2, ['webhook', 'email']);
    expect(fixture.store.listDeliveryJobs().items).toHaveLength(4);
    const [batch] = fixture.store.listBatches({ state: 'anchored' }).items;
    fixture.store.requeueBatch(batch!.id);
    fixture.store.markAnchored(batch!.id, { blockNumber: 9, anchoredAt: new Date(), txHash: `0x${'cd'.repeat(32)}` }, undefined, ['webhook', 'email']);
    expect(fixture.store.listDeliveryJobs().items).toHaveLength(4);
  });

  it('refuses unusable webhook URLs: not http(s); outside development http, localhost and private addresses', () => {
    expectCode(() => checkWebhookUrl('ftp://lms.example.edu/hook', { development: true }), 'ERR_DELIVERY_OPTIONS');
    expectCode(() => checkWebhookUrl('http://lms.example.edu/hook', { development: false }), 'ERR_DELIVERY_OPTIONS');
    expectCode(() => checkWebhookUrl('https://127.0.0.1/hook', { development: false }), 'ERR_DELIVERY_OPTIONS');
    expectCode(() => checkWebhookUrl('https://localhost/hook', { development: false }), 'ERR_DELIVERY_OPTIONS');
    expectCode(() => checkWebhookUrl('https://[::1]/hook', { development: false }), 'ERR_DELIVERY_OPTIONS');
    expectCode(() => checkWebhookUrl('https://10.1.2.3/hook', { development: false }), 'ERR_DELIVERY_OPTIONS');
    expect(checkWebhookUrl('https://lms.example.edu/hook', { development: false }).host).toBe('lms.example.edu');
    expect(checkWebhookUrl('http://127.0.0.1:9999/hook', { development: true }).port).toBe('9999');
    expectCode(() => createWebhookSender({ url: 'https://lms.example.edu/', secret: 'whsec_%%%', development: false, shareUrlFor }), 'ERR_DELIVERY_OPTIONS');
  });
});

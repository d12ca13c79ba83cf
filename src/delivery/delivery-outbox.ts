// The delivery outbox worker: sends due webhook and email jobs, marking each `sending` before and `sent` after.
import { backoffDelay, type RetryPolicy } from '../anchoring';
import { MicrocredError, isMicrocredError } from '../errors';
import type { DeliveryChannel, DeliveryJobRow, DeliveryStore } from '../store';
import { loadDeliveryItem } from './delivery-item';
import type { DeliverySender } from './sender';

/** One structured log line from the delivery worker. */
export interface DeliveryLogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
  data?: Record<string, unknown>;
}

/** Crash points a test can hook: `after-sending` (marked sending, nothing sent) and `after-send` (accepted, not yet marked sent). */
export type DeliveryFault = 'after-sending' | 'after-send';

/** Options of {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  readonly store: DeliveryStore;
  /** A sender per configured channel; a job of a channel without one is parked as failed. */
  readonly senders: Partial<Record<DeliveryChannel, DeliverySender>>;
  /** Tries per job before it is parked as failed. */
  readonly maxAttempts: number;
  /** Delay after a failed try (doubling, capped). Default 5 s doubling to 10 minutes. */
  readonly retry?: RetryPolicy;
  /** Period of the timer loop. Default 1 s. */
  readonly intervalMs?: number;
  readonly now?: () => Date;
  readonly log?: (entry: DeliveryLogEntry) => void;
  /** Tests only: called at each crash point. */
  readonly faultHook?: (point: DeliveryFault, job: DeliveryJobRow) => void;
}

/** What one run did, by job id. */
export interface DeliveryRunSummary {
  sent: number[];
  failed: number[];
  retrying: number[];
}

/** A running (or runnable) delivery worker. */
export interface DeliveryWorker {
  /** Resumes jobs a stopped process left `sending`, then runs at once (not awaited) and every intervalMs. */
  start(): Promise<void>;
  /** Stops the loop and waits for the send in flight. */
  stop(): Promise<void>;
  /** Sends every due job once (bounded); never throws for a failed send. */
  runOnce(): Promise<DeliveryRunSummary>;
}

/** Default backoff between tries of one job. */
export const DEFAULT_DELIVERY_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 600_000 };

const JOBS_PER_QUERY = 100;
const MAX_JOBS_PER_RUN = 10_000;

function describe(error: unknown): { code: string; message: string; permanent: boolean } {
  if (isMicrocredError(error)) return { code: error.code, message: error.message, permanent: error.details.permanent === true };
  return { code: 'ERR_INTERNAL', message: error instanceof Error ? error.message : String(error), permanent: false };
}

class Worker implements DeliveryWorker {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopRequested = false;
  private readonly now: () => Date;
  private readonly log: (entry: DeliveryLogEntry) => void;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? ((): Date => new Date());
    this.log = options.log ?? ((): void => undefined);
    this.retry = options.retry ?? DEFAULT_DELIVERY_RETRY;
  }

  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    this.stopRequested = false;
    this.resumeInterrupted();
    // The first run starts at once but is not awaited: a server with many jobs due must not wait for them to start.
    this.schedule(0);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  runOnce(): Promise<DeliveryRunSummary> {
    const run = this.queue.then(() => this.run());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A job left `sending` was interrupted mid-send: the receiver may or may not have it. It is sent again with the same
   * webhook-id / Message-ID (docs/delivery.md, "The outbox guarantees"); its try still counts.
   */
  private resumeInterrupted(): void {
    for (const job of this.options.store.deliveryJobsLeftSending()) {
      this.options.store.resumeDeliverySending(job.id);
      this.log({
        level: 'warn',
        event: 'delivery.resumed',
        message: `Delivery job ${job.id} (${job.channel} for ${job.credentialId}) was interrupted during its send; sending it again with the same message id.`,
        data: { jobId: job.id, channel: job.channel },
      });
    }
  }

  private schedule(firstDelay?: number): void {
    if (!this.running) return;
    const next = this.options.store.nextDeliveryDue();
    const interval = this.options.intervalMs ?? 1_000;
    const delay = firstDelay ?? (next === null ? interval : Math.max(10, Math.min(interval, Date.parse(next) - this.now().getTime())));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => this.log({ level: 'error', event: 'delivery.error', message: describe(error).message }))
        .finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private async run(): Promise<DeliveryRunSummary> {
    const summary: DeliveryRunSummary = { sent: [], failed: [], retrying: [] };
    let handled = 0;
    // Bounded: every job handled leaves `pending`-and-due (sent, failed, or due later), so each query finds new ones.
    while (handled < MAX_JOBS_PER_RUN) {
      const due = this.options.store.dueDeliveryJobs(JOBS_PER_QUERY);
      if (due.length === 0) break;
      for (const job of due) {
        if (this.stopRequested) break;
        handled++;
        await this.deliver(job, summary);
      }
      // stop() lets the send in flight finish and leaves the rest pending for the next start.
      if (this.stopRequested) break;
    }
    return summary;
  }

  private async deliver(job: DeliveryJobRow, summary: DeliveryRunSummary): Promise<void> {
    const { store } = this.options;
    const sending = store.markDeliverySending(job.id);
    if (sending === null) return;
    this.options.faultHook?.('after-sending', sending);
    try {
      const sender = this.options.senders[sending.channel];
      if (sender === undefined) {
        throw new MicrocredError('ERR_DELIVERY_OPTIONS', `The ${sending.channel} channel is not configured; configure it, then run: microcred delivery retry ${sending.id}`, { details: { permanent: true } });
      }
      await sender(loadDeliveryItem(store, sending.credentialId), sending);
      this.options.faultHook?.('after-send', sending);
      store.markDeliverySent(sending.id);
      summary.sent.push(sending.id);
      this.log({ level: 'info', event: 'delivery.sent', message: `Delivered ${sending.credentialId} by ${sending.channel}.`, data: { jobId: sending.id, channel: sending.channel } });
    } catch (error) {
      const described = describe(error);
      const permanent = described.permanent;
      const last = permanent || sending.attempts >= this.options.maxAttempts;
      const retryAt = last ? null : new Date(this.now().getTime() + backoffDelay(this.retry, sending.attempts));
      store.markDeliveryAttemptFailed(sending.id, `${described.code}: ${described.message}`, retryAt);
      if (last) summary.failed.push(sending.id);
      else summary.retrying.push(sending.id);
      this.log({
        level: last ? 'error' : 'warn',
        event: last ? 'delivery.failed' : 'delivery.retry',
        message: last
          ? `Delivery job ${sending.id} (${sending.channel} for ${sending.credentialId}) failed after ${sending.attempts} tries: ${described.message} Fix it, then: microcred delivery retry ${sending.id}`
          : `Delivery job ${sending.id} (${sending.channel}) try ${sending.attempts} of ${this.options.maxAttempts} failed: ${described.message}`,
        data: { jobId: sending.id, channel: sending.channel, code: described.code },
      });
    }
  }
}

/** Creates the delivery worker (see docs/delivery.md for the states and what "never twice" means). */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  return new Worker(options);
}

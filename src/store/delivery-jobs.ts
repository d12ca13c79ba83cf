// The delivery outbox's table: one job per (credential, channel), pending → sending → sent, or failed after the last try.
import { MicrocredError } from '../errors';
import { decodeCursor, encodeCursor, nowIso, pageSize, type StoreContext } from './context';
import type { DeliveryChannel, DeliveryJobRow, DeliveryJobState, Page } from './types';

interface DeliveryJobDbRow {
  id: number;
  credential_id: string;
  channel: DeliveryChannel;
  state: DeliveryJobState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sending_at: string | null;
  sent_at: string | null;
}

function toJob(row: DeliveryJobDbRow): DeliveryJobRow {
  return {
    id: row.id,
    credentialId: row.credential_id,
    channel: row.channel,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sendingAt: row.sending_at,
    sentAt: row.sent_at,
  };
}

/** Filters of {@link DeliveryJobs.list}. */
export interface DeliveryJobQuery {
  state?: DeliveryJobState;
  channel?: DeliveryChannel;
  credentialId?: string;
  limit?: number;
  cursor?: string | null;
}

/** Delivery job rows and their transitions; each write is one statement or one transaction. */
export class DeliveryJobs {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Adds one job per credential of the batch and channel; an email job only for a learner with an email. Jobs that
   * exist already are left alone (INSERT OR IGNORE on the unique pair), so anchoring a batch again adds nothing.
   * Call inside the transaction that marks the batch anchored. Returns how many jobs were added.
   */
  enqueueForBatch(batchId: number, channels: readonly DeliveryChannel[]): number {
    const at = nowIso(this.ctx);
    let added = 0;
    if (channels.includes('webhook')) {
      added += this.ctx.db
        .prepare(`INSERT OR IGNORE INTO delivery_jobs (credential_id, channel, next_attempt_at, created_at)
                  SELECT id, 'webhook', @at, @at FROM credentials WHERE batch_id = @batchId ORDER BY seq`)
        .run({ at, batchId }).changes;
    }
    if (channels.includes('email')) {
      added += this.ctx.db
        .prepare(`INSERT OR IGNORE INTO delivery_jobs (credential_id, channel, next_attempt_at, created_at)
                  SELECT c.id, 'email', @at, @at FROM credentials c JOIN learners l ON l.id = c.learner_id
                  WHERE c.batch_id = @batchId AND l.email IS NOT NULL ORDER BY c.seq`)
        .run({ at, batchId }).changes;
    }
    return added;
  }

  /** The job, or null. */
  get(id: number): DeliveryJobRow | null {
    const row = this.ctx.db.prepare<[number], DeliveryJobDbRow>('SELECT * FROM delivery_jobs WHERE id = ?').get(id);
    return row === undefined ? null : toJob(row);
  }

  /** The job, or ERR_DELIVERY_JOB_NOT_FOUND. */
  require(id: number): DeliveryJobRow {
    const job = this.get(id);
    if (job === null) throw new MicrocredError('ERR_DELIVERY_JOB_NOT_FOUND', `No delivery job ${id}; list them with: microcred delivery list`, { details: { jobId: id } });
    return job;
  }

  /** Pending jobs whose next try is due, oldest first. */
  due(limit: number): DeliveryJobRow[] {
    return this.ctx.db
      .prepare<[string, number], DeliveryJobDbRow>("SELECT * FROM delivery_jobs WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")
      .all(nowIso(this.ctx), limit)
      .map(toJob);
  }

  /** The earliest next_attempt_at of a pending job, or null. */
  nextDue(): string | null {
    return (this.ctx.db.prepare("SELECT min(next_attempt_at) FROM delivery_jobs WHERE state = 'pending'").pluck().get() as string | null) ?? null;
  }

  /** pending → sending, attempts + 1: written (and synced) before the send starts. Null when the job is not pending. */
  markSending(id: number): DeliveryJobRow | null {
    const changed = this.ctx.db
      .prepare("UPDATE delivery_jobs SET state = 'sending', attempts = attempts + 1, sending_at = ? WHERE id = ? AND state = 'pending'")
      .run(nowIso(this.ctx), id).changes;
    return changed === 1 ? this.get(id) : null;
  }

  /** sending → sent. */
  markSent(id: number): DeliveryJobRow {
    this.ctx.db.prepare("UPDATE delivery_jobs SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND state = 'sending'").run(nowIso(this.ctx), id);
    return this.require(id);
  }

  /** A try failed: sending → pending until `retryAt`, or → failed when `retryAt` is null (the last try). */
  markAttemptFailed(id: number, message: string, retryAt: Date | null): DeliveryJobRow {
    const error = message.slice(0, 2000);
    if (retryAt === null) {
      this.ctx.db.prepare("UPDATE delivery_jobs SET state = 'failed', last_error = ? WHERE id = ? AND state = 'sending'").run(error, id);
    } else {
      this.ctx.db
        .prepare("UPDATE delivery_jobs SET state = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'sending'")
        .run(error, retryAt.toISOString(), id);
    }
    return this.require(id);
  }

  /** Jobs a stopped process left in `sending` (it died during the send), oldest first. */
  leftSending(): DeliveryJobRow[] {
    return this.ctx.db.prepare<[], DeliveryJobDbRow>("SELECT * FROM delivery_jobs WHERE state = 'sending' ORDER BY id").all().map(toJob);
  }

  /** sending → pending, due now, keeping its attempts: a send interrupted by a crash is tried again. */
  resumeSending(id: number): DeliveryJobRow {
    this.ctx.db.prepare("UPDATE delivery_jobs SET state = 'pending', next_attempt_at = ? WHERE id = ? AND state = 'sending'").run(nowIso(this.ctx), id);
    return this.require(id);
  }

  /** failed → pending, due now, with a fresh count of tries (an operator fixed the cause). ERR_DELIVERY_JOB_STATE otherwise. */
  retry(id: number): DeliveryJobRow {
    return this.ctx.db.transaction((): DeliveryJobRow => {
      const job = this.require(id);
      if (job.state !== 'failed') {
        throw new MicrocredError('ERR_DELIVERY_JOB_STATE', `Delivery job ${id} is ${job.state}; only a failed job can be retried.`, { details: { jobId: id, state: job.state } });
      }
      this.ctx.db.prepare("UPDATE delivery_jobs SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?").run(nowIso(this.ctx), id);
      return this.require(id);
    }).immediate();
  }

  /** Every failed job back to pending (see retry); returns their ids. */
  retryFailed(): number[] {
    return this.ctx.db.transaction((): number[] => {
      const ids = this.ctx.db.prepare<[], number>("SELECT id FROM delivery_jobs WHERE state = 'failed' ORDER BY id").pluck().all();
      this.ctx.db.prepare("UPDATE delivery_jobs SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE state = 'failed'").run(nowIso(this.ctx));
      return ids;
    }).immediate();
  }

  /** Jobs newest first, filtered and paginated. */
  list(query: DeliveryJobQuery = {}): Page<DeliveryJobRow> {
    const limit = pageSize(query.limit);
    const after = decodeCursor('delivery', query.cursor);
    const rows = this.ctx.db
      .prepare<{ state: string | null; channel: string | null; credentialId: string | null; after: number | null; limit: number }, DeliveryJobDbRow>(
        `SELECT * FROM delivery_jobs WHERE (@state IS NULL OR state = @state) AND (@channel IS NULL OR channel = @channel)
           AND (@credentialId IS NULL OR credential_id = @credentialId) AND (@after IS NULL OR id < @after) ORDER BY id DESC LIMIT @limit`,
      )
      .all({ state: query.state ?? null, channel: query.channel ?? null, credentialId: query.credentialId ?? null, after, limit: limit + 1 });
    const items = rows.slice(0, limit).map(toJob);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor('delivery', last.id) : null };
  }
}

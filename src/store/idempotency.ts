// Idempotency keys: the first request with a key runs and a replay record is stored; a retry gets the answer rebuilt from it.
import { createHash } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { StoreContext } from './context';

/** What a guarded computation answers; `commit` runs the database writes in the transaction that stores the answer. */
export interface IdempotentOutcome<B> {
  status: number;
  body: B;
  /**
   * Synchronous writes (for example insertCredentialIntoOpenBatch) committed together with the stored record, so
   * a crash leaves either both or neither: a retry can then never issue a second credential.
   */
  commit?: () => void;
  /**
   * What to store for a replay instead of `body`, read after `commit` ran: only what rebuilding the answer needs
   * (status aside), e.g. credential ids, never the credentials themselves with a learner's name. Default: `body`.
   */
  record?: () => unknown;
}

/** Rebuilds a replayed answer's body from the stored record (for example by reading the issued credentials back). */
export type ReplayBody<B> = (record: unknown) => B;

/** The answer to return: `replayed` is true when it came from an earlier request with the same key. */
export interface IdempotentResponse<B> {
  status: number;
  body: B;
  replayed: boolean;
}

/** How long a claim on a key protects a running request before a retry may assume the process died (default 5 min). */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 5 * 60_000;

/** SHA-256 hex of a request's identity (method, path, body bytes), to tell a true retry from a different request. */
export function hashRequest(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(String(bytes.length)).update(':').update(bytes); // length-prefixed so ("ab","c") ≠ ("a","bc")
  }
  return hash.digest('hex');
}

interface KeyDbRow {
  request_hash: string;
  state: 'pending' | 'done';
  locked_until: string | null;
  response_status: number | null;
  response_body: string | null;
}

/** Idempotency-key records over one connection. */
export class IdempotencyKeys {
  constructor(private readonly ctx: StoreContext, private readonly leaseMs = DEFAULT_IDEMPOTENCY_LEASE_MS) {}

  /**
   * Runs `compute` at most once per (tokenId, key). A second call with the same request hash returns the stored
   * answer; with a different hash throws ERR_IDEMPOTENCY_MISMATCH; while the first is still running throws
   * ERR_IDEMPOTENCY_IN_PROGRESS. When `compute` or `commit` throws, the claim is released and nothing is stored.
   * `replay` turns a stored record (the outcome's `record`, or its body) back into a body; without it the record is it.
   */
  async run<B>(
    key: string,
    tokenId: string,
    requestHash: string,
    compute: () => Promise<IdempotentOutcome<B>>,
    replay: ReplayBody<B> = (record) => record as B,
  ): Promise<IdempotentResponse<B>> {
    if (key.length === 0 || key.length > 255) {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'An Idempotency-Key must be 1 to 255 characters.', { details: { field: 'Idempotency-Key' } });
    }
    const claimed = this.claim(key, tokenId, requestHash);
    if (claimed !== null) return replayed(claimed, replay);
    let answer: IdempotentResponse<B> | StoredAnswer;
    try {
      const outcome = await compute();
      answer = this.complete(key, tokenId, requestHash, outcome);
    } catch (error: unknown) {
      // Release the claim so a retry can run; a failed commit rolled its writes back, so nothing half-done remains.
      this.ctx.db.prepare("DELETE FROM idempotency_keys WHERE token_id = ? AND key = ? AND state = 'pending'").run(tokenId, key);
      throw error;
    }
    // Another claimant stored its answer first: this request gets that one, like any retry.
    return 'record' in answer ? replayed(answer, replay) : answer;
  }

  /**
   * Releases every pending claim. For a server starting up: a claim still pending then was left by a process that
   * died mid-request, and without this its client's retries would get ERR_IDEMPOTENCY_IN_PROGRESS for the whole
   * lease. Safe even if another process were still working on a key: complete() refuses a second answer, so the worst
   * case is signing twice, never a second credential. Returns how many claims were released.
   */
  releasePendingClaims(): number {
    return this.ctx.db.prepare("DELETE FROM idempotency_keys WHERE state = 'pending'").run().changes;
  }

  /** Deletes completed records older than `before` (keys are meant for retries, not forever). */
  prune(before: Date): number {
    return this.ctx.db.prepare("DELETE FROM idempotency_keys WHERE state = 'done' AND completed_at < ?").run(before.toISOString()).changes;
  }

  /** Takes the key for this request, or returns the stored record; null means "go ahead and compute". */
  private claim(key: string, tokenId: string, requestHash: string): StoredAnswer | null {
    return this.ctx.db.transaction((): StoredAnswer | null => {
      const now = this.ctx.now();
      const row = this.select(tokenId, key);
      const lockedUntil = new Date(now.getTime() + this.leaseMs).toISOString();
      if (row === undefined) {
        this.ctx.db
          .prepare("INSERT INTO idempotency_keys (token_id, key, request_hash, state, locked_until, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
          .run(tokenId, key, requestHash, lockedUntil, now.toISOString());
        return null;
      }
      this.assertSameRequest(row, key, requestHash);
      if (row.state === 'done') return this.stored(row);
      if (row.locked_until !== null && row.locked_until > now.toISOString()) {
        throw new MicrocredError('ERR_IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.', {
          details: { key },
        });
      }
      // The earlier claimant died (its lease ran out): take the key over. complete() still refuses a double answer.
      this.ctx.db.prepare('UPDATE idempotency_keys SET locked_until = ? WHERE token_id = ? AND key = ?').run(lockedUntil, tokenId, key);
      return null;
    }).immediate();
  }

  /**
   * Runs the outcome's writes and stores its replay record in one transaction; returns the fresh answer, or the
   * stored record when another claimant got there first.
   */
  private complete<B>(key: string, tokenId: string, requestHash: string, outcome: IdempotentOutcome<B>): IdempotentResponse<B> | StoredAnswer {
    return this.ctx.db.transaction((): IdempotentResponse<B> | StoredAnswer => {
      const row = this.select(tokenId, key);
      if (row !== undefined && row.state === 'done') {
        this.assertSameRequest(row, key, requestHash);
        return this.stored(row);
      }
      outcome.commit?.();
      const record = JSON.stringify((outcome.record === undefined ? outcome.body : outcome.record()) ?? null);
      const now = this.ctx.now().toISOString();
      this.ctx.db
        .prepare(
          `INSERT INTO idempotency_keys (token_id, key, request_hash, state, response_status, response_body, created_at, completed_at)
           VALUES (@tokenId, @key, @requestHash, 'done', @status, @body, @now, @now)
           ON CONFLICT (token_id, key) DO UPDATE SET state = 'done', locked_until = NULL, response_status = @status, response_body = @body, completed_at = @now`,
        )
        .run({ tokenId, key, requestHash, status: outcome.status, body: record, now });
      // Without a separate record the caller gets the body as stored (a JSON round trip), exactly what a replay gets.
      const body = outcome.record === undefined ? (JSON.parse(record) as B) : outcome.body;
      return { status: outcome.status, body, replayed: false };
    }).immediate();
  }

  private select(tokenId: string, key: string): KeyDbRow | undefined {
    return this.ctx.db
      .prepare<[string, string], KeyDbRow>('SELECT request_hash, state, locked_until, response_status, response_body FROM idempotency_keys WHERE token_id = ? AND key = ?')
      .get(tokenId, key);
  }

  private assertSameRequest(row: KeyDbRow, key: string, requestHash: string): void {
    if (row.request_hash !== requestHash) {
      throw new MicrocredError('ERR_IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was already used with a different request; use a new key for a new request.', {
        details: { key },
      });
    }
  }

  private stored(row: KeyDbRow): StoredAnswer {
    return { status: row.response_status ?? 200, record: JSON.parse(row.response_body ?? 'null') as unknown };
  }
}

/** A completed key's stored status and replay record. */
interface StoredAnswer {
  status: number;
  record: unknown;
}

/** The replayed answer: the stored status, the body rebuilt from the stored record (outside the store's transaction). */
function replayed<B>(stored: StoredAnswer, replay: ReplayBody<B>): IdempotentResponse<B> {
  return { status: stored.status, body: replay(stored.record), replayed: true };
}

// Idempotency keys: the first request with a key runs and its answer is stored; a retry gets the stored answer.
import { createHash } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { StoreContext } from './context';

/** What a guarded computation answers; `commit` runs the database writes in the transaction that stores the answer. */
export interface IdempotentOutcome<B> {
  status: number;
  body: B;
  /**
   * Synchronous writes (for example insertCredentialIntoOpenBatch) committed together with the stored answer, so
   * a crash leaves either both or neither: a retry can then never issue a second credential.
   */
  commit?: () => void;
}

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
   */
  async run<B>(key: string, tokenId: string, requestHash: string, compute: () => Promise<IdempotentOutcome<B>>): Promise<IdempotentResponse<B>> {
    if (key.length === 0 || key.length > 255) {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'An Idempotency-Key must be 1 to 255 characters.', { details: { field: 'Idempotency-Key' } });
    }
    const claimed = this.claim(key, tokenId, requestHash);
    if (claimed !== null) return claimed as IdempotentResponse<B>;
    try {
      const outcome = await compute();
      return this.complete(key, tokenId, requestHash, outcome);
    } catch (error: unknown) {
      // Release the claim so a retry can run; a failed commit rolled its writes back, so nothing half-done remains.
      this.ctx.db.prepare("DELETE FROM idempotency_keys WHERE token_id = ? AND key = ? AND state = 'pending'").run(tokenId, key);
      throw error;
    }
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

  /** Takes the key for this request, or returns the stored answer; null means "go ahead and compute". */
  private claim(key: string, tokenId: string, requestHash: string): IdempotentResponse<unknown> | null {
    return this.ctx.db.transaction((): IdempotentResponse<unknown> | null => {
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

  /** Runs the outcome's writes and stores the answer in one transaction, unless another claimant got there first. */
  private complete<B>(key: string, tokenId: string, requestHash: string, outcome: IdempotentOutcome<B>): IdempotentResponse<B> {
    return this.ctx.db.transaction((): IdempotentResponse<B> => {
      const row = this.select(tokenId, key);
      if (row !== undefined && row.state === 'done') {
        this.assertSameRequest(row, key, requestHash);
        return this.stored(row) as IdempotentResponse<B>;
      }
      outcome.commit?.();
      const body = JSON.stringify(outcome.body ?? null);
      const now = this.ctx.now().toISOString();
      this.ctx.db
        .prepare(
          `INSERT INTO idempotency_keys (token_id, key, request_hash, state, response_status, response_body, created_at, completed_at)
           VALUES (@tokenId, @key, @requestHash, 'done', @status, @body, @now, @now)
           ON CONFLICT (token_id, key) DO UPDATE SET state = 'done', locked_until = NULL, response_status = @status, response_body = @body, completed_at = @now`,
        )
        .run({ tokenId, key, requestHash, status: outcome.status, body, now });
      return { status: outcome.status, body: JSON.parse(body) as B, replayed: false };
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

  private stored(row: KeyDbRow): IdempotentResponse<unknown> {
    return { status: row.response_status ?? 200, body: JSON.parse(row.response_body ?? 'null') as unknown, replayed: true };
  }
}

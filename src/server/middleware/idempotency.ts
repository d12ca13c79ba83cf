// Idempotency-Key on the issuer's write routes: a retry with the same key gets the same answer, never a second credential.
import type { Context, MiddlewareHandler } from 'hono';
import type { IdempotencyStore } from '../../store';
import { idempotencyKey, requestHash } from '../issuer-request';
import { jsonResponse } from '../json-response';

/**
 * An answer a route has prepared (signed) but not stored: `commit` stores it synchronously, fills in `body` and may
 * change `status` (a batch answers 200 or 207). The middleware runs commit in the transaction that records the answer.
 * `record` (read after commit) is all the idempotency record keeps: ids and outcomes, no learner's name or email.
 */
export interface PendingAnswer {
  status: number;
  readonly body: object;
  readonly commit: () => void;
  readonly record: () => object;
}

/** The hono variables the middleware shares with its routes. */
export interface IdempotencyVariables {
  /** The request's Idempotency-Key, when it has one. */
  idempotencyKey?: string;
  pendingAnswer?: PendingAnswer;
}

/** The hono environment the middleware needs: the caller's token (set by bearerAuth) and its own variables. */
export interface IdempotencyEnv {
  Variables: { token: { readonly id: string } } & IdempotencyVariables;
}

/** Options of {@link idempotency}. */
export interface IdempotencyOptions {
  /** Rebuilds a retry's body from the route's stored `record` (reading what was issued back from the store). */
  readonly replay: (record: unknown) => object;
  /** Headers from the (stored or new) answer's body, e.g. `location`; sent on a replay too. */
  readonly headers?: (body: Record<string, unknown>) => Record<string, string>;
}

/** Thrown inside the store's run when the route already failed and answered; the claim is released, the answer kept. */
class RouteFailed extends Error {}

/** Hands a prepared answer to {@link idempotency}, which commits it and writes the response. */
export function answerAfterCommit<E extends IdempotencyEnv>(c: Context<E>, pending: PendingAnswer): Response {
  c.set('pendingAnswer', pending);
  return c.body(null);
}

/**
 * Factory: without an Idempotency-Key the route's pending answer is committed and sent; with one the store runs the
 * route at most once per (token, key) and answers a retry with the stored status and a body rebuilt from the stored
 * record (`idempotent-replayed: true`).
 * ERR_INVALID_REQUEST for an empty or over-long key. Mount after bearerAuth (the key is scoped to the token).
 */
export function idempotency(store: Pick<IdempotencyStore, 'withIdempotency'>, options: IdempotencyOptions): MiddlewareHandler<IdempotencyEnv> {
  const headersOf = (body: object): Record<string, string> => options.headers?.(body as Record<string, unknown>) ?? {};
  return async (c, next) => {
    const key = idempotencyKey(c);
    if (key === undefined) {
      await next();
      const pending = c.get('pendingAnswer');
      if (c.error !== undefined || pending === undefined) return;
      pending.commit();
      c.res = jsonResponse(pending.body, pending.status, headersOf(pending.body));
      return;
    }
    c.set('idempotencyKey', key);
    const hash = await requestHash(c);
    let result;
    try {
      result = await store.withIdempotency<object>(key, c.get('token').id, hash, async () => {
        await next();
        const pending = c.get('pendingAnswer');
        if (c.error !== undefined || pending === undefined) throw new RouteFailed();
        // commit may change the status; the store reads it after commit runs.
        return { get status() { return pending.status; }, body: pending.body, commit: pending.commit, record: pending.record };
      }, options.replay);
    } catch (error) {
      if (error instanceof RouteFailed) return;
      throw error;
    }
    c.res = jsonResponse(result.body, result.status, { ...headersOf(result.body), ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}) });
  };
}

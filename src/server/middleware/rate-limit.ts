// Per-client rate limit: a token bucket per client key, with an injected clock and a bounded number of buckets.
import type { Context, MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem';
import { clientAddress } from './client-address';
import { requireInteger } from './options';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Length of the window, in milliseconds: a client may make `max` requests per window, refilled smoothly. */
  readonly windowMs: number;
  /** Requests per window, which is also the largest burst. */
  readonly max: number;
  /** The clock. Default: the system clock. */
  readonly now?: () => Date;
  /** The client key. Default: the connection's remote address. */
  readonly key?: (c: Context) => string;
  /** Most buckets kept at once; the least recently used is dropped beyond this. Default 10,000. */
  readonly maxClients?: number;
  /**
   * What a request cost, in requests, read after it was answered (default 1). Every request takes one token up
   * front; the rest of its cost is charged afterwards, down to an empty window's debt, so expensive requests slow
   * their own client down rather than everyone else.
   */
  readonly cost?: (c: Context) => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Factory for a token-bucket rate limit. A request that finds the bucket empty is refused with ProblemError
 * ERR_RATE_LIMITED (429) and a `Retry-After` header in whole seconds. Memory is bounded: buckets live in a Map in
 * least-recently-used order, and the oldest are evicted past `maxClients` (an evicted client simply starts full).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const windowMs = requireInteger('rateLimit.windowMs', options.windowMs, 1);
  const max = requireInteger('rateLimit.max', options.max, 1);
  const maxClients = requireInteger('rateLimit.maxClients', options.maxClients ?? 10_000, 1);
  const now = options.now ?? (() => new Date());
  const keyOf = options.key ?? clientAddress;
  const refillPerMs = max / windowMs;
  const buckets = new Map<string, Bucket>();

  return async (c, next) => {
    const key = keyOf(c);
    const nowMs = now().getTime();
    const previous = buckets.get(key);
    const bucket: Bucket = previous ?? { tokens: max, updatedMs: nowMs };
    // A clock that steps backwards must not mint tokens, hence the max(0, ...).
    bucket.tokens = Math.min(max, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * refillPerMs);
    bucket.updatedMs = nowMs;
    // Re-inserting moves the key to the end, so the Map's first key is always the least recently used.
    buckets.delete(key);
    buckets.set(key, bucket);
    while (buckets.size > maxClients) {
      const oldest = buckets.keys().next().value;
      if (oldest === undefined) break;
      buckets.delete(oldest);
    }
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      throw new ProblemError('ERR_RATE_LIMITED', `Too many requests from this client; try again in ${retryAfterSeconds} s.`, {
        details: { retryAfterSeconds },
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
    bucket.tokens -= 1;
    await next();
    if (options.cost !== undefined) {
      const extra = Math.max(0, options.cost(c) - 1);
      if (Number.isFinite(extra)) bucket.tokens = Math.max(-max, bucket.tokens - extra);
    }
  };
}

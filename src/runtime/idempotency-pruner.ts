// Deletes idempotency records once no retry can need them: they name issued credentials, so they must not pile up.
import type { Store } from '../store';

/** Default time a completed Idempotency-Key answer is kept for retries (24 hours, as common APIs do). */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Default time between prune runs (1 hour). */
export const DEFAULT_IDEMPOTENCY_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Options of {@link startIdempotencyPruner}. */
export interface IdempotencyPrunerOptions {
  store: Pick<Store, 'pruneIdempotencyKeys'>;
  retentionMs?: number;
  intervalMs?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
}

/** A running pruner: `runOnce` prunes now (returns how many answers went), `stop` ends the schedule. */
export interface IdempotencyPruner {
  runOnce(): number;
  stop(): void;
}

/** Prunes at once, then every `intervalMs` (the timer does not keep the process alive). */
export function startIdempotencyPruner(options: IdempotencyPrunerOptions): IdempotencyPruner {
  const retention = options.retentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
  const now = options.now ?? ((): Date => new Date());
  const runOnce = (): number => options.store.pruneIdempotencyKeys(new Date(now().getTime() - retention));
  const tick = (): void => {
    try {
      runOnce();
    } catch (error) {
      options.onError?.(error);
    }
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? DEFAULT_IDEMPOTENCY_PRUNE_INTERVAL_MS);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}

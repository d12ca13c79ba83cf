// Waits, bounded in time, until the batches of newly issued credentials are anchored by the outbox of this data folder.
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { BatchRow, Store } from '../store';

/** Options of {@link waitForAnchors}; the clock and the sleep are injectable. */
export interface WaitForAnchorsOptions {
  readonly timeoutMs: number;
  /** How often the database is read (default 500 ms). */
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Where the batches stand when the wait ends. */
export interface AnchorWaitOutcome {
  /** True when every batch is anchored. */
  readonly anchored: boolean;
  /** Batches parked as failed: an operator must look (their lastError says why). */
  readonly failed: BatchRow[];
  /** Batches still on their way (open, sealed, submitted) when the time ran out. */
  readonly pending: BatchRow[];
}

/**
 * Reads the batches until all are anchored, one is parked as failed, or `timeoutMs` has passed. It anchors nothing
 * itself: the outbox of a running `microcred serve` (or a `microcred anchor` run) on the same database does that.
 */
export async function waitForAnchors(store: Pick<Store, 'getBatch'>, batchIds: readonly number[], options: WaitForAnchorsOptions): Promise<AnchorWaitOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  const pollMs = Math.max(10, options.pollMs ?? 500);
  const ids = [...new Set(batchIds)];
  const deadline = now() + Math.max(0, options.timeoutMs);
  // Bounded in count as well as in time: one read per poll interval, plus the first and the last.
  const rounds = Math.ceil(Math.max(0, options.timeoutMs) / pollMs) + 2;
  let pending: BatchRow[] = [];
  for (let round = 0; round < rounds; round++) {
    const batches = ids.map((id) => store.getBatch(id)).filter((b): b is BatchRow => b !== null);
    const failed = batches.filter((b) => b.state === 'failed');
    pending = batches.filter((b) => b.state !== 'anchored' && b.state !== 'failed');
    if (failed.length > 0) return { anchored: false, failed, pending };
    if (pending.length === 0) return { anchored: true, failed: [], pending: [] };
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(pollMs, left));
  }
  return { anchored: false, failed: [], pending };
}

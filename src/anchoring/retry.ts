// Capped exponential backoff for outbox work that failed on the chain, kept in memory per item.

/** Backoff settings: the first delay and the cap. */
export interface RetryPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** Longest delay between attempts. */
  maxMs: number;
}

/** Default backoff: 1 s doubling up to 1 minute. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** The delay after `failures` consecutive failures (1 = first): baseMs · 2^(failures-1), capped at maxMs. */
export function backoffDelay(policy: RetryPolicy, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

/** Remembers, per key, how often work failed and when it may run again; a restart forgets (and retries at once). */
export class Backoff {
  private readonly entries = new Map<string, { failures: number; notBefore: number }>();

  constructor(private readonly policy: RetryPolicy, private readonly now: () => Date) {}

  /** True when `key` has no pending delay. */
  due(key: string): boolean {
    const entry = this.entries.get(key);
    return entry === undefined || this.now().getTime() >= entry.notBefore;
  }

  /** Records a failure and returns the delay before the next attempt. */
  failed(key: string): number {
    const failures = (this.entries.get(key)?.failures ?? 0) + 1;
    const delay = backoffDelay(this.policy, failures);
    this.entries.set(key, { failures, notBefore: this.now().getTime() + delay });
    return delay;
  }

  /** Forgets `key` after a success. */
  succeeded(key: string): void {
    this.entries.delete(key);
  }

  /** Earliest time any key may run again, or undefined when nothing waits. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const entry of this.entries.values()) next = next === undefined ? entry.notBefore : Math.min(next, entry.notBefore);
    return next;
  }
}

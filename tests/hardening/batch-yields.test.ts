// Finding 5: a batch yields to the event loop as it goes, so other requests (verifications) are served meanwhile.
import { describe, expect, it } from 'vitest';
import { issuerFixture, record } from '../issuer/fixture';

/** Counts event-loop turns (setImmediate callbacks) until stopped: a batch that never yields lets none run. */
function countTurns(): { stop(): number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

describe('finding 5: a batch does not hold the event loop', () => {
  it('issuing 64 Data Integrity rows lets the event loop turn at least once per 16 rows', async () => {
    const { service } = issuerFixture({ maxLeaves: 1000 });
    const rows = Array.from({ length: 64 }, (_, i) => ({ row: i + 1, input: record({ learner: { email: `y${i}@example.org` } }) }));
    const turns = countTurns();
    const outcome = await service.issueMany(rows, { format: 'di', actor: 'test' });
    const counted = turns.stop();
    expect(outcome.issued).toBe(64);
    expect(counted).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

// A process killed mid-request leaves its Idempotency-Key claim pending; the restarted issuer must let the retry through.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { isMicrocredError } from '../../src/errors';
import { startSystem } from '../../src/runtime/system';
import { databasePath, openStore, type Store } from '../../src/store';
import { freePort } from '../helpers/free-port';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-idem-restart-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const secret = randomBytes(32).toString('base64url');
const never = new Promise<never>(() => undefined);

/** Claims `key` in `store` with a computation that never finishes: what a SIGKILL mid-request leaves in the database. */
function abandonClaim(store: Store, key: string, tokenId: string): void {
  void store.withIdempotency(key, tokenId, 'hash-of-the-request', () => never);
}

describe('Idempotency-Key claims after a crash', () => {
  it('the store: a pending claim blocks a retry until released; after release the retry runs, and the dead run can never answer twice', async () => {
    const file = databasePath(path.join(dir, 'store'));
    const first = openStore({ path: file });
    abandonClaim(first, 'k1', 'token-1');
    // The "restarted process": another connection to the same file.
    const second = openStore({ path: file });
    try {
      let blocked: unknown;
      await second.withIdempotency('k1', 'token-1', 'hash-of-the-request', () => Promise.resolve({ status: 201, body: { id: 'x' } })).catch((error: unknown) => (blocked = error));
      expect(isMicrocredError(blocked, 'ERR_IDEMPOTENCY_IN_PROGRESS')).toBe(true);

      expect(second.releasePendingIdempotencyClaims()).toBe(1);
      expect(second.releasePendingIdempotencyClaims()).toBe(0);
      let commits = 0;
      const retried = await second.withIdempotency('k1', 'token-1', 'hash-of-the-request', () => Promise.resolve({ status: 201, body: { id: 'retry' }, commit: () => void commits++ }));
      expect(retried).toEqual({ status: 201, body: { id: 'retry' }, replayed: false });

      // Had the first run been alive after all, finishing now must not store a second answer or commit again.
      const late = await first.withIdempotency('k1', 'token-1', 'hash-of-the-request', () => Promise.resolve({ status: 201, body: { id: 'late' }, commit: () => void commits++ }));
      expect(late).toEqual({ status: 201, body: { id: 'retry' }, replayed: true });
      expect(commits).toBe(1);
      // Only pending claims are released; answered keys stay answered.
      expect(second.releasePendingIdempotencyClaims()).toBe(0);
    } finally {
      second.close();
      first.close();
    }
  });

  it('the issuer releases claims left pending when it starts, so the client retry is answered 201 at once', async () => {
    const dataDir = path.join(dir, 'system');
    const store = openStore({ path: databasePath(dataDir), secret });
    const { id: tokenId, token } = store.createToken('client', ['issue'], 'test');
    abandonClaim(store, 'lost-answer', tokenId);
    store.close();

    const config = loadConfig({ env: {}, overrides: { role: 'issuer', dataDir, port: 0, chain: { embeddedPort: await freePort() } } });
    const lines: string[] = [];
    const system = await startSystem({ config, env: { MICROCRED_SECRET: secret }, log: (entry) => lines.push(entry.event) });
    try {
      expect(lines).toContain('idempotency.released');
      const record = { learner: { email: 'ada@example.org' }, module: { id: 'https://example.org/m/1', name: 'M', description: 'D', criteria: 'C' }, completedAt: '2025-01-01T00:00:00Z' };
      const response = await fetch(`${system.url}/v1/credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'lost-answer' },
        body: JSON.stringify(record),
      });
      expect(response.status, await response.clone().text()).toBe(201);
    } finally {
      await system.stop();
    }
  });
});

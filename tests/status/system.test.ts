// The whole system (embedded chain): credentials point at its own /status lists, and its verifier reads them locally.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { createStatusListFetcher } from '../../src/status/fetch';
import type { VerificationOutcome } from '../../src/verify/result';
import { createVerifier } from '../../src/verify/verifier';
import type { VerifierPool } from '../../src/verify/verifier-pool';
import { freePort } from '../helpers/free-port';
import { sampleRecord } from '../helpers/records';

let system: RunningSystem;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-status-system-'));
  const config = loadConfig({ env: {}, overrides: { dataDir: path.join(dir, 'data'), port: 0, chain: { embeddedPort: await freePort() }, batch: { maxAgeSeconds: 3600 } } });
  system = await startSystem({ config, env: {} });
  // The server verifies in worker threads by default; waiting for them makes every request below go through them
  // (status lists then come from this thread's database through the pool's questions).
  const pool = system.verifier as VerifierPool;
  expect(pool.threads).toBeGreaterThan(0);
  await pool.ready();
});
afterAll(async () => {
  await system?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function verify(credential: unknown): Promise<VerificationOutcome> {
  const response = await fetch(`${system.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) });
  return (await response.json()) as VerificationOutcome;
}

describe('status lists in the running system', () => {
  it('serves the lists at the local URL (the embedded default), and the verifier sees a revocation at once, before the chain does', async () => {
    const issuer = system.issuer!;
    const issued = await issuer.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    await issuer.anchorer.anchorNow();
    const anchored = issuer.service.getCredentialWithAnchor(issued.credentialId).anchored!;
    const entries = (anchored as { credentialStatus: Array<{ statusListCredential: string }> }).credentialStatus;
    expect(entries[0]!.statusListCredential).toBe(`${system.url}/status/di-1-revocation`);

    const list = await fetch(entries[0]!.statusListCredential);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { issuer: string }).issuer).toBe(issuer.service.issuer.did);
    expect(list.headers.get('etag')).toBeTruthy();

    const before = await verify(anchored);
    expect(before.checks.find((c) => c.check === 'status-list')).toMatchObject({ status: 'passed', code: 'STATUS_LIST_OK' });
    expect(before.verdict).toBe('valid');

    // Recorded, not yet carried to the chain: the list already says revoked, the chain not yet.
    issuer.service.requestStatusChange(issued.credentialId, 'revoke', { reasonCode: 'misconduct', actor: 'test' });
    const after = await verify(anchored);
    expect(after.checks.find((c) => c.check === 'status-list')).toMatchObject({ status: 'failed', code: 'STATUS_LIST_REVOKED' });
    expect(after.checks.find((c) => c.check === 'revocation')).toMatchObject({ code: 'REVOCATION_ACTIVE' });
    expect(after.verdict).toBe('invalid');
    expect(after.flags).toEqual(expect.arrayContaining(['revoked', 'status-sources-disagree']));

    // Once the outbox carried it, both sources agree: seen by a separate verifier that reads the chain afresh and
    // fetches the list over HTTP from the running server (loopback is allowed in development).
    await issuer.anchorer.anchorNow();
    expect(issuer.store.unfinishedStatusChanges()).toEqual([]);
    const outside = createVerifier({
      chain: { rpcUrls: system.rpcUrls, chainId: system.chainId, registryAddress: system.registryAddress, statusTtlMs: 0 },
      statusListFetcher: createStatusListFetcher({ development: true }),
    });
    const agreed = await outside.verify(anchored);
    outside.close();
    expect(agreed.checks.find((c) => c.check === 'status-list')).toMatchObject({ code: 'STATUS_LIST_REVOKED' });
    expect(agreed.checks.find((c) => c.check === 'revocation')).toMatchObject({ code: 'REVOCATION_REVOKED' });
    expect(agreed.flags).toContain('revoked');
    expect(agreed.flags).not.toContain('status-sources-disagree');
  });
});

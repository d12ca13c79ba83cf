// A revocation that a chain reorganisation removes is noticed by the outbox's re-check and sent again (hardhat node).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnchorer } from '../../src/anchoring/outbox';
import type { RegistryClient } from '../../src/chain';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { mine, revertTo, snapshot } from './fixtures/chain-control';
import { ISSUER, ISSUER_ID, connectClient, deployWithIssuers, issue, storeIn, tempDir } from './fixtures/outbox-env';

const CHAIN_ID = 31337;
let node: HardhatNode;
let registryAddress: string;
let reader: RegistryClient;

beforeAll(async () => {
  node = await startHardhatNode();
  registryAddress = await deployWithIssuers(node.url, CHAIN_ID);
  reader = await connectClient(node.url, CHAIN_ID, registryAddress);
});
afterAll(async () => {
  reader?.close();
  await node?.stop();
});

describe('status changes and reorganisations', () => {
  it('a revocation removed by a revert goes back to pending and ends revoked on the surviving chain', async () => {
    let t = Date.parse('2026-03-01T10:00:00Z');
    const now = (): Date => new Date(t);
    const dir = tempDir();
    const store = storeIn(dir, now);
    const client = await connectClient(node.url, CHAIN_ID, registryAddress, ISSUER);
    const anchorer = createAnchorer({
      store,
      registry: client,
      chainId: CHAIN_ID,
      registryAddress,
      confirmations: 1,
      batch: { maxLeaves: 100, maxAgeMs: 60_000 },
      retry: { baseMs: 500, maxMs: 500 },
      receiptTimeoutMs: 5_000,
      recheck: { recentBatches: 16, everyMs: 60_000 },
      now,
    });
    try {
      issue(store, 2, 100);
      expect((await anchorer.anchorNow()).anchored).toEqual([1]);
      const credential = store.listCredentials({ batchId: 1, limit: 1 }).items[0]!;
      const afterAnchor = await snapshot(node.url);

      const change = store.requestStatusChange({ credentialId: credential.id, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
      t += 1_000;
      expect((await anchorer.runOnce()).statusDone).toEqual([change.id]);
      expect((await reader.leafStateOf(ISSUER_ID, credential.leaf)).status).toBe('revoked');

      await revertTo(node.url, afterAnchor); // the anchor survives, the revocation does not
      await mine(node.url, 2);
      expect((await reader.leafStateOf(ISSUER_ID, credential.leaf)).status).toBe('active');

      t += 60_000; // the next re-check is due
      await anchorer.runOnce();
      expect(store.statusChangesOf(credential.id)[0]!.state).not.toBe('done'); // noticed and back in the outbox
      // The first resend may meet the client's stale nonce from the lost transaction; a later run sends it.
      for (let attempt = 0; attempt < 4 && store.statusChangesOf(credential.id)[0]!.state !== 'done'; attempt++) {
        await anchorer.runOnce();
        t += 1_000;
      }
      const state = store.statusChangesOf(credential.id)[0]!;
      expect(state.state).toBe('done');
      expect((await reader.leafStateOf(ISSUER_ID, credential.leaf)).status).toBe('revoked');
      expect((await reader.leafStatusEvents(ISSUER_ID, credential.leaf)).filter((event) => event.action === 'revoke')).toHaveLength(1);
    } finally {
      await anchorer.stop();
      store.close();
      client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

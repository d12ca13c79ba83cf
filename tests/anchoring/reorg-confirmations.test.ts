// Chain reorganisations against a `hardhat node`: a batch is final only after its confirmations, an anchor that a
// revert removes before finality is sent again, and one removed after finality is caught by the bounded re-check.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTree } from '../../src/anchoring/merkle';
import { createAnchorer, type Anchorer, type AnchorerOptions } from '../../src/anchoring/outbox';
import type { RegistryClient } from '../../src/chain';
import type { Store } from '../../src/store';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { headBlock, mine, revertTo, snapshot } from './fixtures/chain-control';
import { expectBatchProofsOnChain } from './fixtures/outbox-checks';
import { ISSUER_DID, ISSUER_ID, ISSUER, connectClient, deployWithIssuers, issue, storeIn, tempDir } from './fixtures/outbox-env';

const CHAIN_ID = 31337;

let node: HardhatNode;
let registryAddress: string;
let reader: RegistryClient;
let t = Date.parse('2026-03-01T10:00:00Z');
const now = (): Date => new Date(t);
// Every retry is due once the test moves the clock on by a second; nothing here waits on wall-clock time.
const nextAttempt = (): void => void (t += 1_000);
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  node = await startHardhatNode();
  registryAddress = await deployWithIssuers(node.url, CHAIN_ID);
  reader = await connectClient(node.url, CHAIN_ID, registryAddress);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  reader?.close();
  await node?.stop();
});

/** A fresh data folder, a client of the issuer's account and an outbox on them. */
async function setup(options: Partial<AnchorerOptions>): Promise<{ store: Store; client: RegistryClient; anchorer: Anchorer }> {
  const dir = tempDir();
  const store = storeIn(dir, now);
  const client = await connectClient(node.url, CHAIN_ID, registryAddress, ISSUER);
  const anchorer = createAnchorer({
    store,
    registry: client,
    chainId: CHAIN_ID,
    registryAddress,
    batch: { maxLeaves: 100, maxAgeMs: 60_000 },
    retry: { baseMs: 500, maxMs: 500 },
    // The chain mines nothing unless the test says so, so a short wait only decides when a step gives up for now.
    receiptTimeoutMs: 300,
    now,
    ...options,
  });
  cleanups.push(async () => {
    await anchorer.stop();
    store.close();
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { store, client, anchorer };
}

const expected = (): { chainId: number; registry: string; issuer: string } => ({ chainId: CHAIN_ID, registry: registryAddress, issuer: ISSUER_DID });

describe('confirmations and reorganisations (hardhat node)', () => {
  it('is not anchored before 3 confirmations; a revert that removes the anchor leads to exactly one anchor on the surviving chain', async () => {
    const confirmations = 3;
    const { store, anchorer } = await setup({ confirmations });
    issue(store, 3, 100);
    const before = await snapshot(node.url);

    const first = await anchorer.anchorNow();
    expect(first.sealed).toEqual([1]);
    expect(first.anchored).toEqual([]);
    const submitted = store.getBatch(1)!;
    expect(submitted.state).toBe('submitted');
    expect(submitted.lastError).toMatch(/^ERR_RECEIPT_TIMEOUT/);
    const root = submitted.root!;
    const firstBlock = (await reader.waitForReceipt(submitted.txHash!, 1))!.blockNumber;
    // Mined in one block: the root is on chain, but with 1 of 3 confirmations nothing is final and no proof is written.
    expect(await reader.anchorOf(ISSUER_ID, root)).not.toBeNull();
    expect(store.listCredentials({ batchId: 1, limit: 10 }).items.every((row) => row.anchorProof === null)).toBe(true);

    // The reorganisation: the block holding the anchor is gone, and so is the transaction.
    await revertTo(node.url, before);
    expect(await reader.anchorOf(ISSUER_ID, root)).toBeNull();
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, root)).toBe(0);
    expect(await reader.waitForReceipt(submitted.txHash!, 1)).toBeNull();
    // The surviving branch has a block of its own at that height.
    await mine(node.url, 1);

    // Receipt gone, root not anchored: the outbox sends again. The client still counts the lost transaction's nonce;
    // the node refuses that nonce once, the client re-reads it, and the next attempt goes out.
    nextAttempt();
    const stale = await anchorer.runOnce();
    expect(stale.retrying).toBe(1);
    expect(store.getBatch(1)!.lastError).toMatch(/^ERR_CHAIN:/);
    nextAttempt();
    const second = await anchorer.runOnce();
    expect(second.anchored).toEqual([]);
    const resent = store.getBatch(1)!;
    expect(resent.state).toBe('submitted');
    expect(resent.attempts).toBe(2);
    // Same account, nonce and call: the re-sent transaction may well have the same hash; what changed is its block.
    const resentBlock = (await reader.waitForReceipt(resent.txHash!, 1))!.blockNumber;
    expect(resentBlock).toBeGreaterThan(firstBlock);

    await mine(node.url, confirmations - 1);
    nextAttempt();
    const third = await anchorer.runOnce();
    expect(third.anchored).toEqual([1]);
    const anchored = store.getBatch(1)!;
    expect(anchored.txHash).toBe(resent.txHash);
    expect(anchored.blockNumber).toBe(resentBlock);
    expect((await headBlock(node.url)) - resentBlock + 1).toBe(confirmations);
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, root)).toBe(1);
    await expectBatchProofsOnChain(store, reader, 1, expected());
  });

  it('an anchor found on chain after a crash (sent, not recorded) also waits for its confirmations', async () => {
    const confirmations = 3;
    const { store, anchorer } = await setup({ confirmations });
    issue(store, 2, 100);
    const { batch } = store.sealBatch(store.openBatch()!.id, (leaves) => buildTree(leaves).root);
    // The crashed run: the anchor was broadcast and mined, but the process died before recording it.
    const crashed = await connectClient(node.url, CHAIN_ID, registryAddress, ISSUER);
    const sent = await crashed.sendAnchor(batch.root!);
    crashed.close();
    expect(await reader.anchorOf(ISSUER_ID, batch.root!)).not.toBeNull();

    const early = await anchorer.runOnce();
    expect(early.anchored).toEqual([]);
    expect(store.getBatch(batch.id)!.state).toBe('sealed');
    expect(store.getBatch(batch.id)!.lastError).toMatch(/^ERR_RECEIPT_TIMEOUT/);

    await mine(node.url, confirmations - 1);
    nextAttempt();
    expect((await anchorer.runOnce()).anchored).toEqual([batch.id]);
    expect(store.getBatch(batch.id)!.txHash).toBe(sent.hash.toLowerCase());
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, batch.root!)).toBe(1);
    await expectBatchProofsOnChain(store, reader, batch.id, expected());
  });

  it('with 1 confirmation a revert after anchoring loses the anchor until the re-check puts it back; it ends anchored once', async () => {
    const { store, anchorer } = await setup({ confirmations: 1, recheck: { recentBatches: 16, everyMs: 60_000 } });
    issue(store, 2, 100);
    const before = await snapshot(node.url);
    expect((await anchorer.anchorNow()).anchored).toEqual([1]);
    const lost = store.getBatch(1)!;
    await expectBatchProofsOnChain(store, reader, 1, expected());
    const credential = store.listCredentials({ batchId: 1, limit: 1 }).items[0]!;
    const path = buildTree(store.leavesOf(1)).proof(credential.leaf);

    await revertTo(node.url, before);
    await mine(node.url, 2);
    // What a verifier sees now: the registry has no record of the root (the verifier's ANCHOR_ROOT_NOT_FOUND).
    expect((await reader.lookup(ISSUER_ID, lost.root!, credential.leaf, path)).anchored).toBe(false);
    // Within the re-check period the outbox does not look again, and the store still says anchored.
    nextAttempt();
    expect((await anchorer.runOnce()).reanchoring).toEqual([]);
    expect(store.getBatch(1)!.state).toBe('anchored');

    t += 60_000;
    const noticed = await anchorer.runOnce();
    expect(noticed.reanchoring).toEqual([1]);
    // The first send after the loss meets the client's stale nonce (see the first test); the next one goes out.
    expect(noticed.anchored).toEqual([]);
    expect(store.getBatch(1)!.lastError).toMatch(/^ERR_CHAIN:/);
    nextAttempt();
    expect((await anchorer.runOnce()).anchored).toEqual([1]);
    const again = store.getBatch(1)!;
    expect(again.state).toBe('anchored');
    expect(again.blockNumber).not.toBe(lost.blockNumber);
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, lost.root!)).toBe(1);
    expect((await reader.lookup(ISSUER_ID, lost.root!, credential.leaf, path)).anchored).toBe(true);
    await expectBatchProofsOnChain(store, reader, 1, expected());
  });

  it('with the re-check off, the loss stays unnoticed until requeueMissingAnchors() (the operator\'s reconcile)', async () => {
    const { store, anchorer } = await setup({ confirmations: 1, recheck: false });
    issue(store, 1, 100);
    const before = await snapshot(node.url);
    expect((await anchorer.anchorNow()).anchored).toEqual([1]);
    const root = store.getBatch(1)!.root!;
    await revertTo(node.url, before);

    t += 10 * 60_000;
    expect((await anchorer.runOnce()).reanchoring).toEqual([]);
    expect(store.getBatch(1)!.state).toBe('anchored');
    expect(await reader.anchorOf(ISSUER_ID, root)).toBeNull();

    expect(await anchorer.requeueMissingAnchors()).toEqual([1]);
    for (let attempt = 0; attempt < 3 && store.getBatch(1)!.state !== 'anchored'; attempt++) {
      nextAttempt();
      await anchorer.runOnce();
    }
    expect(store.getBatch(1)!.state).toBe('anchored');
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, root)).toBe(1);
    await expectBatchProofsOnChain(store, reader, 1, expected());
  });
});

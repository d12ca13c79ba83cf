// The outbox worker against the in-process chain and a real SQLite file: anchoring, reconciliation, status changes.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTree } from '../../src/anchoring/merkle';
import { createAnchorer, type Anchorer, type AnchorerOptions } from '../../src/anchoring/outbox';
import { hardhatDevAccounts, rotateOperator, startDevChain, type DevChain, type RegistryClient } from '../../src/chain';
import type { Store } from '../../src/store';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { expectBatchProofsOnChain } from './fixtures/outbox-checks';
import { ISSUER_DID, ISSUER_ID, OTHER_ID, ADMIN, ISSUER, OTHER_ISSUER, connectClient, deployWithIssuers, issue, storeIn, tempDir } from './fixtures/outbox-env';

let chain: DevChain;
let registryAddress: string;
let issuerClient: RegistryClient;
let otherClient: RegistryClient;
let reader: RegistryClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  chain = await startDevChain();
  registryAddress = await deployWithIssuers(chain.url, chain.chainId);
  issuerClient = await connectClient(chain.url, chain.chainId, registryAddress, ISSUER);
  otherClient = await connectClient(chain.url, chain.chainId, registryAddress, OTHER_ISSUER);
  reader = await connectClient(chain.url, chain.chainId, registryAddress);
});

afterAll(async () => {
  for (const client of [issuerClient, otherClient, reader]) client?.close();
  await chain?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A controllable clock shared by the store and the worker, so "T seconds later" needs no sleeping. */
function clock(): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

function setup(overrides: Partial<AnchorerOptions> = {}, registry: RegistryClient = issuerClient): { store: Store; anchorer: Anchorer; time: ReturnType<typeof clock> } {
  const dir = tempDir();
  const time = clock();
  const store = storeIn(dir, time.now);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  const anchorer = createAnchorer({
    store,
    registry,
    chainId: chain.chainId,
    registryAddress,
    confirmations: 1,
    batch: { maxLeaves: 4, maxAgeMs: 60_000 },
    retry: { baseMs: 1_000, maxMs: 8_000 },
    receiptTimeoutMs: 10_000,
    now: time.now,
    ...overrides,
  });
  cleanups.push(() => anchorer.stop());
  return { store, anchorer, time };
}

const expected = (): { chainId: number; registry: string; issuer: string } => ({ chainId: chain.chainId, registry: registryAddress, issuer: ISSUER_DID });

describe('anchoring outbox on the in-process chain', () => {
  it('seals after N leaves or T, anchors each batch once, and every proof checks against the contract', async () => {
    const { store, anchorer, time } = setup();
    issue(store, 5, 4);
    const first = await anchorer.runOnce();
    expect(first.sealed).toEqual([1]);
    expect(first.anchored).toEqual([1]);
    expect(store.getBatch(2)?.state).toBe('open');
    const root1 = await expectBatchProofsOnChain(store, reader, 1, expected());

    time.advance(60_001);
    const second = await anchorer.runOnce();
    expect(second.anchored).toEqual([2]);
    const root2 = await expectBatchProofsOnChain(store, reader, 2, expected());
    // A batch of one: the root is the leaf itself and the path is empty.
    const [single] = store.listCredentials({ batchId: 2 }).items;
    expect(root2).toBe(single!.leaf);
    expect(JSON.parse(Buffer.from((JSON.parse(single!.anchorProof!) as { proofValue: string }).proofValue.slice(1), 'base64url').toString()).path).toEqual([]);
    for (const root of [root1, root2]) expect(await reader.countRootAnchoredEvents(ISSUER_ID, root)).toBe(1);
    expect((await anchorer.runOnce()).anchored).toEqual([]);
  });

  it('resolves whenAnchored and anchorNow seals a batch that is not due yet', async () => {
    const { store, anchorer } = setup();
    const [id] = issue(store, 1, 4);
    const batchId = store.getCredential(id!)!.batchId;
    const waiting = anchorer.whenAnchored(batchId, { timeoutMs: 30_000 });
    expect((await anchorer.runOnce()).sealed).toEqual([]);
    await anchorer.anchorNow();
    expect((await waiting).state).toBe('anchored');
  });

  it('stop() releases a whenAnchored waiter at once instead of holding the process for its timeout', async () => {
    const { store, anchorer } = setup();
    const [id] = issue(store, 1, 4);
    const waiting = anchorer.whenAnchored(store.getCredential(id!)!.batchId, { timeoutMs: 600_000 });
    await anchorer.stop();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ANCHORER_STOPPED' });
  });

  it('records a root anchored by us before the crash (sent, never recorded) without sending again', async () => {
    const { store, anchorer } = setup();
    issue(store, 4, 4);
    const sealed = store.sealBatchIfDue({ maxLeaves: 4, maxAgeMs: 60_000, computeRoot: (leaves) => buildTree(leaves).root })!;
    const sent = await issuerClient.anchor(sealed.batch.root!);
    const summary = await anchorer.runOnce();
    expect(summary.anchored).toEqual([sealed.batch.id]);
    expect(store.getBatch(sealed.batch.id)).toMatchObject({ txHash: sent.hash.toLowerCase(), blockNumber: sent.blockNumber });
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, sealed.batch.root!)).toBe(1);
    await expectBatchProofsOnChain(store, reader, sealed.batch.id, expected());
  });

  it('sends again when the recorded transaction is unknown to the chain (dropped) and the root is not anchored', async () => {
    const { store, anchorer } = setup();
    issue(store, 4, 4);
    const sealed = store.sealBatchIfDue({ maxLeaves: 4, maxAgeMs: 60_000, computeRoot: (leaves) => buildTree(leaves).root })!;
    store.markSubmitted(sealed.batch.id, { txHash: `0x${'ab'.repeat(32)}`, nonce: 999 });
    expect((await anchorer.runOnce()).anchored).toEqual([sealed.batch.id]);
    expect(store.getBatch(sealed.batch.id)?.attempts).toBe(2);
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, sealed.batch.root!)).toBe(1);
  });

  it('squatting: another issuer anchoring the batch root first changes nothing; the batch anchors for this issuer', async () => {
    const { store, anchorer } = setup();
    issue(store, 4, 4);
    const sealed = store.sealBatchIfDue({ maxLeaves: 4, maxAgeMs: 60_000, computeRoot: (leaves) => buildTree(leaves).root })!;
    await otherClient.anchor(sealed.batch.root!); // the front-runner
    const summary = await anchorer.runOnce();
    expect(summary.failed).toEqual([]);
    expect(summary.anchored).toEqual([sealed.batch.id]);
    await expectBatchProofsOnChain(store, reader, sealed.batch.id, expected());
    expect(await reader.countRootAnchoredEvents(ISSUER_ID, sealed.batch.root!)).toBe(1);
    expect(await reader.countRootAnchoredEvents(OTHER_ID, sealed.batch.root!)).toBe(1);
  });

  it('after the anchoring key is rotated, the new operator carries a revocation of a credential the old one anchored', async () => {
    const rotated = hardhatDevAccounts(6)[5]!;
    const { store, anchorer } = setup();
    const [old] = issue(store, 1, 4);
    await anchorer.anchorNow();
    const admin = await connectClient(chain.url, chain.chainId, registryAddress, ADMIN);
    cleanups.push(() => admin.close());
    await rotateOperator(admin, ISSUER_ID, ISSUER.address, rotated.address);
    try {
      // The service restarts with the new key: a new client and outbox over the same database.
      const client = await connectClient(chain.url, chain.chainId, registryAddress, rotated);
      cleanups.push(() => client.close());
      const after = createAnchorer({ store, registry: client, chainId: chain.chainId, registryAddress, issuerDid: ISSUER_DID, batch: { maxLeaves: 4, maxAgeMs: 60_000 } });
      cleanups.push(() => after.stop());
      store.requestStatusChange({ credentialId: old!, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
      expect((await after.runOnce()).statusDone).toHaveLength(1);
      const row = store.getCredential(old!)!;
      expect(await reader.leafStateOf(ISSUER_DID, row.leaf)).toMatchObject({ status: 'revoked' });
      const events = await reader.leafStatusEvents(ISSUER_ID, row.leaf);
      expect(events.map((e) => [e.action, e.operator])).toEqual([['revoke', rotated.address]]);
      // The old key can no longer anchor: its outbox waits with ERR_NOT_AN_OPERATOR rather than failing batches.
      issue(store, 1, 4);
      const stale = await anchorer.anchorNow();
      expect(stale.failed).toEqual([]);
      expect(stale.retrying).toBe(1);
      expect(store.unfinishedBatches()[0]?.lastError).toContain('ERR_NOT_AN_OPERATOR');
    } finally {
      await rotateOperator(admin, ISSUER_ID, rotated.address, ISSUER.address);
    }
  });

  it('carries revoke, suspend and reinstate to the chain in order, once the batch is anchored', async () => {
    const { store, anchorer } = setup();
    const [a, b, c] = issue(store, 3, 4);
    store.requestStatusChange({ credentialId: a!, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
    store.requestStatusChange({ credentialId: b!, action: 'suspend', reasonCode: 'under_review', actor: 'test' });
    store.requestStatusChange({ credentialId: b!, action: 'reinstate', reasonCode: 'resolved', actor: 'test' });
    store.requestStatusChange({ credentialId: c!, action: 'suspend', reasonCode: 'under_review', actor: 'test' });
    // The batch is still open: nothing can go on chain yet.
    expect((await anchorer.runOnce()).statusDone).toEqual([]);
    expect(store.unfinishedStatusChanges()).toHaveLength(4);

    const summary = await anchorer.anchorNow();
    expect(summary.anchored).toHaveLength(1);
    expect(summary.statusDone).toEqual([1, 2, 3, 4]);
    const lookupOf = async (id: string): Promise<{ status: string; statusReason: number }> => {
      const row = store.getCredential(id)!;
      const proof = JSON.parse(Buffer.from((JSON.parse(row.anchorProof!) as { proofValue: string }).proofValue.slice(1), 'base64url').toString()) as { root: string; path: string[] };
      return reader.lookup(ISSUER_ID, proof.root, row.leaf, proof.path);
    };
    expect(await lookupOf(a!)).toMatchObject({ status: 'revoked', statusReason: 1 });
    expect(await lookupOf(b!)).toMatchObject({ status: 'active', statusReason: 8 });
    expect(await lookupOf(c!)).toMatchObject({ status: 'suspended', statusReason: 7 });
    for (const change of [...store.statusChangesOf(a!), ...store.statusChangesOf(b!)]) {
      expect(change).toMatchObject({ state: 'done' });
      expect(change.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    }
  });

  it('records a status change the chain already shows, and fails one the contract refuses', async () => {
    const { store, anchorer } = setup();
    const [a, b] = issue(store, 2, 4);
    await anchorer.anchorNow();
    const batch = store.getBatch(store.getCredential(a!)!.batchId)!;
    const leaves = store.leavesOf(batch.id);
    const tree = buildTree(leaves);
    // a: revoked on chain by a run that crashed before recording it.
    const leafA = store.getCredential(a!)!.leaf;
    const sent = await issuerClient.sendStatusChange('revoke', leafA, batch.root!, tree.proof(leafA), 1);
    await issuerClient.waitForReceipt(sent.hash);
    store.requestStatusChange({ credentialId: a!, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
    // b: revoked on chain behind the store's back, then the store asks to suspend it: the contract refuses.
    const leafB = store.getCredential(b!)!.leaf;
    await issuerClient.waitForReceipt((await issuerClient.sendStatusChange('revoke', leafB, batch.root!, tree.proof(leafB), 1)).hash);
    store.requestStatusChange({ credentialId: b!, action: 'suspend', reasonCode: 'under_review', actor: 'test' });

    const summary = await anchorer.runOnce();
    expect(summary.statusDone).toEqual([1]);
    expect(store.statusChangesOf(a!)[0]).toMatchObject({ state: 'done', txHash: sent.hash.toLowerCase() });
    expect(summary.statusFailed).toEqual([2]);
    expect(store.statusChangesOf(b!)[0]?.lastError).toMatch(/^ERR_LEAF_REVOKED/);
  });

  it('keeps issuing while the RPC endpoint is down, retries with backoff, and anchors once it is back', async () => {
    const target = new URL(chain.url);
    const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    cleanups.push(() => proxy.close());
    const viaProxy = await connectClient(proxy.url, chain.chainId, registryAddress, ISSUER);
    cleanups.push(() => viaProxy.close());
    const { store, anchorer, time } = setup({}, viaProxy);
    const retries: number[] = [];
    anchorer.on('retry', (info) => retries.push(info.delayMs));

    await proxy.close();
    issue(store, 6, 4);
    const down = await anchorer.runOnce();
    expect(down.sealed).toEqual([1]);
    expect(down.anchored).toEqual([]);
    expect(store.getBatch(1)?.lastError).toMatch(/^ERR_RPC_UNAVAILABLE/);
    // Still down: backoff doubles (1 s, 2 s) and runs before the delay skip the batch.
    expect((await anchorer.runOnce()).retrying).toBe(1);
    time.advance(1_000);
    await anchorer.runOnce();
    expect(retries).toEqual([1_000, 2_000]);
    issue(store, 2, 4);

    await proxy.open();
    time.advance(2_000);
    const up = await anchorer.runOnce();
    expect(up.anchored).toEqual([1, 2]);
    for (const id of [1, 2]) await expectBatchProofsOnChain(store, reader, id, expected());
  });

  it('stop() waits for the step in flight, leaving a finished state', async () => {
    const { store, anchorer } = setup();
    issue(store, 4, 4);
    const run = anchorer.runOnce();
    await anchorer.stop();
    expect(store.getBatch(1)?.state).toBe('anchored');
    expect((await run).anchored).toEqual([1]);
  });

  it('puts anchored batches back when the chain no longer knows their root (fresh development chain)', async () => {
    const { store, anchorer } = setup();
    issue(store, 4, 4);
    await anchorer.runOnce();
    expect(await anchorer.requeueMissingAnchors()).toEqual([]);
    // Simulate a fresh chain by pointing the batch at a root this chain never saw.
    store.db.prepare("UPDATE batches SET root = ? WHERE id = 1").run(`0x${'cd'.repeat(32)}`);
    expect(await anchorer.requeueMissingAnchors()).toEqual([1]);
    expect(store.getBatch(1)?.state).toBe('sealed');
  });
});

describe('an issuer the registry does not accept yet', () => {
  it('keeps its batch waiting (not failed) until the accreditor registers it, then anchors it', async () => {
    const newcomer = hardhatDevAccounts(4)[3]!;
    const client = await connectClient(chain.url, chain.chainId, registryAddress, newcomer);
    cleanups.push(() => client.close());
    const { store, anchorer, time } = setup({}, client);
    issue(store, 1, 4);
    time.advance(60_001);
    const refused = await anchorer.runOnce();
    expect(refused.failed).toEqual([]);
    expect(refused.retrying).toBe(1);
    expect(store.getBatch(1)).toMatchObject({ state: 'sealed' });
    expect(store.getBatch(1)?.lastError).toContain('ERR_NOT_AN_OPERATOR');

    const admin = await connectClient(chain.url, chain.chainId, registryAddress, ADMIN);
    await admin.registerIssuer('did:web:newcomer.example', 'Newcomer', ADMIN.address, [newcomer.address]);
    admin.close();
    time.advance(10_000); // past the backoff
    expect((await anchorer.runOnce()).anchored).toEqual([1]);
  });

  it('waits (ERR_OPERATOR_OF_OTHER_ISSUER) while its key operates for another issuer than the DID it signs as', async () => {
    const { store, anchorer, time } = setup({ issuerDid: 'did:web:not-this-one.example' });
    issue(store, 1, 4);
    time.advance(60_001);
    const refused = await anchorer.runOnce();
    expect(refused.failed).toEqual([]);
    expect(refused.retrying).toBe(1);
    expect(store.getBatch(1)?.lastError).toContain('ERR_OPERATOR_OF_OTHER_ISSUER');
  });
});

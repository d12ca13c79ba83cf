// One shared suite for the typed registry client, run against every kind of chain (see the *.test.ts files here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes, getAddress } from 'ethers';
import { RegistryClient, deployRegistry, detectChainId, loadRegistryArtifact, providerOptions } from '../../src/chain';
import type { DevAccount } from '../../src/chain';
import { buildTree } from '../../src/anchoring';
import { isMicrocredError, type ErrorCode } from '../../src/errors';
import { expectCode } from '../helpers/errors';
import { freePort } from '../helpers/free-port';

/** What the suite needs from a chain. */
export interface TestChain {
  url: string;
  chainId: number;
  accounts: readonly DevAccount[];
  close(): Promise<void>;
}

const b32 = (label: string): string => keccak256(toUtf8Bytes(label));

/** Expects the registry's error `code`, and with `args` exactly those decoded custom-error arguments. */
async function expectRevertCode(promise: Promise<unknown>, code: ErrorCode, args?: Record<string, unknown>): Promise<void> {
  const error = await expectCode(promise, code);
  if (args && isMicrocredError(error)) expect(error.details.args).toEqual(args);
}

/** Registers the registry-client suite against the chain that `start` returns. */
export function registryClientSuite(name: string, start: () => Promise<TestChain>): void {
  describe(`RegistryClient on ${name}`, () => {
    let chain: TestChain;
    let address: string;
    let admin: RegistryClient;
    let issuerA: RegistryClient;
    let issuerB: RegistryClient;
    let stranger: RegistryClient;
    let reader: RegistryClient;
    let deadUrl: string;
    const clients: RegistryClient[] = [];
    const connect = async (account?: DevAccount, rpcUrls?: string[]): Promise<RegistryClient> => {
      const client = await RegistryClient.connect({
        address,
        rpcUrls: rpcUrls ?? [chain.url],
        chainId: chain.chainId,
        pollingIntervalMs: 50,
        ...(account ? { privateKey: account.privateKey } : {}),
      });
      clients.push(client);
      return client;
    };
    const acct = (i: number): DevAccount => chain.accounts[i]!;

    beforeAll(async () => {
      chain = await start();
      // A port that was free a moment ago and has nothing listening: connections are refused.
      deadUrl = `http://127.0.0.1:${await freePort()}`;
      const provider = new JsonRpcProvider(chain.url, chain.chainId, providerOptions(chain.chainId));
      address = await deployRegistry(new Wallet(acct(0).privateKey, provider), acct(0).address);
      provider.destroy();
      admin = await connect(acct(0));
      issuerA = await connect(acct(1));
      issuerB = await connect(acct(2));
      stranger = await connect(acct(3));
      reader = await connect();
      await admin.registerIssuer(acct(1).address, 'did:web:a.example', 'Issuer A');
      await admin.registerIssuer(acct(2).address, 'did:web:b.example', 'Issuer B');
    });

    afterAll(async () => {
      for (const client of clients) client.close();
      await chain?.close();
    });

    it('deploys a registry whose admin is an accreditor', async () => {
      expect(getAddress(address)).toBe(admin.address);
      expect(await reader.isAccreditor(acct(0).address)).toBe(true);
      expect(await reader.isAccreditor(acct(3).address)).toBe(false);
      expect(await admin.signerAddress()).toBe(acct(0).address);
    });

    it('registers and reads issuers; unknown is null; errors carry codes and arguments', async () => {
      const issuer = await reader.getIssuer(acct(1).address);
      expect(issuer).toMatchObject({ address: acct(1).address, did: 'did:web:a.example', name: 'Issuer A', active: true });
      expect(issuer!.registeredAt).toBeGreaterThan(0);
      expect(await reader.getIssuer(acct(9).address)).toBeNull();
      await expectRevertCode(admin.registerIssuer(acct(1).address, 'did:x', 'x'), 'ERR_ISSUER_ALREADY_REGISTERED', { issuer: acct(1).address });
      await expectRevertCode(admin.registerIssuer(acct(9).address, '', 'x'), 'ERR_EMPTY_DID', {});
      await expectRevertCode(stranger.registerIssuer(acct(9).address, 'did:x', 'x'), 'ERR_MISSING_ROLE', {
        account: acct(3).address,
        neededRole: keccak256(toUtf8Bytes('ACCREDITOR_ROLE')),
      });
      await expectRevertCode(admin.suspendIssuer(acct(9).address), 'ERR_UNKNOWN_ISSUER', { issuer: acct(9).address });
      await expectRevertCode(admin.reinstateIssuer(acct(1).address), 'ERR_ISSUER_ALREADY_ACTIVE', { issuer: acct(1).address });
    });

    it('a rejected write does not burn a nonce: the next write from the same client goes through', async () => {
      await expectRevertCode(admin.registerIssuer(acct(1).address, 'did:x', 'x'), 'ERR_ISSUER_ALREADY_REGISTERED');
      const mined = await admin.registerIssuer(acct(5).address, 'did:web:e.example', 'Issuer E');
      expect(mined.status).toBe('success');
    });

    it('grants the accreditor role', async () => {
      await admin.grantAccreditor(acct(6).address);
      expect(await reader.isAccreditor(acct(6).address)).toBe(true);
    });

    it('sendAnchor returns once broadcast; waitForReceipt, anchorOf and the event count confirm it', async () => {
      const root = b32(`${name}-send`);
      const sent = await issuerA.sendAnchor(root);
      expect(sent.hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(Number.isInteger(sent.nonce)).toBe(true);
      const mined = await issuerA.waitForReceipt(sent.hash, 1);
      expect(mined).toMatchObject({ hash: sent.hash, status: 'success' });
      expect(mined!.gasUsed).toBeLessThanOrEqual(60_000n);
      expect(await reader.anchorOf(root)).toEqual({ issuer: acct(1).address, anchoredAt: mined!.timestamp });
      expect(await reader.countRootAnchoredEvents(root)).toBe(1);
      const events = await reader.rootAnchoredEvents(root);
      expect(events).toEqual([{ root, issuer: acct(1).address, timestamp: mined!.timestamp, blockNumber: mined!.blockNumber, transactionHash: sent.hash }]);
      await expectRevertCode(issuerB.sendAnchor(root), 'ERR_ROOT_ALREADY_ANCHORED', { root, by: acct(1).address });
      expect(await reader.countRootAnchoredEvents(root)).toBe(1);
    });

    it('anchor() waits for confirmations; waitForReceipt(hash, 2) resolves once another block is mined', async () => {
      const mined = await issuerA.anchor(b32(`${name}-conf-1`));
      expect(mined.status).toBe('success');
      const sent = await issuerA.sendAnchor(b32(`${name}-conf-2`));
      const waiting = issuerA.waitForReceipt(sent.hash, 2);
      // Automining chains only make a block per transaction, so make the second one ourselves.
      await issuerB.anchor(b32(`${name}-conf-3`));
      const confirmed = await waiting;
      expect(confirmed?.status).toBe('success');
    });

    it('waitForReceipt of a transaction the chain never saw is null', async () => {
      expect(await reader.waitForReceipt(b32('no-such-tx'), 1)).toBeNull();
    });

    it('anchorOf an unanchored root is null, and its event count is 0', async () => {
      expect(await reader.anchorOf(b32('never'))).toBeNull();
      expect(await reader.countRootAnchoredEvents(b32('never'))).toBe(0);
    });

    it('concurrent writes from one client get consecutive nonces and all land', async () => {
      const roots = [1, 2, 3, 4, 5].map((i) => b32(`${name}-parallel-${i}`));
      const sent = await Promise.all(roots.map((root) => issuerB.sendAnchor(root)));
      const nonces = sent.map((s) => s.nonce).sort((a, b) => a - b);
      expect(nonces).toEqual(nonces.map((_, i) => nonces[0]! + i));
      const mined = await Promise.all(sent.map((s) => issuerB.waitForReceipt(s.hash, 1)));
      expect(mined.every((m) => m?.status === 'success')).toBe(true);
      for (const root of roots) expect((await reader.anchorOf(root))?.issuer).toBe(acct(2).address);
    });

    it('revoke, suspend and reinstate through the client, seen by lookup', async () => {
      const tree = buildTree([b32(`${name}-l1`), b32(`${name}-l2`), b32(`${name}-l3`)]);
      await issuerA.anchor(tree.root);
      const [l1, l2] = tree.leaves as [string, string];
      let view = await reader.lookup(tree.root, l1, tree.proof(l1));
      expect(view).toMatchObject({
        anchoredBy: acct(1).address,
        leafInRoot: true,
        status: 'active',
        statusSince: 0,
        issuerDid: 'did:web:a.example',
        issuerName: 'Issuer A',
        issuerActive: true,
        issuerRegistered: true,
      });
      const suspended = await issuerA.suspend(l1, tree.root, tree.proof(l1), 2);
      view = await reader.lookup(tree.root, l1, tree.proof(l1));
      expect(view).toMatchObject({ status: 'suspended', statusReason: 2, statusSince: suspended.timestamp });
      await expectRevertCode(issuerA.suspend(l1, tree.root, tree.proof(l1), 2), 'ERR_LEAF_ALREADY_SUSPENDED', { leaf: l1 });
      await issuerA.reinstate(l1, tree.root, tree.proof(l1), 0);
      expect((await reader.lookup(tree.root, l1, tree.proof(l1))).status).toBe('active');
      await expectRevertCode(issuerA.reinstate(l1, tree.root, tree.proof(l1), 0), 'ERR_LEAF_NOT_SUSPENDED', { leaf: l1 });
      await issuerA.revoke(l2, tree.root, tree.proof(l2), 7);
      expect(await reader.leafStateOf(acct(1).address, l2)).toMatchObject({ status: 'revoked', reason: 7 });
      await expectRevertCode(issuerA.reinstate(l2, tree.root, tree.proof(l2), 0), 'ERR_LEAF_REVOKED', { leaf: l2 });
      await expectRevertCode(issuerB.revoke(l1, tree.root, tree.proof(l1), 1), 'ERR_NOT_ROOT_OWNER', { root: tree.root, caller: acct(2).address });
      await expectRevertCode(issuerA.revoke(l1, tree.root, tree.proof(l2), 1), 'ERR_LEAF_NOT_IN_ROOT', { leaf: l1, root: tree.root });
      await expectRevertCode(issuerA.revoke(l1, b32('unanchored'), [], 1), 'ERR_ROOT_NOT_ANCHORED', { root: b32('unanchored') });
      expect((await reader.lookup(tree.root, l1, tree.proof(l2))).leafInRoot).toBe(false);
    });

    it('sendStatusChange broadcasts a status write; leafStatusEvents lists them oldest first; accountNonces counts', async () => {
      const tree = buildTree([b32(`${name}-s1`), b32(`${name}-s2`)]);
      await issuerA.anchor(tree.root);
      const leaf = tree.leaves[0]!;
      const before = await issuerA.accountNonces();
      const sent = await issuerA.sendStatusChange('suspend', leaf, tree.root, tree.proof(leaf), 3);
      expect(sent.nonce).toBe(before.pending);
      expect((await issuerA.waitForReceipt(sent.hash, 1))?.status).toBe('success');
      expect(await issuerA.accountNonces()).toEqual({ latest: before.latest + 1, pending: before.pending + 1 });
      await issuerA.reinstate(leaf, tree.root, tree.proof(leaf), 4);
      const revoked = await issuerA.sendStatusChange('revoke', leaf, tree.root, tree.proof(leaf), 5);
      await issuerA.waitForReceipt(revoked.hash, 1);
      const events = await reader.leafStatusEvents(leaf);
      expect(events.map((e) => [e.action, e.reason, e.root, e.issuer])).toEqual([
        ['suspend', 3, tree.root, acct(1).address],
        ['reinstate', 4, tree.root, acct(1).address],
        ['revoke', 5, tree.root, acct(1).address],
      ]);
      expect(events[2]!.transactionHash).toBe(revoked.hash);
      await expectRevertCode(issuerA.sendStatusChange('reinstate', leaf, tree.root, tree.proof(leaf), 0), 'ERR_LEAF_REVOKED', { leaf });
      await expectRevertCode(reader.accountNonces(), 'ERR_NO_SIGNER');
    });

    it('unregistered and suspended issuers cannot anchor', async () => {
      await expectRevertCode(stranger.sendAnchor(b32('x')), 'ERR_UNKNOWN_ISSUER', { issuer: acct(3).address });
      await expectRevertCode(issuerA.sendAnchor('0x' + '00'.repeat(32)), 'ERR_ZERO_ROOT', {});
      await admin.registerIssuer(acct(7).address, 'did:web:g.example', 'Issuer G');
      const issuerG = await connect(acct(7));
      await admin.suspendIssuer(acct(7).address, 4);
      expect((await reader.getIssuer(acct(7).address))?.active).toBe(false);
      await expectRevertCode(issuerG.sendAnchor(b32('g')), 'ERR_ISSUER_NOT_ACTIVE', { issuer: acct(7).address });
      await admin.reinstateIssuer(acct(7).address);
      expect((await issuerG.anchor(b32(`${name}-g`))).status).toBe('success');
    });

    it('a read-only client cannot write: ERR_NO_SIGNER', async () => {
      await expectRevertCode(reader.sendAnchor(b32('ro')), 'ERR_NO_SIGNER');
    });

    it('reads fail over past a dead first URL; with only dead URLs they fail with ERR_RPC_UNAVAILABLE', async () => {
      const root = b32(`${name}-failover`);
      await issuerA.anchor(root);
      expect(await detectChainId([deadUrl, chain.url])).toBe(chain.chainId);
      const failover = await connect(undefined, [deadUrl, chain.url]);
      expect((await failover.anchorOf(root))?.issuer).toBe(acct(1).address);
      expect((await failover.lookup(root, root, [])).leafInRoot).toBe(true);
      const detected = await RegistryClient.connect({ address, rpcUrls: [deadUrl, chain.url] });
      clients.push(detected);
      expect(detected.chainId).toBe(chain.chainId);
      const dead = await connect(undefined, [deadUrl]);
      await expectRevertCode(dead.anchorOf(root), 'ERR_RPC_UNAVAILABLE');
      await expectRevertCode(detectChainId([deadUrl]), 'ERR_RPC_UNAVAILABLE');
    });

    it('an address without a registry gives ERR_REGISTRY_BAD_RESPONSE, not a wrong answer', async () => {
      const client = await RegistryClient.connect({ address: acct(9).address, rpcUrls: [chain.url], chainId: chain.chainId });
      clients.push(client);
      await expectRevertCode(client.lookup(b32('x'), b32('x'), []), 'ERR_REGISTRY_BAD_RESPONSE');
    });

    it('the artifact is loaded once and has the registry ABI', () => {
      expect(loadRegistryArtifact().iface.getFunction('lookup')).not.toBeNull();
    });
  });
}

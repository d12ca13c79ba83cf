// One shared suite for the typed registry client, run against every kind of chain (see the *.test.ts files here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes, getAddress } from 'ethers';
import { RegistryClient, deployRegistry, detectChainId, issuerIdOf, loadRegistryArtifact, providerOptions, rotateOperator } from '../../src/chain';
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

    const A = issuerIdOf('did:web:a.example');
    const B = issuerIdOf('did:web:b.example');

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
      // Issuer A is administered by account 4 and operated by account 1; issuer B by the accreditor and account 2.
      await admin.registerIssuer('did:web:a.example', 'Issuer A', acct(4).address);
      await (await connect(acct(4))).addOperator('did:web:a.example', acct(1).address);
      await admin.registerIssuer('did:web:b.example', 'Issuer B', acct(0).address, [acct(2).address]);
    });

    afterAll(async () => {
      for (const client of clients) client.close();
      await chain?.close();
    });

    it('deploys a registry whose admin is an accreditor, and that says so through ERC-165', async () => {
      expect(getAddress(address)).toBe(admin.address);
      expect(await reader.isAccreditor(acct(0).address)).toBe(true);
      expect(await reader.isAccreditor(acct(3).address)).toBe(false);
      expect(await admin.signerAddress()).toBe(acct(0).address);
      expect(await reader.hasCode()).toBe(true);
      expect(await reader.supportsInterface()).toBe(true);
      expect(await reader.supportsInterface('0xdeadbeef')).toBe(false);
      expect(await reader.nodeChainId()).toBe(chain.chainId);
    });

    it('registers and reads issuers by DID or id; unknown is null; errors carry codes and arguments', async () => {
      const issuer = await reader.issuerOf('did:web:a.example');
      expect(issuer).toMatchObject({ id: A, did: 'did:web:a.example', name: 'Issuer A', admin: acct(4).address, active: true, operators: [acct(1).address] });
      expect(issuer!.registeredAt).toBeGreaterThan(0);
      expect(await reader.issuerOf(A)).toEqual(issuer);
      expect(reader.issuerIdOf('did:web:a.example')).toBe(A);
      expect(await reader.issuerOf('did:web:nobody.example')).toBeNull();
      expect(await reader.issuerOfOperator(acct(1).address)).toBe(A);
      expect(await reader.issuerOfOperator(acct(2).address)).toBe(B);
      expect(await reader.issuerOfOperator(acct(3).address)).toBeNull();
      await expectRevertCode(admin.registerIssuer('did:web:a.example', 'x', acct(4).address), 'ERR_ISSUER_ALREADY_REGISTERED', { issuerId: A });
      await expectRevertCode(admin.registerIssuer('', 'x', acct(4).address), 'ERR_EMPTY_DID', {});
      await expectRevertCode(stranger.registerIssuer('did:web:x.example', 'x', acct(3).address), 'ERR_MISSING_ROLE', {
        account: acct(3).address,
        neededRole: keccak256(toUtf8Bytes('ACCREDITOR_ROLE')),
      });
      const nobody = issuerIdOf('did:web:nobody.example');
      await expectRevertCode(admin.suspendIssuer(nobody), 'ERR_UNKNOWN_ISSUER', { issuerId: nobody });
      await expectRevertCode(admin.reinstateIssuer(A), 'ERR_ISSUER_ALREADY_ACTIVE', { issuerId: A });
      await expectRevertCode(stranger.addOperator(A, acct(3).address), 'ERR_NOT_ISSUER_ADMIN', { issuerId: A, caller: acct(3).address });
      await expectRevertCode(admin.addOperator(B, acct(1).address), 'ERR_OPERATOR_ALREADY_ASSIGNED', { operator: acct(1).address, issuerId: A });
      await expectRevertCode(admin.removeOperator(B, acct(1).address), 'ERR_NOT_OPERATOR_OF', { operator: acct(1).address, issuerId: B });
      // Mistakes the types cannot catch: v1's argument order, and an address where an issuer is meant.
      await expectRevertCode(admin.registerIssuer(acct(9).address, 'did:web:x.example', 'Issuer X'), 'ERR_INVALID_ADDRESS');
      await expectRevertCode(reader.issuerOf(acct(1).address), 'ERR_ISSUER_REF');
      await expectRevertCode(reader.lookup(acct(1).address, b32('x'), b32('x'), []), 'ERR_ISSUER_REF');
    });

    it('a rejected write does not burn a nonce: the next write from the same client goes through', async () => {
      await expectRevertCode(admin.registerIssuer('did:web:a.example', 'x', acct(4).address), 'ERR_ISSUER_ALREADY_REGISTERED');
      const mined = await admin.registerIssuer('did:web:e.example', 'Issuer E', acct(0).address);
      expect(mined.status).toBe('success');
      expect(mined.issuerId).toBe(issuerIdOf('did:web:e.example'));
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
      expect(mined!.gasUsed).toBeLessThanOrEqual(50_000n);
      expect(await reader.anchorOf('did:web:a.example', root)).toEqual({ anchoredAt: mined!.timestamp, blockNumber: mined!.blockNumber });
      expect(await reader.countRootAnchoredEvents(A, root)).toBe(1);
      const events = await reader.rootAnchoredEvents({ issuer: A, root });
      expect(events).toEqual([{ issuerId: A, root, operator: acct(1).address, blockNumber: mined!.blockNumber, transactionHash: sent.hash }]);
      await expectRevertCode(issuerA.sendAnchor(root), 'ERR_ROOT_ALREADY_ANCHORED', { issuerId: A, root });
      // Squatting is harmless: B anchoring the same bytes is B's own anchor, and A's is unchanged.
      const squat = await issuerB.anchor(root);
      expect(await reader.anchorOf(A, root)).toEqual({ anchoredAt: mined!.timestamp, blockNumber: mined!.blockNumber });
      expect(await reader.anchorOf(B, root)).toEqual({ anchoredAt: squat.timestamp, blockNumber: squat.blockNumber });
      expect(await reader.countRootAnchoredEvents(A, root)).toBe(1);
      expect((await reader.rootAnchoredEvents({ root })).map((e) => e.issuerId)).toEqual([A, B]);
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
      expect(await reader.anchorOf(A, b32('never'))).toBeNull();
      expect(await reader.countRootAnchoredEvents(A, b32('never'))).toBe(0);
    });

    it('concurrent writes from one client get consecutive nonces and all land', async () => {
      const roots = [1, 2, 3, 4, 5].map((i) => b32(`${name}-parallel-${i}`));
      const sent = await Promise.all(roots.map((root) => issuerB.sendAnchor(root)));
      const nonces = sent.map((s) => s.nonce).sort((a, b) => a - b);
      expect(nonces).toEqual(nonces.map((_, i) => nonces[0]! + i));
      const mined = await Promise.all(sent.map((s) => issuerB.waitForReceipt(s.hash, 1)));
      expect(mined.every((m) => m?.status === 'success')).toBe(true);
      for (const root of roots) expect(await reader.anchorOf(B, root)).not.toBeNull();
    });

    it('revoke, suspend and reinstate through the client, seen by lookup and lookupMany', async () => {
      const tree = buildTree([b32(`${name}-l1`), b32(`${name}-l2`), b32(`${name}-l3`)]);
      const anchored = await issuerA.anchor(tree.root);
      const [l1, l2, l3] = tree.leaves as [string, string, string];
      let view = await reader.lookup('did:web:a.example', tree.root, l1, tree.proof(l1));
      expect(view).toEqual({
        issuerId: A,
        anchored: true,
        anchoredAt: anchored.timestamp,
        anchoredBlock: anchored.blockNumber,
        leafInRoot: true,
        status: 'active',
        statusReason: 0,
        statusSince: 0,
        issuerDid: 'did:web:a.example',
        issuerName: 'Issuer A',
        issuerActive: true,
        issuerRegistered: true,
      });
      const suspended = await issuerA.suspend(l1, tree.root, tree.proof(l1), 2);
      view = await reader.lookup(A, tree.root, l1, tree.proof(l1));
      expect(view).toMatchObject({ status: 'suspended', statusReason: 2, statusSince: suspended.timestamp });
      await expectRevertCode(issuerA.suspend(l1, tree.root, tree.proof(l1), 2), 'ERR_LEAF_ALREADY_SUSPENDED', { issuerId: A, leaf: l1 });
      await issuerA.reinstate(l1, tree.root, tree.proof(l1), 0);
      expect((await reader.lookup(A, tree.root, l1, tree.proof(l1))).status).toBe('active');
      await expectRevertCode(issuerA.reinstate(l1, tree.root, tree.proof(l1), 0), 'ERR_LEAF_NOT_SUSPENDED', { issuerId: A, leaf: l1 });
      await issuerA.revoke(l2, tree.root, tree.proof(l2), 7);
      expect(await reader.leafStateOf(A, l2)).toMatchObject({ status: 'revoked', reason: 7 });
      await expectRevertCode(issuerA.reinstate(l2, tree.root, tree.proof(l2), 0), 'ERR_LEAF_REVOKED', { issuerId: A, leaf: l2 });
      await expectRevertCode(issuerB.revoke(l1, tree.root, tree.proof(l1), 1), 'ERR_ROOT_NOT_ANCHORED', { issuerId: B, root: tree.root });
      await expectRevertCode(issuerA.revoke(l1, tree.root, tree.proof(l2), 1), 'ERR_LEAF_NOT_IN_ROOT', { leaf: l1, root: tree.root });
      await expectRevertCode(issuerA.revoke(l1, b32('unanchored'), [], 1), 'ERR_ROOT_NOT_ANCHORED', { issuerId: A, root: b32('unanchored') });
      expect((await reader.lookup(A, tree.root, l1, tree.proof(l2))).leafInRoot).toBe(false);
      // lookupMany: one answer per question, in order, equal to lookup's; chunked calls give the same answers.
      const queries = [
        { issuer: 'did:web:a.example', root: tree.root, leaf: l2, path: tree.proof(l2) },
        { issuer: B, root: tree.root, leaf: l1, path: tree.proof(l1) },
        { issuer: A, root: tree.root, leaf: l3, path: tree.proof(l1) },
        { issuer: 'did:web:nobody.example', root: b32('never'), leaf: l3, path: [] },
      ];
      const many = await reader.lookupMany(queries);
      const one = await Promise.all(queries.map((q) => reader.lookup(q.issuer, q.root, q.leaf, q.path)));
      expect(many).toEqual(one);
      expect(await reader.lookupMany(queries, 1)).toEqual(one);
      expect(many.map((r) => [r.anchored, r.leafInRoot, r.status, r.issuerRegistered])).toEqual([
        [true, true, 'revoked', true],
        [false, true, 'active', true],
        [true, false, 'active', true],
        [false, false, 'active', false],
      ]);
      expect(await reader.lookupMany([])).toEqual([]);
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
      const events = await reader.leafStatusEvents(A, leaf);
      expect(events.map((e) => [e.action, e.reason, e.root, e.issuerId, e.operator])).toEqual([
        ['suspend', 3, tree.root, A, acct(1).address],
        ['reinstate', 4, tree.root, A, acct(1).address],
        ['revoke', 5, tree.root, A, acct(1).address],
      ]);
      expect(events[2]!.transactionHash).toBe(revoked.hash);
      expect(await reader.leafStatusEvents(B, leaf)).toEqual([]);
      await expectRevertCode(issuerA.sendStatusChange('reinstate', leaf, tree.root, tree.proof(leaf), 0), 'ERR_LEAF_REVOKED', { issuerId: A, leaf });
      await expectRevertCode(reader.accountNonces(), 'ERR_NO_SIGNER');
    });

    it('rotation: a new operator revokes an old credential; the removed one can do nothing', async () => {
      const adminA = await connect(acct(4));
      const rotatedIn = await connect(acct(8));
      await admin.registerIssuer('did:web:r.example', 'Issuer R', acct(4).address, [acct(5).address]);
      const before = await connect(acct(5));
      const tree = buildTree([b32(`${name}-r1`), b32(`${name}-r2`)]);
      await before.anchor(tree.root);
      const rotation = await rotateOperator(adminA, 'did:web:r.example', acct(5).address, acct(8).address);
      expect(rotation.addTx?.status).toBe('success');
      expect(rotation.removeTx?.status).toBe('success');
      expect((await reader.issuerOf('did:web:r.example'))?.operators).toEqual([acct(8).address]);
      // Running it again finds it done and sends nothing.
      expect(await rotateOperator(adminA, 'did:web:r.example', acct(5).address, acct(8).address)).toMatchObject({ addTx: null, removeTx: null });
      await rotatedIn.revoke(tree.leaves[0]!, tree.root, tree.proof(0), 9);
      expect((await reader.lookup('did:web:r.example', tree.root, tree.leaves[0]!, tree.proof(0))).status).toBe('revoked');
      await expectRevertCode(before.sendAnchor(b32(`${name}-r-stolen`)), 'ERR_NOT_AN_OPERATOR', { caller: acct(5).address });
      await expectRevertCode(before.sendStatusChange('revoke', tree.leaves[1]!, tree.root, tree.proof(1), 1), 'ERR_NOT_AN_OPERATOR', { caller: acct(5).address });
      // A suspended issuer's operators cannot revoke.
      await admin.suspendIssuer('did:web:r.example', 1);
      await expectRevertCode(rotatedIn.revoke(tree.leaves[1]!, tree.root, tree.proof(1), 1), 'ERR_ISSUER_NOT_ACTIVE', { issuerId: issuerIdOf('did:web:r.example') });
      expect((await reader.leafStateOf('did:web:r.example', tree.leaves[1]!)).status).toBe('active');
    });

    it('strangers and suspended issuers cannot anchor', async () => {
      await expectRevertCode(stranger.sendAnchor(b32('x')), 'ERR_NOT_AN_OPERATOR', { caller: acct(3).address });
      await expectRevertCode(issuerA.sendAnchor('0x' + '00'.repeat(32)), 'ERR_ZERO_ROOT', {});
      await admin.registerIssuer('did:web:g.example', 'Issuer G', acct(0).address, [acct(7).address]);
      const issuerG = await connect(acct(7));
      const G = issuerIdOf('did:web:g.example');
      await admin.suspendIssuer('did:web:g.example', 4);
      expect((await reader.issuerOf(G))?.active).toBe(false);
      await expectRevertCode(issuerG.sendAnchor(b32('g')), 'ERR_ISSUER_NOT_ACTIVE', { issuerId: G });
      await admin.reinstateIssuer(G);
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
      expect(await failover.anchorOf(A, root)).not.toBeNull();
      expect((await failover.lookup(A, root, root, [])).leafInRoot).toBe(true);
      expect(await failover.lookupMany([{ issuer: A, root, leaf: root, path: [] }])).toHaveLength(1);
      const detected = await RegistryClient.connect({ address, rpcUrls: [deadUrl, chain.url] });
      clients.push(detected);
      expect(detected.chainId).toBe(chain.chainId);
      const dead = await connect(undefined, [deadUrl]);
      await expectRevertCode(dead.anchorOf(A, root), 'ERR_RPC_UNAVAILABLE');
      await expectRevertCode(dead.supportsInterface(), 'ERR_RPC_UNAVAILABLE');
      await expectRevertCode(detectChainId([deadUrl]), 'ERR_RPC_UNAVAILABLE');
    });

    it('an address without a registry: no code, no registry interface, ERR_REGISTRY_BAD_RESPONSE on reads', async () => {
      const client = await RegistryClient.connect({ address: acct(9).address, rpcUrls: [chain.url], chainId: chain.chainId });
      clients.push(client);
      expect(await client.hasCode()).toBe(false);
      expect(await client.supportsInterface()).toBe(false);
      await expectRevertCode(client.lookup(A, b32('x'), b32('x'), []), 'ERR_REGISTRY_BAD_RESPONSE');
    });

    it('the artifact is loaded once and has the registry ABI', () => {
      expect(loadRegistryArtifact().iface.getFunction('lookup')).not.toBeNull();
    });
  });
}

// The CredentialRegistry contract on the in-process chain: every function, every revert with its arguments, every event.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContractFactory, Wallet, ZeroAddress, ZeroHash, id } from 'ethers';
import type { JsonRpcProvider , Contract} from 'ethers';
import { startDevChain } from '../../src/chain/devchain';
import { loadRegistryArtifact } from '../../src/chain/artifact';
import type { DevChain } from '../../src/chain/devchain';
import { buildTree } from '../../src/anchoring/merkle';
import { b32, deployWithEthers, eventsOf, expectEvent, expectRevert, send, testProvider } from '../helpers/registry-fixture';

const ACCREDITOR_ROLE = id('ACCREDITOR_ROLE');
const DEFAULT_ADMIN_ROLE = ZeroHash;
const ACTIVE = 0n;
const SUSPENDED = 1n;
const REVOKED = 2n;

let chain: DevChain;
let provider: JsonRpcProvider;
let admin: Wallet;
let issuerA: Wallet;
let issuerB: Wallet;
let stranger: Wallet;
let accreditor: Wallet;
let registry: Contract;

const as = (wallet: Wallet): Contract => registry.connect(wallet) as Contract;
const blockTime = async (blockNumber: number): Promise<bigint> => BigInt((await provider.getBlock(blockNumber))!.timestamp);

beforeAll(async () => {
  chain = await startDevChain();
  provider = testProvider(chain.url, chain.chainId);
  [admin, issuerA, issuerB, stranger, accreditor] = chain.accounts.slice(0, 5).map((a) => new Wallet(a.privateKey, provider)) as [
    Wallet,
    Wallet,
    Wallet,
    Wallet,
    Wallet,
  ];
});

afterAll(async () => {
  provider.destroy();
  await chain.close();
});

beforeEach(async () => {
  registry = await deployWithEthers(admin);
});

async function registerBoth(): Promise<void> {
  await send(registry, 'registerIssuer', issuerA.address, 'did:web:a.example', 'Issuer A');
  await send(registry, 'registerIssuer', issuerB.address, 'did:web:b.example', 'Issuer B');
}

describe('constructor and roles', () => {
  it('gives the admin the admin role and ACCREDITOR_ROLE, and no one else', async () => {
    expect(await registry.getFunction('ACCREDITOR_ROLE')()).toBe(ACCREDITOR_ROLE);
    expect(await registry.getFunction('hasRole')(DEFAULT_ADMIN_ROLE, admin.address)).toBe(true);
    expect(await registry.getFunction('hasRole')(ACCREDITOR_ROLE, admin.address)).toBe(true);
    expect(await registry.getFunction('hasRole')(ACCREDITOR_ROLE, stranger.address)).toBe(false);
  });

  it('rejects a zero admin with ZeroAddress()', async () => {
    const artifact = loadRegistryArtifact();
    await expectRevert(new ContractFactory(artifact.abi, artifact.bytecode, admin).deploy(ZeroAddress), 'ZeroAddress');
  });

  it('lets the admin grant ACCREDITOR_ROLE, and the new accreditor register issuers', async () => {
    await send(registry, 'grantRole', ACCREDITOR_ROLE, accreditor.address);
    const receipt = await send(as(accreditor), 'registerIssuer', issuerA.address, 'did:web:a.example', 'Issuer A');
    expectEvent(receipt, 'IssuerRegistered', [issuerA.address, 'did:web:a.example', 'Issuer A', accreditor.address]);
  });

  it('does not let a non-admin grant roles', async () => {
    await expectRevert(as(stranger).getFunction('grantRole')(ACCREDITOR_ROLE, stranger.address), 'AccessControlUnauthorizedAccount', [
      stranger.address,
      DEFAULT_ADMIN_ROLE,
    ]);
  });
});

describe('registerIssuer / getIssuer', () => {
  it('records the issuer, emits IssuerRegistered, and getIssuer reads it back', async () => {
    const receipt = await send(registry, 'registerIssuer', issuerA.address, 'did:web:a.example', 'Issuer A');
    expectEvent(receipt, 'IssuerRegistered', [issuerA.address, 'did:web:a.example', 'Issuer A', admin.address]);
    const issuer = await registry.getFunction('getIssuer')(issuerA.address);
    expect(issuer.did).toBe('did:web:a.example');
    expect(issuer.name).toBe('Issuer A');
    expect(issuer.registeredAt).toBe(await blockTime(receipt.blockNumber));
    expect(issuer.active).toBe(true);
  });

  it('getIssuer of an unknown address is all zeros', async () => {
    const issuer = await registry.getFunction('getIssuer')(stranger.address);
    expect([issuer.did, issuer.name, issuer.registeredAt, issuer.active]).toEqual(['', '', 0n, false]);
  });

  it('reverts: not an accreditor, zero address, registered twice, empty DID', async () => {
    await expectRevert(as(stranger).getFunction('registerIssuer')(stranger.address, 'did:x', 'x'), 'AccessControlUnauthorizedAccount', [
      stranger.address,
      ACCREDITOR_ROLE,
    ]);
    await expectRevert(registry.getFunction('registerIssuer')(ZeroAddress, 'did:x', 'x'), 'ZeroAddress');
    await expectRevert(registry.getFunction('registerIssuer')(issuerA.address, '', 'x'), 'EmptyDid');
    await send(registry, 'registerIssuer', issuerA.address, 'did:web:a.example', 'Issuer A');
    await expectRevert(registry.getFunction('registerIssuer')(issuerA.address, 'did:other', 'y'), 'IssuerAlreadyRegistered', [issuerA.address]);
  });
});

describe('suspendIssuer / reinstateIssuer', () => {
  beforeEach(registerBoth);

  it('suspends with a reason and reinstates, emitting IssuerSuspended and IssuerReinstated', async () => {
    const suspended = await send(registry, 'suspendIssuer', issuerA.address, 7);
    expectEvent(suspended, 'IssuerSuspended', [issuerA.address, 7n, admin.address]);
    expect((await registry.getFunction('getIssuer')(issuerA.address)).active).toBe(false);
    const reinstated = await send(registry, 'reinstateIssuer', issuerA.address);
    expectEvent(reinstated, 'IssuerReinstated', [issuerA.address, admin.address]);
    expect((await registry.getFunction('getIssuer')(issuerA.address)).active).toBe(true);
  });

  it('reverts: unknown issuer, suspending twice, reinstating an active issuer, not an accreditor', async () => {
    await expectRevert(registry.getFunction('suspendIssuer')(stranger.address, 1), 'UnknownIssuer', [stranger.address]);
    await expectRevert(registry.getFunction('reinstateIssuer')(stranger.address), 'UnknownIssuer', [stranger.address]);
    await expectRevert(registry.getFunction('reinstateIssuer')(issuerA.address), 'IssuerAlreadyActive', [issuerA.address]);
    await send(registry, 'suspendIssuer', issuerA.address, 1);
    await expectRevert(registry.getFunction('suspendIssuer')(issuerA.address, 1), 'IssuerNotActive', [issuerA.address]);
    await expectRevert(as(issuerB).getFunction('reinstateIssuer')(issuerA.address), 'AccessControlUnauthorizedAccount', [
      issuerB.address,
      ACCREDITOR_ROLE,
    ]);
    await expectRevert(as(issuerB).getFunction('suspendIssuer')(issuerA.address, 1), 'AccessControlUnauthorizedAccount', [
      issuerB.address,
      ACCREDITOR_ROLE,
    ]);
  });
});

describe('anchor / anchorOf', () => {
  beforeEach(registerBoth);

  it('records issuer and block time, emits RootAnchored, and costs at most 60,000 gas', async () => {
    const root = b32('root-1');
    const receipt = await send(as(issuerA), 'anchor', root);
    const time = await blockTime(receipt.blockNumber);
    expectEvent(receipt, 'RootAnchored', [root, issuerA.address, time]);
    const anchored = await registry.getFunction('anchorOf')(root);
    expect([anchored.issuer, anchored.anchoredAt]).toEqual([issuerA.address, time]);
    expect(receipt.gasUsed).toBeLessThanOrEqual(60_000n);
  });

  it('anchorOf an unanchored root is zero', async () => {
    const anchored = await registry.getFunction('anchorOf')(b32('never'));
    expect([anchored.issuer, anchored.anchoredAt]).toEqual([ZeroAddress, 0n]);
  });

  it('an unregistered address cannot anchor: UnknownIssuer(caller)', async () => {
    await expectRevert(as(stranger).getFunction('anchor')(b32('x')), 'UnknownIssuer', [stranger.address]);
    // Holding ACCREDITOR_ROLE is not being an issuer either.
    await expectRevert(registry.getFunction('anchor')(b32('x')), 'UnknownIssuer', [admin.address]);
  });

  it('a suspended issuer cannot anchor: IssuerNotActive(caller); reinstated, it can again', async () => {
    await send(registry, 'suspendIssuer', issuerA.address, 3);
    await expectRevert(as(issuerA).getFunction('anchor')(b32('x')), 'IssuerNotActive', [issuerA.address]);
    await send(registry, 'reinstateIssuer', issuerA.address);
    await send(as(issuerA), 'anchor', b32('x'));
  });

  it('reverts ZeroRoot() for the zero root and RootAlreadyAnchored(root, by) for a second anchoring by anyone', async () => {
    await expectRevert(as(issuerA).getFunction('anchor')(ZeroHash), 'ZeroRoot');
    const root = b32('twice');
    await send(as(issuerA), 'anchor', root);
    await expectRevert(as(issuerA).getFunction('anchor')(root), 'RootAlreadyAnchored', [root, issuerA.address]);
    await expectRevert(as(issuerB).getFunction('anchor')(root), 'RootAlreadyAnchored', [root, issuerA.address]);
  });
});

describe('leaf status: revoke / suspend / reinstate', () => {
  const leavesA = [b32('a1'), b32('a2'), b32('a3')];
  const leavesB = [b32('b1'), b32('b2')];
  const treeA = buildTree(leavesA);
  const treeB = buildTree(leavesB);
  const leaf = leavesA[1]!;
  const path = treeA.proof(leaf);

  beforeEach(async () => {
    await registerBoth();
    await send(as(issuerA), 'anchor', treeA.root);
    await send(as(issuerB), 'anchor', treeB.root);
  });

  const state = async (issuer: string, l: string): Promise<unknown[]> => {
    const s = await registry.getFunction('leafStateOf')(issuer, l);
    return [s.status, s.reason, s.since] as unknown[];
  };

  it('revoke records the status for good and emits LeafRevoked(leaf, root, issuer, reason)', async () => {
    const receipt = await send(as(issuerA), 'revoke', leaf, treeA.root, path, 4);
    expectEvent(receipt, 'LeafRevoked', [leaf, treeA.root, issuerA.address, 4n]);
    expect(await state(issuerA.address, leaf)).toEqual([REVOKED, 4n, await blockTime(receipt.blockNumber)]);
    await expectRevert(as(issuerA).getFunction('revoke')(leaf, treeA.root, path, 4), 'LeafAlreadyRevoked', [leaf]);
    await expectRevert(as(issuerA).getFunction('suspend')(leaf, treeA.root, path, 4), 'LeafAlreadyRevoked', [leaf]);
    await expectRevert(as(issuerA).getFunction('reinstate')(leaf, treeA.root, path, 4), 'LeafAlreadyRevoked', [leaf]);
  });

  it('suspend then reinstate, with LeafSuspended and LeafReinstated; a suspended leaf can then be revoked', async () => {
    const suspended = await send(as(issuerA), 'suspend', leaf, treeA.root, path, 2);
    expectEvent(suspended, 'LeafSuspended', [leaf, treeA.root, issuerA.address, 2n]);
    expect(await state(issuerA.address, leaf)).toEqual([SUSPENDED, 2n, await blockTime(suspended.blockNumber)]);
    await expectRevert(as(issuerA).getFunction('suspend')(leaf, treeA.root, path, 2), 'LeafAlreadySuspended', [leaf]);
    const reinstated = await send(as(issuerA), 'reinstate', leaf, treeA.root, path, 9);
    expectEvent(reinstated, 'LeafReinstated', [leaf, treeA.root, issuerA.address, 9n]);
    expect(await state(issuerA.address, leaf)).toEqual([ACTIVE, 9n, await blockTime(reinstated.blockNumber)]);
    await send(as(issuerA), 'suspend', leaf, treeA.root, path, 2);
    const revoked = await send(as(issuerA), 'revoke', leaf, treeA.root, path, 1);
    expectEvent(revoked, 'LeafRevoked', [leaf, treeA.root, issuerA.address, 1n]);
  });

  it('reinstating an active leaf reverts LeafNotSuspended(leaf)', async () => {
    await expectRevert(as(issuerA).getFunction('reinstate')(leaf, treeA.root, path, 0), 'LeafNotSuspended', [leaf]);
  });

  it('an unanchored root reverts RootNotAnchored(root)', async () => {
    const other = b32('not-anchored');
    for (const method of ['revoke', 'suspend', 'reinstate']) {
      await expectRevert(as(issuerA).getFunction(method)(other, other, [], 0), 'RootNotAnchored', [other]);
    }
  });

  it("issuer A cannot change B's leaf even with a valid path to B's root: RootNotAnchoredBy(root, A)", async () => {
    const leafB = leavesB[0]!;
    const pathB = treeB.proof(leafB);
    for (const method of ['revoke', 'suspend', 'reinstate']) {
      await expectRevert(as(issuerA).getFunction(method)(leafB, treeB.root, pathB, 0), 'RootNotAnchoredBy', [treeB.root, issuerA.address]);
    }
    expect(await state(issuerB.address, leafB)).toEqual([ACTIVE, 0n, 0n]);
  });

  it("copying B's leaf into A's own tree lets A change only A's own record, not what verifiers read under B's root", async () => {
    const leafB = leavesB[0]!;
    const stolen = buildTree([leafB, b32('a-other')]);
    await send(as(issuerA), 'anchor', stolen.root);
    await send(as(issuerA), 'revoke', leafB, stolen.root, stolen.proof(leafB), 1);
    const view = await registry.getFunction('lookup')(treeB.root, leafB, treeB.proof(leafB));
    expect(view.status).toBe(ACTIVE);
    expect(view.anchoredBy).toBe(issuerB.address);
  });

  it('a wrong path or a wrong leaf reverts LeafNotInRoot(leaf, root)', async () => {
    const wrongLeaf = b32('not-in-tree');
    await expectRevert(as(issuerA).getFunction('revoke')(wrongLeaf, treeA.root, path, 0), 'LeafNotInRoot', [wrongLeaf, treeA.root]);
    const wrongPath = treeA.proof(leavesA[0]!);
    for (const method of ['revoke', 'suspend', 'reinstate']) {
      await expectRevert(as(issuerA).getFunction(method)(leaf, treeA.root, wrongPath, 0), 'LeafNotInRoot', [leaf, treeA.root]);
    }
  });

  it('a suspended issuer can still revoke and suspend its leaves, but cannot reinstate them', async () => {
    await send(registry, 'suspendIssuer', issuerA.address, 5);
    const other = leavesA[0]!;
    await send(as(issuerA), 'suspend', other, treeA.root, treeA.proof(other), 1);
    await expectRevert(as(issuerA).getFunction('reinstate')(other, treeA.root, treeA.proof(other), 1), 'IssuerNotActive', [issuerA.address]);
    const receipt = await send(as(issuerA), 'revoke', leaf, treeA.root, path, 3);
    expect(eventsOf(receipt, 'LeafRevoked')).toHaveLength(1);
  });
});

describe('lookup', () => {
  beforeEach(registerBoth);

  it('answers for an unanchored root: no issuer, and inclusion from the path alone', async () => {
    const leaf = b32('solo');
    const view = await registry.getFunction('lookup')(leaf, leaf, []);
    expect(view.anchoredBy).toBe(ZeroAddress);
    expect(view.anchoredAt).toBe(0n);
    expect(view.leafInRoot).toBe(true);
    expect([view.status, view.statusReason, view.statusSince]).toEqual([ACTIVE, 0n, 0n]);
    expect([view.issuerDid, view.issuerName, view.issuerActive, view.issuerRegistered]).toEqual(['', '', false, false]);
  });

  it('answers anchor, inclusion, status and issuer standing in one call', async () => {
    const tree = buildTree([b32('l1'), b32('l2'), b32('l3'), b32('l4'), b32('l5')]);
    const leaf = tree.leaves[3]!;
    const anchored = await send(as(issuerA), 'anchor', tree.root);
    const suspended = await send(as(issuerA), 'suspend', leaf, tree.root, tree.proof(leaf), 11);
    await send(registry, 'suspendIssuer', issuerA.address, 1);
    const view = await registry.getFunction('lookup')(tree.root, leaf, tree.proof(leaf));
    expect(view.anchoredBy).toBe(issuerA.address);
    expect(view.anchoredAt).toBe(await blockTime(anchored.blockNumber));
    expect(view.leafInRoot).toBe(true);
    expect([view.status, view.statusReason, view.statusSince]).toEqual([SUSPENDED, 11n, await blockTime(suspended.blockNumber)]);
    expect([view.issuerDid, view.issuerName, view.issuerActive, view.issuerRegistered]).toEqual(['did:web:a.example', 'Issuer A', false, true]);
    const wrong = await registry.getFunction('lookup')(tree.root, b32('other'), tree.proof(leaf));
    expect(wrong.leafInRoot).toBe(false);
  });
});

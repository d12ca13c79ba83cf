// The CredentialRegistry v2 contract on the in-process chain: every function, every revert with its arguments, every event.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContractFactory, Interface, Wallet, ZeroAddress, ZeroHash, id } from 'ethers';
import type { Contract, JsonRpcProvider } from 'ethers';
import { startDevChain } from '../../src/chain/devchain';
import { loadRegistryArtifact } from '../../src/chain/artifact';
import type { DevChain } from '../../src/chain/devchain';
import { issuerIdOf } from '../../src/chain/issuer-id';
import { REGISTRY_INTERFACE_ID } from '../../src/chain/types';
import { buildTree } from '../../src/anchoring/merkle';
import { b32, deployWithEthers, expectEvent, expectRevert, send, testProvider } from '../helpers/registry-fixture';

const ACCREDITOR_ROLE = id('ACCREDITOR_ROLE');
const DEFAULT_ADMIN_ROLE = ZeroHash;
const ACTIVE = 0n;
const SUSPENDED = 1n;
const REVOKED = 2n;
const DID_A = 'did:web:a.example';
const DID_B = 'did:web:b.example';
const A = issuerIdOf(DID_A);
const B = issuerIdOf(DID_B);

let chain: DevChain;
let provider: JsonRpcProvider;
let admin: Wallet;
let opA: Wallet;
let opB: Wallet;
let stranger: Wallet;
let accreditor: Wallet;
let adminA: Wallet;
let opA2: Wallet;
let registry: Contract;

const as = (wallet: Wallet): Contract => registry.connect(wallet) as Contract;
const blockOf = async (blockNumber: number) => (await provider.getBlock(blockNumber))!;
const call = (name: string, ...args: unknown[]) => registry.getFunction(name).staticCall(...args);

beforeAll(async () => {
  chain = await startDevChain();
  provider = testProvider(chain.url, chain.chainId);
  [admin, opA, opB, stranger, accreditor, adminA, opA2] = chain.accounts.slice(0, 7).map((a) => new Wallet(a.privateKey, provider)) as [
    Wallet,
    Wallet,
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

/** Registers A (administered by adminA, operated by opA) and B (administered by the accreditor, operated by opB). */
async function registerBoth(): Promise<void> {
  await send(registry, 'registerIssuer', DID_A, 'Issuer A', adminA.address);
  await send(registry, 'registerIssuer', DID_B, 'Issuer B', admin.address);
  await send(as(adminA), 'addOperator', A, opA.address);
  await send(registry, 'addOperator', B, opB.address);
}

describe('constructor, roles and ERC-165', () => {
  it('gives the admin the admin role and ACCREDITOR_ROLE, and no one else', async () => {
    expect(await call('ACCREDITOR_ROLE')).toBe(ACCREDITOR_ROLE);
    expect(await call('hasRole', DEFAULT_ADMIN_ROLE, admin.address)).toBe(true);
    expect(await call('hasRole', ACCREDITOR_ROLE, admin.address)).toBe(true);
    expect(await call('hasRole', ACCREDITOR_ROLE, stranger.address)).toBe(false);
  });

  it('rejects a zero admin with ZeroAddress()', async () => {
    const artifact = loadRegistryArtifact();
    await expectRevert(new ContractFactory(artifact.abi, artifact.bytecode, admin).deploy(ZeroAddress), 'ZeroAddress');
  });

  it('lets the admin grant ACCREDITOR_ROLE, and the new accreditor register issuers', async () => {
    await send(registry, 'grantRole', ACCREDITOR_ROLE, accreditor.address);
    const receipt = await send(as(accreditor), 'registerIssuer', DID_A, 'Issuer A', adminA.address);
    expectEvent(receipt, 'IssuerRegistered', [A, DID_A, 'Issuer A', adminA.address, accreditor.address]);
    await expectRevert(as(stranger).getFunction('grantRole')(ACCREDITOR_ROLE, stranger.address), 'AccessControlUnauthorizedAccount', [
      stranger.address,
      DEFAULT_ADMIN_ROLE,
    ]);
  });

  it('answers supportsInterface for the registry interface, IERC165 and IAccessControl, and false otherwise', async () => {
    expect(await call('supportsInterface', REGISTRY_INTERFACE_ID)).toBe(true);
    expect(await call('supportsInterface', '0x01ffc9a7')).toBe(true);
    expect(await call('supportsInterface', '0x7965db0b')).toBe(true);
    expect(await call('supportsInterface', '0xffffffff')).toBe(false);
    expect(await call('supportsInterface', '0x12345678')).toBe(false);
  });

  it('REGISTRY_INTERFACE_ID is the XOR of the compiled ICredentialRegistry selectors', () => {
    const file = path.join(__dirname, '..', '..', 'artifacts', 'contracts', 'ICredentialRegistry.sol', 'ICredentialRegistry.json');
    const iface = new Interface((JSON.parse(fs.readFileSync(file, 'utf8')) as { abi: [] }).abi);
    let xor = 0n;
    iface.forEachFunction((fn) => (xor ^= BigInt(fn.selector)));
    expect(`0x${xor.toString(16).padStart(8, '0')}`).toBe(REGISTRY_INTERFACE_ID);
  });
});

describe('issuers: registerIssuer, issuerOf, issuerIdOf, setIssuerAdmin', () => {
  it('records the issuer under keccak256(did), emits IssuerRegistered, and issuerOf reads it back', async () => {
    const receipt = await send(registry, 'registerIssuer', DID_A, 'Issuer A', adminA.address);
    expectEvent(receipt, 'IssuerRegistered', [A, DID_A, 'Issuer A', adminA.address, admin.address]);
    expect(await call('issuerIdOf', DID_A)).toBe(A);
    const issuer = await call('issuerOf', A);
    expect([issuer.did, issuer.name, issuer.admin, issuer.active, [...issuer.operators]]).toEqual([DID_A, 'Issuer A', adminA.address, true, []]);
    expect(issuer.registeredAt).toBe(BigInt((await blockOf(receipt.blockNumber)).timestamp));
  });

  it('issuerOf an unknown issuer is all zeros', async () => {
    const issuer = await call('issuerOf', b32('nobody'));
    expect([issuer.did, issuer.registeredAt, issuer.active, issuer.admin]).toEqual(['', 0n, false, ZeroAddress]);
  });

  it('refuses non-accreditors, an empty DID, a zero admin and a DID registered twice', async () => {
    await expectRevert(as(stranger).getFunction('registerIssuer')(DID_A, 'x', stranger.address), 'AccessControlUnauthorizedAccount', [stranger.address, ACCREDITOR_ROLE]);
    await expectRevert(registry.getFunction('registerIssuer')('', 'x', adminA.address), 'EmptyDid');
    await expectRevert(registry.getFunction('registerIssuer')(DID_A, 'x', ZeroAddress), 'ZeroAddress');
    await send(registry, 'registerIssuer', DID_A, 'Issuer A', adminA.address);
    await expectRevert(registry.getFunction('registerIssuer')(DID_A, 'Other', stranger.address), 'IssuerAlreadyRegistered', [A]);
  });

  it('setIssuerAdmin: the admin or an accreditor hands over administration; others cannot', async () => {
    await registerBoth();
    await expectRevert(as(stranger).getFunction('setIssuerAdmin')(A, stranger.address), 'NotIssuerAdmin', [A, stranger.address]);
    await expectRevert(as(opA).getFunction('setIssuerAdmin')(A, opA.address), 'NotIssuerAdmin', [A, opA.address]);
    await expectRevert(as(adminA).getFunction('setIssuerAdmin')(A, ZeroAddress), 'ZeroAddress');
    await expectRevert(registry.getFunction('setIssuerAdmin')(b32('nobody'), stranger.address), 'UnknownIssuer', [b32('nobody')]);
    expectEvent(await send(as(adminA), 'setIssuerAdmin', A, stranger.address), 'IssuerAdminChanged', [A, adminA.address, stranger.address, adminA.address]);
    // The old admin lost its power; the accreditor can always take it back (e.g. after the admin key leaked).
    await expectRevert(as(adminA).getFunction('addOperator')(A, opA2.address), 'NotIssuerAdmin', [A, adminA.address]);
    expectEvent(await send(registry, 'setIssuerAdmin', A, adminA.address), 'IssuerAdminChanged', [A, stranger.address, adminA.address, admin.address]);
  });
});

describe('operators: addOperator, removeOperator, issuerOfOperator', () => {
  it('the admin adds and removes operators, with events; issuerOfOperator and issuerOf follow', async () => {
    await send(registry, 'registerIssuer', DID_A, 'Issuer A', adminA.address);
    expectEvent(await send(as(adminA), 'addOperator', A, opA.address), 'OperatorAdded', [A, opA.address, adminA.address]);
    expectEvent(await send(registry, 'addOperator', A, opA2.address), 'OperatorAdded', [A, opA2.address, admin.address]);
    expect(await call('issuerOfOperator', opA.address)).toBe(A);
    expect([...(await call('issuerOf', A)).operators]).toEqual([opA.address, opA2.address]);
    expectEvent(await send(as(adminA), 'removeOperator', A, opA.address), 'OperatorRemoved', [A, opA.address, adminA.address]);
    expect(await call('issuerOfOperator', opA.address)).toBe(ZeroHash);
    expect([...(await call('issuerOf', A)).operators]).toEqual([opA2.address]);
  });

  it('an address serves at most one issuer; strangers and operators cannot manage operators', async () => {
    await registerBoth();
    await expectRevert(registry.getFunction('addOperator')(B, opA.address), 'OperatorAlreadyAssigned', [opA.address, A]);
    await expectRevert(as(adminA).getFunction('addOperator')(A, opA.address), 'OperatorAlreadyAssigned', [opA.address, A]);
    await expectRevert(as(stranger).getFunction('addOperator')(A, stranger.address), 'NotIssuerAdmin', [A, stranger.address]);
    await expectRevert(as(opA).getFunction('addOperator')(A, stranger.address), 'NotIssuerAdmin', [A, opA.address]);
    await expectRevert(as(adminA).getFunction('addOperator')(B, stranger.address), 'NotIssuerAdmin', [B, adminA.address]);
    await expectRevert(as(adminA).getFunction('addOperator')(A, ZeroAddress), 'ZeroAddress');
    await expectRevert(registry.getFunction('addOperator')(b32('nobody'), stranger.address), 'UnknownIssuer', [b32('nobody')]);
    await expectRevert(as(adminA).getFunction('removeOperator')(A, opB.address), 'NotOperatorOf', [opB.address, A]);
    await expectRevert(as(stranger).getFunction('removeOperator')(A, opA.address), 'NotIssuerAdmin', [A, stranger.address]);
    // Once removed, the address is free to serve another issuer.
    await send(as(adminA), 'removeOperator', A, opA.address);
    await send(registry, 'addOperator', B, opA.address);
    expect(await call('issuerOfOperator', opA.address)).toBe(B);
  });

  it('caps an issuer at MAX_OPERATORS operators', async () => {
    await send(registry, 'registerIssuer', DID_A, 'Issuer A', admin.address);
    const max = Number(await call('MAX_OPERATORS'));
    for (let i = 0; i < max; i++) await send(registry, 'addOperator', A, Wallet.createRandom().address);
    const extra = Wallet.createRandom().address;
    await expectRevert(registry.getFunction('addOperator')(A, extra), 'TooManyOperators', [A, BigInt(max)]);
  });
});

describe('suspendIssuer / reinstateIssuer', () => {
  it('suspends and reinstates with events, and refuses wrong states and non-accreditors', async () => {
    await registerBoth();
    expectEvent(await send(registry, 'suspendIssuer', A, 7), 'IssuerSuspended', [A, 7n, admin.address]);
    expect((await call('issuerOf', A)).active).toBe(false);
    await expectRevert(registry.getFunction('suspendIssuer')(A, 1), 'IssuerNotActive', [A]);
    expectEvent(await send(registry, 'reinstateIssuer', A), 'IssuerReinstated', [A, admin.address]);
    await expectRevert(registry.getFunction('reinstateIssuer')(A), 'IssuerAlreadyActive', [A]);
    await expectRevert(registry.getFunction('suspendIssuer')(b32('nobody'), 1), 'UnknownIssuer', [b32('nobody')]);
    await expectRevert(as(adminA).getFunction('suspendIssuer')(A, 1), 'AccessControlUnauthorizedAccount', [adminA.address, ACCREDITOR_ROLE]);
  });

  it("a suspended issuer's operators can neither anchor nor change statuses; after reinstatement they can", async () => {
    await registerBoth();
    const tree = buildTree([b32('s1'), b32('s2')]);
    await send(as(opA), 'anchor', tree.root);
    await send(registry, 'suspendIssuer', A, 3);
    await expectRevert(as(opA).getFunction('anchor')(b32('later')), 'IssuerNotActive', [A]);
    await expectRevert(as(opA).getFunction('revoke')(tree.leaves[0], tree.root, tree.proof(0), 1), 'IssuerNotActive', [A]);
    await expectRevert(as(opA).getFunction('suspend')(tree.leaves[0], tree.root, tree.proof(0), 1), 'IssuerNotActive', [A]);
    // An operator added while suspended gains no power either.
    await send(as(adminA), 'addOperator', A, opA2.address);
    await expectRevert(as(opA2).getFunction('revoke')(tree.leaves[0], tree.root, tree.proof(0), 1), 'IssuerNotActive', [A]);
    await send(registry, 'reinstateIssuer', A);
    await send(as(opA2), 'revoke', tree.leaves[0], tree.root, tree.proof(0), 1);
    await send(as(opA), 'anchor', b32('later'));
  });
});

describe('anchor / anchorOf', () => {
  it('records time and block per (issuer, root) and emits RootAnchored with the operator', async () => {
    await registerBoth();
    const root = b32('batch-1');
    const receipt = await send(as(opA), 'anchor', root);
    expectEvent(receipt, 'RootAnchored', [A, root, opA.address]);
    const anchored = await call('anchorOf', A, root);
    expect(anchored.anchoredAt).toBe(BigInt((await blockOf(receipt.blockNumber)).timestamp));
    expect(anchored.blockNumber).toBe(BigInt(receipt.blockNumber));
    const other = await call('anchorOf', B, root);
    expect([other.anchoredAt, other.blockNumber]).toEqual([0n, 0n]);
  });

  it('refuses non-operators, the zero root and a root the same issuer anchored, through any operator', async () => {
    await registerBoth();
    await send(as(adminA), 'addOperator', A, opA2.address);
    await expectRevert(as(stranger).getFunction('anchor')(b32('x')), 'NotAnOperator', [stranger.address]);
    await expectRevert(as(adminA).getFunction('anchor')(b32('x')), 'NotAnOperator', [adminA.address]);
    await expectRevert(as(opA).getFunction('anchor')(ZeroHash), 'ZeroRoot');
    await send(as(opA), 'anchor', b32('x'));
    await expectRevert(as(opA2).getFunction('anchor')(b32('x')), 'RootAlreadyAnchored', [A, b32('x')]);
  });

  it('squatting: issuer B anchoring A\'s root first changes nothing for A; B cannot touch A\'s leaves', async () => {
    await registerBoth();
    const tree = buildTree([b32('a1'), b32('a2'), b32('a3')]);
    await send(as(opB), 'anchor', tree.root); // B front-runs with A's root
    const receipt = await send(as(opA), 'anchor', tree.root); // A's anchor still succeeds
    expectEvent(receipt, 'RootAnchored', [A, tree.root, opA.address]);
    const view = await call('lookup', A, tree.root, tree.leaves[1], tree.proof(1));
    expect([view.anchoredBlock, view.leafInRoot, view.status, view.issuerDid, view.issuerActive]).toEqual([BigInt(receipt.blockNumber), true, ACTIVE, DID_A, true]);
    // B revokes "the same" leaf in its copy of the root: that is B's record only; A's stays active.
    await send(as(opB), 'revoke', tree.leaves[1], tree.root, tree.proof(1), 9);
    expect((await call('leafStateOf', A, tree.leaves[1])).status).toBe(ACTIVE);
    expect((await call('lookup', A, tree.root, tree.leaves[1], tree.proof(1))).status).toBe(ACTIVE);
    expect((await call('leafStateOf', B, tree.leaves[1])).status).toBe(REVOKED);
    // A root only A anchored: B cannot change its leaves at all.
    const own = buildTree([b32('a4'), b32('a5')]);
    await send(as(opA), 'anchor', own.root);
    await expectRevert(as(opB).getFunction('revoke')(own.leaves[0], own.root, own.proof(0), 1), 'RootNotAnchored', [B, own.root]);
  });
});

describe('leaf status: revoke, suspend, reinstate', () => {
  it('moves Active → Suspended → Active → Revoked with events, and revocation is final', async () => {
    await registerBoth();
    const tree = buildTree([b32('l1'), b32('l2'), b32('l3'), b32('l4')]);
    await send(as(opA), 'anchor', tree.root);
    const [leaf, proof] = [tree.leaves[2]!, tree.proof(2)];
    const suspended = await send(as(opA), 'suspend', leaf, tree.root, proof, 4);
    expectEvent(suspended, 'LeafSuspended', [A, leaf, tree.root, 4n, opA.address]);
    let state = await call('leafStateOf', A, leaf);
    expect([state.status, state.reason, state.since]).toEqual([SUSPENDED, 4n, BigInt((await blockOf(suspended.blockNumber)).timestamp)]);
    await expectRevert(as(opA).getFunction('suspend')(leaf, tree.root, proof, 4), 'LeafAlreadySuspended', [A, leaf]);
    expectEvent(await send(as(opA), 'reinstate', leaf, tree.root, proof, 0), 'LeafReinstated', [A, leaf, tree.root, 0n, opA.address]);
    await expectRevert(as(opA).getFunction('reinstate')(leaf, tree.root, proof, 0), 'LeafNotSuspended', [A, leaf]);
    expectEvent(await send(as(opA), 'revoke', leaf, tree.root, proof, 2), 'LeafRevoked', [A, leaf, tree.root, 2n, opA.address]);
    state = await call('leafStateOf', A, leaf);
    expect([state.status, state.reason]).toEqual([REVOKED, 2n]);
    await expectRevert(as(opA).getFunction('revoke')(leaf, tree.root, proof, 2), 'LeafAlreadyRevoked', [A, leaf]);
    await expectRevert(as(opA).getFunction('suspend')(leaf, tree.root, proof, 2), 'LeafAlreadyRevoked', [A, leaf]);
    await expectRevert(as(opA).getFunction('reinstate')(leaf, tree.root, proof, 2), 'LeafAlreadyRevoked', [A, leaf]);
  });

  it('refuses an unanchored root, a wrong path and callers that are no operator', async () => {
    await registerBoth();
    const tree = buildTree([b32('p1'), b32('p2')]);
    await expectRevert(as(opA).getFunction('revoke')(tree.leaves[0], tree.root, tree.proof(0), 1), 'RootNotAnchored', [A, tree.root]);
    await send(as(opA), 'anchor', tree.root);
    await expectRevert(as(opA).getFunction('revoke')(tree.leaves[0], tree.root, tree.proof(1), 1), 'LeafNotInRoot', [tree.leaves[0], tree.root]);
    await expectRevert(as(opA).getFunction('revoke')(b32('not-in'), tree.root, [], 1), 'LeafNotInRoot', [b32('not-in'), tree.root]);
    await expectRevert(as(stranger).getFunction('revoke')(tree.leaves[0], tree.root, tree.proof(0), 1), 'NotAnOperator', [stranger.address]);
  });

  it('a batch of one is its own root with an empty path', async () => {
    await registerBoth();
    const leaf = b32('single');
    await send(as(opA), 'anchor', leaf);
    await send(as(opA), 'revoke', leaf, leaf, [], 1);
    expect((await call('lookup', A, leaf, leaf, [])).status).toBe(REVOKED);
  });
});

describe('rotation: any current operator acts for all of the issuer\'s roots', () => {
  it('anchor with operator 1, rotate to operator 2, revoke the old credential with 2; operator 1 is powerless once removed', async () => {
    await registerBoth();
    const old = buildTree([b32('old-1'), b32('old-2')]);
    await send(as(opA), 'anchor', old.root);
    await send(as(adminA), 'addOperator', A, opA2.address);
    await send(as(adminA), 'removeOperator', A, opA.address);
    const revoked = await send(as(opA2), 'revoke', old.leaves[0], old.root, old.proof(0), 5);
    expectEvent(revoked, 'LeafRevoked', [A, old.leaves[0], old.root, 5n, opA2.address]);
    expect((await call('lookup', A, old.root, old.leaves[0], old.proof(0))).status).toBe(REVOKED);
    await expectRevert(as(opA).getFunction('anchor')(b32('stolen')), 'NotAnOperator', [opA.address]);
    await expectRevert(as(opA).getFunction('suspend')(old.leaves[1], old.root, old.proof(1), 1), 'NotAnOperator', [opA.address]);
    await expectRevert(as(opA).getFunction('revoke')(old.leaves[1], old.root, old.proof(1), 1), 'NotAnOperator', [opA.address]);
    expect((await call('leafStateOf', A, old.leaves[1])).status).toBe(ACTIVE);
  });
});

describe('lookup / lookupMany', () => {
  it('lookup answers everything for an anchored root, and zeros for an unknown one (status still by issuer and leaf)', async () => {
    await registerBoth();
    const tree = buildTree([b32('k1'), b32('k2')]);
    const receipt = await send(as(opA), 'anchor', tree.root);
    await send(as(opA), 'suspend', tree.leaves[1], tree.root, tree.proof(1), 6);
    const view = await call('lookup', A, tree.root, tree.leaves[1], tree.proof(1));
    expect(view.anchoredAt).toBe(BigInt((await blockOf(receipt.blockNumber)).timestamp));
    expect([view.anchoredBlock, view.leafInRoot, view.status, view.statusReason, view.issuerRegistered, view.issuerActive, view.issuerDid, view.issuerName]).toEqual([
      BigInt(receipt.blockNumber),
      true,
      SUSPENDED,
      6n,
      true,
      true,
      DID_A,
      'Issuer A',
    ]);
    const unknownRoot = await call('lookup', A, b32('never'), tree.leaves[1], []);
    expect([unknownRoot.anchoredAt, unknownRoot.anchoredBlock, unknownRoot.leafInRoot, unknownRoot.status]).toEqual([0n, 0n, false, SUSPENDED]);
    const unknownIssuer = await call('lookup', b32('nobody'), tree.root, tree.leaves[1], tree.proof(1));
    expect([unknownIssuer.anchoredAt, unknownIssuer.leafInRoot, unknownIssuer.issuerRegistered, unknownIssuer.issuerActive, unknownIssuer.issuerDid]).toEqual([0n, true, false, false, '']);
  });

  it('lookupMany answers each query in order, exactly as lookup does, and an empty list with an empty list', async () => {
    await registerBoth();
    const tree = buildTree([b32('m1'), b32('m2'), b32('m3')]);
    await send(as(opA), 'anchor', tree.root);
    await send(as(opA), 'revoke', tree.leaves[0], tree.root, tree.proof(0), 1);
    const queries = [
      [A, tree.root, tree.leaves[0], tree.proof(0)],
      [B, tree.root, tree.leaves[1], tree.proof(1)],
      [A, tree.root, tree.leaves[2], tree.proof(0)],
      [A, b32('never'), tree.leaves[2], []],
    ] as const;
    const many = await call('lookupMany', queries.map(([issuerId, root, leaf, p]) => ({ issuerId, root, leaf, path: p })));
    expect(many).toHaveLength(queries.length);
    for (const [i, q] of queries.entries()) expect(many[i].toObject(true)).toEqual((await call('lookup', ...q)).toObject(true));
    expect(await call('lookupMany', [])).toHaveLength(0);
  });
});

// Property-based fuzzing of CredentialRegistry: random sequences of issuer, anchor and status calls from several
// accounts, checked step by step against a TypeScript model of the rules in docs/contract.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Wallet, ZeroAddress } from 'ethers';
import type { Contract, JsonRpcProvider, TransactionResponse } from 'ethers';
import { startDevChain, type DevChain } from '../../src/chain/devchain';
import { buildTree, type MerkleBatch } from '../../src/anchoring/merkle';
import { b32, deployWithEthers, registryIface, testProvider } from '../helpers/registry-fixture';

// ---- the model ----

type Status = 0 | 1 | 2; // Active, Suspended, Revoked, as the contract's enum
const ACTIVE: Status = 0;
const SUSPENDED: Status = 1;
const REVOKED: Status = 2;

/** The rules of the registry, kept apart from any chain: what each call should do, and the state it leaves. */
class RegistryModel {
  readonly issuers = new Map<string, { active: boolean }>();
  readonly anchors = new Map<string, string>(); // root → issuer
  readonly status = new Map<string, Status>(); // `${issuer}|${leaf}` → status (absent = Active)
  readonly everRevoked = new Set<string>();

  constructor(readonly accreditor: string) {}

  statusOf(issuer: string, leaf: string): Status {
    return this.status.get(`${issuer}|${leaf}`) ?? ACTIVE;
  }

  /** The custom error the contract must revert with, or null when the call must succeed (and is then applied). */
  apply(op: Op, caller: string, target: string, tree: MerkleBatch): string | null {
    switch (op.kind) {
      case 'registerIssuer': {
        if (caller !== this.accreditor) return 'AccessControlUnauthorizedAccount';
        if (this.issuers.has(target)) return 'IssuerAlreadyRegistered';
        if (op.emptyDid) return 'EmptyDid';
        this.issuers.set(target, { active: true });
        return null;
      }
      case 'suspendIssuer':
      case 'reinstateIssuer': {
        if (caller !== this.accreditor) return 'AccessControlUnauthorizedAccount';
        const issuer = this.issuers.get(target);
        if (issuer === undefined) return 'UnknownIssuer';
        if (op.kind === 'suspendIssuer' && !issuer.active) return 'IssuerNotActive';
        if (op.kind === 'reinstateIssuer' && issuer.active) return 'IssuerAlreadyActive';
        issuer.active = op.kind === 'reinstateIssuer';
        return null;
      }
      case 'anchor': {
        const issuer = this.issuers.get(caller);
        if (issuer === undefined) return 'UnknownIssuer';
        if (!issuer.active) return 'IssuerNotActive';
        if (this.anchors.has(tree.root)) return 'RootAlreadyAnchored';
        this.anchors.set(tree.root, caller);
        return null;
      }
      case 'revoke':
      case 'suspend':
      case 'reinstate': {
        const by = this.anchors.get(tree.root);
        if (by === undefined) return 'RootNotAnchored';
        if (by !== caller) return 'RootNotAnchoredBy';
        if (op.badPath) return 'LeafNotInRoot';
        const leaf = tree.leaves[op.leaf % tree.leaves.length]!;
        const current = this.statusOf(caller, leaf);
        if (op.kind === 'reinstate' && !this.issuers.get(caller)!.active) return 'IssuerNotActive';
        if (current === REVOKED) return 'LeafAlreadyRevoked';
        if (op.kind === 'suspend' && current === SUSPENDED) return 'LeafAlreadySuspended';
        if (op.kind === 'reinstate' && current !== SUSPENDED) return 'LeafNotSuspended';
        const next = op.kind === 'revoke' ? REVOKED : op.kind === 'suspend' ? SUSPENDED : ACTIVE;
        this.status.set(`${caller}|${leaf}`, next);
        if (next === REVOKED) this.everRevoked.add(`${caller}|${leaf}`);
        return null;
      }
    }
  }
}

// ---- the operations ----

type Op =
  | { kind: 'registerIssuer'; caller: number; target: number; emptyDid: boolean }
  | { kind: 'suspendIssuer' | 'reinstateIssuer'; caller: number; target: number }
  | { kind: 'anchor'; caller: number; leaves: number[] }
  | { kind: 'revoke' | 'suspend' | 'reinstate'; caller: number; again: boolean; own: boolean; tree: number; leaf: number; badPath: boolean };

const ACTORS = 5; // 0 admin (accreditor), 1-3 issuers (1 and 2 registered at the start), 4 a stranger
const LEAF_POOL = 6; // few leaves, so trees share leaves and roots repeat (copied leaves, double anchoring)
const actor = fc.integer({ min: 0, max: ACTORS - 1 });
// Issuers 1 and 2 (registered at the start) call most, issuer 3 and the stranger less; for the accreditor's
// functions the accreditor is the usual caller, anyone else the odd intruder.
const caller = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 2 }), weight: 6 }, { arbitrary: fc.integer({ min: 3, max: 4 }), weight: 2 }, { arbitrary: fc.constant(0), weight: 1 });
const adminCaller = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 });
/** true about once in `1 + falseWeight` draws. */
const rarely = (falseWeight: number): fc.Arbitrary<boolean> => fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: falseWeight });
const leafSet = fc.uniqueArray(fc.integer({ min: 0, max: LEAF_POOL - 1 }), { minLength: 1, maxLength: 3 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('registerIssuer' as const), caller: adminCaller, target: actor, emptyDid: rarely(5) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constantFrom('suspendIssuer' as const, 'reinstateIssuer' as const), caller: adminCaller, target: actor }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('anchor' as const), caller, leaves: leafSet }), weight: 4 },
  {
    arbitrary: fc.record({
      // Revocation is final, so it comes less often than the suspend/reinstate pair it would cut short.
      kind: fc.oneof({ arbitrary: fc.constant('revoke' as const), weight: 1 }, { arbitrary: fc.constantFrom('suspend' as const, 'reinstate' as const), weight: 4 }),
      caller,
      // Often the same leaf as the previous status call (suspend then reinstate, revoke then suspend, ...).
      again: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 2 }),
      // Otherwise mostly one of the caller's own roots (so status changes succeed often), sometimes any known tree.
      own: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
      tree: fc.nat({ max: 50 }),
      leaf: fc.nat({ max: 2 }),
      badPath: rarely(7),
    }),
    weight: 6,
  },
);

// ---- the chain ----

let chain: DevChain;
let provider: JsonRpcProvider;
let wallets: Wallet[];
let registry: Contract;
const POOL = Array.from({ length: LEAF_POOL }, (_, i) => b32(`fuzz-leaf-${i}`).toLowerCase());

beforeAll(async () => {
  chain = await startDevChain();
  provider = testProvider(chain.url, chain.chainId);
  wallets = chain.accounts.slice(0, ACTORS).map((a) => new Wallet(a.privateKey, provider));
  registry = await deployWithEthers(wallets[0]!);
  for (const i of [1, 2]) await ((await registry.getFunction('registerIssuer')(wallets[i]!.address, `did:web:issuer${i}.example`, `Issuer ${i}`)) as TransactionResponse).wait();
});

afterAll(async () => {
  provider?.destroy();
  await chain?.close();
});

function revertName(error: unknown): string {
  let current = error as { data?: unknown; info?: { error?: unknown }; error?: unknown } | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.data === 'string' && current.data.startsWith('0x')) return registryIface().parseError(current.data)?.name ?? `unknown ${current.data}`;
    current = (current.info?.error ?? current.error) as typeof current;
  }
  throw error;
}

/** Sends the call; returns null when it was mined successfully, else the custom error's name. */
async function execute(op: Op, tree: MerkleBatch, target: string): Promise<string | null> {
  const as = registry.connect(wallets[op.caller]!) as Contract;
  const args: unknown[] = (() => {
    switch (op.kind) {
      case 'registerIssuer':
        return [target, op.emptyDid ? '' : `did:web:${target.slice(2, 10).toLowerCase()}.example`, 'Fuzzed'];
      case 'suspendIssuer':
        return [target, 3];
      case 'reinstateIssuer':
        return [target];
      case 'anchor':
        return [tree.root];
      default: {
        const index = op.leaf % tree.leaves.length;
        // A bad path: the path of another leaf of the tree, or a made-up sibling for a batch of one.
        const path = op.badPath ? (tree.leaves.length > 1 ? tree.proof((index + 1) % tree.leaves.length) : [b32('not-a-sibling')]) : tree.proof(index);
        return [tree.leaves[index], tree.root, path, 7];
      }
    }
  })();
  try {
    const tx = (await as.getFunction(op.kind)(...args)) as TransactionResponse;
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);
    return null;
  } catch (error) {
    return revertName(error);
  }
}

const rpc = (method: string, params: unknown[] = []): Promise<unknown> => provider.send(method, params);

describe('CredentialRegistry under random call sequences (fast-check, in-process chain)', () => {
  it('agrees with the model after every step: owners only, revocation final, active issuers only, one anchor per root', async () => {
    const addresses = wallets.map((w) => w.address);
    // What happened, over all runs: proves the sequences reach the interesting cases rather than reverting early.
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 25 }), async (ops) => {
        const snapshotId = await rpc('evm_snapshot');
        try {
          const model = new RegistryModel(addresses[0]!);
          model.issuers.set(addresses[1]!, { active: true });
          model.issuers.set(addresses[2]!, { active: true });
          const trees: MerkleBatch[] = [buildTree([POOL[0]!])];
          let previous: { tree: MerkleBatch; leaf: number; caller: number } | undefined;
          for (const generated of ops) {
            // A copy: a reused leaf rewrites caller and leaf, and fast-check's own values must stay as generated.
            const op = { ...generated };
            let caller = addresses[op.caller]!;
            const target = 'target' in op ? addresses[op.target]! : ZeroAddress;
            let tree = trees[0]!;
            if (op.kind === 'anchor') {
              tree = buildTree(op.leaves.map((i) => POOL[i]!));
              if (!trees.some((known) => known.root === tree.root)) trees.push(tree);
            } else if ('tree' in op && op.again && previous !== undefined) {
              tree = previous.tree;
              op.leaf = previous.leaf;
              op.caller = previous.caller;
              caller = addresses[op.caller]!;
            } else if ('tree' in op) {
              const mine = trees.filter((known) => model.anchors.get(known.root) === caller);
              const from = op.own && mine.length > 0 ? mine : trees;
              tree = from[op.tree % from.length]!;
            }
            if ('tree' in op) previous = { tree, leaf: op.leaf, caller: op.caller };
            const expected = model.apply(op, caller, target, tree);
            const actual = await execute(op, tree, target);
            expect(actual, `${op.kind} by actor ${op.caller}`).toBe(expected);
            const outcome = `${op.kind}:${actual ?? 'ok'}`;
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);

            // The state this step touched, read back from the chain.
            if ('target' in op) {
              const issuer = (await registry.getFunction('getIssuer')(target)) as { active: boolean; registeredAt: bigint };
              expect(issuer.registeredAt > 0n).toBe(model.issuers.has(target));
              expect(issuer.active).toBe(model.issuers.get(target)?.active ?? false);
            } else {
              const anchored = (await registry.getFunction('anchorOf')(tree.root)) as { issuer: string };
              expect(anchored.issuer).toBe(model.anchors.get(tree.root) ?? ZeroAddress);
            }
            if (op.kind === 'revoke' || op.kind === 'suspend' || op.kind === 'reinstate') {
              // Every account's record of the leaf: only the caller's may have moved, and only if it owns the root.
              const leaf = tree.leaves[op.leaf % tree.leaves.length]!;
              for (const who of addresses) {
                const state = (await registry.getFunction('leafStateOf')(who, leaf)) as { status: bigint };
                expect(Number(state.status), `status of ${leaf} as recorded by ${who}`).toBe(model.statusOf(who, leaf));
              }
            }
          }

          // End of the sequence: the whole model against the chain.
          for (const key of model.everRevoked) expect(model.status.get(key)).toBe(REVOKED);
          for (const tree of trees) {
            const events = await registry.queryFilter(registry.filters.RootAnchored!(tree.root));
            expect(events.length).toBe(model.anchors.has(tree.root) ? 1 : 0);
            const by = model.anchors.get(tree.root);
            for (let i = 0; i < tree.leaves.length; i++) {
              const found = (await registry.getFunction('lookup')(tree.root, tree.leaves[i], tree.proof(i))) as {
                anchoredBy: string;
                leafInRoot: boolean;
                status: bigint;
                issuerActive: boolean;
                issuerRegistered: boolean;
              };
              expect(found.leafInRoot).toBe(true);
              expect(found.anchoredBy).toBe(by ?? ZeroAddress);
              expect(Number(found.status)).toBe(by === undefined ? ACTIVE : model.statusOf(by, tree.leaves[i]!));
              expect(found.issuerRegistered).toBe(by !== undefined);
              expect(found.issuerActive).toBe(by !== undefined && model.issuers.get(by)!.active);
              if (by !== undefined && model.everRevoked.has(`${by}|${tree.leaves[i]}`)) expect(Number(found.status)).toBe(REVOKED);
            }
          }
        } finally {
          expect(await rpc('evm_revert', [snapshotId])).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
    if (process.env.FUZZ_STATS) console.log(Object.fromEntries([...outcomes].sort()));
    // Coarse groups, each reached dozens of times per run whatever the seed, so this never flakes.
    const reached = (pattern: RegExp): number => [...outcomes].filter(([key]) => pattern.test(key)).reduce((sum, [, n]) => sum + n, 0);
    expect(reached(/^anchor:ok$/)).toBeGreaterThan(10);
    expect(reached(/^(revoke|suspend|reinstate):ok$/)).toBeGreaterThan(5);
    expect(reached(/^anchor:(UnknownIssuer|IssuerNotActive|RootAlreadyAnchored)$/)).toBeGreaterThan(5);
    expect(reached(/:RootNotAnchoredBy$/)).toBeGreaterThan(5);
    expect(reached(/:LeafAlreadyRevoked$/)).toBeGreaterThan(0);
    expect(reached(/Issuer:AccessControlUnauthorizedAccount$/)).toBeGreaterThan(5);
  });
});

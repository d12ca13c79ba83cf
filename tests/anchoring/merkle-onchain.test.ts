// Paths made off-chain are accepted by the registry contract (MerkleProof, sorted pairs); changed ones are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet, keccak256, toUtf8Bytes } from 'ethers';
import type { Contract, JsonRpcProvider } from 'ethers';
import { startDevChain } from '../../src/chain/devchain';
import type { DevChain } from '../../src/chain/devchain';
import { buildTree } from '../../src/anchoring/merkle';
import { issuerIdOf } from '../../src/chain/issuer-id';
import { deployWithEthers, expectRevert, send, testProvider } from '../helpers/registry-fixture';

let chain: DevChain;
let provider: JsonRpcProvider;
let registry: Contract;
let issuer: Wallet;
const ISSUER_ID = issuerIdOf('did:web:issuer.example');

const flipLastNibble = (hex: string): string => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
const makeLeaves = (label: string, n: number): string[] => Array.from({ length: n }, (_, i) => keccak256(toUtf8Bytes(`${label}-${i}`)));

beforeAll(async () => {
  chain = await startDevChain();
  provider = testProvider(chain.url, chain.chainId);
  const admin = new Wallet(chain.accounts[0]!.privateKey, provider);
  issuer = new Wallet(chain.accounts[1]!.privateKey, provider);
  registry = await deployWithEthers(admin);
  await send(registry, 'registerIssuer', 'did:web:issuer.example', 'Issuer', admin.address);
  await send(registry, 'addOperator', ISSUER_ID, issuer.address);
  registry = registry.connect(issuer) as Contract;
});

afterAll(async () => {
  provider.destroy();
  await chain.close();
});

// A random size each run, printed in the test name so a failure can be reproduced.
const randomSize = 4 + Math.floor(Math.random() * 300);

describe.each([1, 2, 3, 1000, randomSize])('a batch of %i leaves', (size) => {
  it('every off-chain path is accepted by lookup, and one is accepted by revoke', async () => {
    const tree = buildTree(makeLeaves(`batch-${size}`, size));
    await send(registry, 'anchor', tree.root);
    if (size === 1) {
      expect(tree.root).toBe(tree.leaves[0]);
      expect(tree.proof(0)).toEqual([]);
    }
    const lookup = registry.getFunction('lookup');
    const results = await Promise.all(tree.leaves.map((leaf, i) => lookup.staticCall(ISSUER_ID, tree.root, leaf, tree.proof(i))));
    expect(results.every((r) => r.leafInRoot === true && r.anchoredAt > 0n)).toBe(true);
    const last = size - 1;
    const receipt = await send(registry, 'revoke', tree.leaves[last]!, tree.root, tree.proof(last), 1);
    expect(receipt.status).toBe(1);
  });

  it('a changed leaf or a changed path is rejected', async () => {
    const tree = buildTree(makeLeaves(`changed-${size}`, size));
    await send(registry, 'anchor', tree.root);
    const leaf = tree.leaves[0]!;
    const path = tree.proof(0);
    const changedLeaf = flipLastNibble(leaf);
    const lookup = registry.getFunction('lookup');
    expect((await lookup.staticCall(ISSUER_ID, tree.root, changedLeaf, path)).leafInRoot).toBe(false);
    await expectRevert(registry.getFunction('revoke')(changedLeaf, tree.root, path, 1), 'LeafNotInRoot', [changedLeaf, tree.root]);
    const changedPaths = path.length === 0 ? [[keccak256('0x01')]] : [[flipLastNibble(path[0]!), ...path.slice(1)], path.slice(0, -1)];
    for (const changed of changedPaths) {
      expect((await lookup.staticCall(ISSUER_ID, tree.root, leaf, changed)).leafInRoot).toBe(false);
      await expectRevert(registry.getFunction('revoke')(leaf, tree.root, changed, 1), 'LeafNotInRoot', [leaf, tree.root]);
    }
  });
});

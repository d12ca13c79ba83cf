// Child step: gas per credential when one root anchors a batch of 1 … 100,000 real leaves, against one transaction
// per credential. Each tree is built for real and its real root anchored on the hardhat node.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildTree } from '../src/anchoring';
import { issuerClient } from './chain';
import { childMain, writeResult } from './child';
import { progress } from './progress';

/** One batch size's measurement. */
export interface GasRow {
  batchSize: number;
  /** Gas of the one anchor transaction. */
  gas: number;
  gasPerCredential: number;
  treeBuildMs: number;
  /** Length of a Merkle path in this tree (what a verifier's lookup carries). */
  pathLength: number;
}

/** What the parent gets back. */
export interface GasResult {
  rows: GasRow[];
  /** One transaction per credential: `singles` anchors of one leaf each. */
  singles: { count: number; totalGas: number; gasPerCredential: number };
}

const leaves = (n: number): string[] => Array.from({ length: n }, () => `0x${randomBytes(32).toString('hex')}`);

childMain(async () => {
  const { values } = parseArgs({ options: { rpc: { type: 'string' }, registry: { type: 'string' }, 'chain-id': { type: 'string' }, sizes: { type: 'string' }, singles: { type: 'string' } } });
  const client = await issuerClient({ url: values.rpc!, chainId: Number(values['chain-id']), registryAddress: values.registry! }, process.env.BENCH_ANCHOR_KEY!);
  try {
    const rows: GasRow[] = [];
    for (const batchSize of values.sizes!.split(',').map(Number)) {
      const t0 = performance.now();
      const tree = buildTree(leaves(batchSize));
      const treeBuildMs = performance.now() - t0;
      const mined = await client.anchor(tree.root);
      const gas = Number(mined.gasUsed);
      rows.push({ batchSize, gas, gasPerCredential: gas / batchSize, treeBuildMs, pathLength: tree.proof(0).length });
      progress(`gas: batch of ${batchSize}: ${gas} gas, ${(gas / batchSize).toFixed(2)} per credential`);
    }
    const count = Number(values.singles);
    let totalGas = 0;
    for (let i = 0; i < count; i++) totalGas += Number((await client.anchor(buildTree(leaves(1)).root)).gasUsed);
    progress(`gas: ${count} single-credential anchors, ${(totalGas / count).toFixed(0)} gas each`);
    const result: GasResult = { rows, singles: { count, totalGas, gasPerCredential: totalGas / count } };
    writeResult(result);
  } finally {
    client.close();
  }
});

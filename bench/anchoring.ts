// Step 2 in the parent: gas per credential by batch size, the large Merkle tree, and anchoring the issued cohorts
// (through the real outbox) into folders for the verification steps.
import path from 'node:path';
import type { AnchorRunResult } from './anchor-child';
import type { BenchChain } from './chain';
import { runNode } from './child';
import type { BenchConfig } from './config';
import type { GasResult } from './gas-child';
import type { MerkleResult } from './merkle-child';
import { progress } from './progress';
import type { BenchResults, ProcessCost } from './results';

const MINUTES = 60_000;

function chainArgs(chain: BenchChain): string[] {
  return ['--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId)];
}

/** Gas per credential at each batch size, against one transaction per credential. */
export async function measureGas(config: BenchConfig, chain: BenchChain): Promise<GasResult & ProcessCost> {
  progress(`gas: anchoring one real root per batch size ${config.gas.sizes.join(', ')}`);
  const run = await runNode<GasResult>(path.join(__dirname, 'gas-child.ts'), [...chainArgs(chain), '--sizes', config.gas.sizes.join(','), '--singles', String(config.gas.singles)], {
    timeoutMs: 10 * MINUTES,
    env: { BENCH_ANCHOR_KEY: chain.issuerPrivateKey },
  });
  return { ...run.result, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

/** Builds the big tree in a process of its own. */
export async function measureMerkle(config: BenchConfig): Promise<MerkleResult & ProcessCost> {
  progress(`merkle: building a tree of ${config.merkleLeaves} leaves in its own process`);
  const run = await runNode<MerkleResult>(path.join(__dirname, 'merkle-child.ts'), ['--n', String(config.merkleLeaves)], { timeoutMs: 10 * MINUTES });
  return { ...run.result, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

/** Anchors one store's batches with the outbox and writes `n` anchored credentials into `out`. */
export async function anchorCohort(chain: BenchChain, dataDir: string, out: string, n: number, maxLeaves: number): Promise<ProcessCost & { batches: number }> {
  progress(`anchoring ${path.basename(dataDir)} through the outbox, then writing ${n} credentials to a folder`);
  const run = await runNode<AnchorRunResult>(path.join(__dirname, 'anchor-child.ts'), [...chainArgs(chain), '--data', dataDir, '--out', out, '--n', String(n), '--max-leaves', String(maxLeaves)], {
    timeoutMs: 10 * MINUTES,
    env: { BENCH_ANCHOR_KEY: chain.issuerPrivateKey },
  });
  return { batches: run.result.batches, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

/** Both cohorts, anchored and written out. */
export async function anchorCohorts(config: BenchConfig, chain: BenchChain, dataDirs: { di: string; jose: string }, folders: { di: string; jose: string }): Promise<BenchResults['anchoring']['setup']> {
  const di = await anchorCohort(chain, dataDirs.di, folders.di, config.verify.n, config.batchLeaves.di);
  const jose = await anchorCohort(chain, dataDirs.jose, folders.jose, config.verify.n, config.batchLeaves.jose);
  return { di, jose };
}

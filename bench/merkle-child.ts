// Child step: builds one Merkle tree of N leaves with the project's buildTree, alone in its process so that the
// process's peak memory is the tree's cost (plus Node's baseline, which is measured too).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildTree } from '../src/anchoring';
import { childMain, writeResult } from './child';
import { progress } from './progress';

/** What the parent gets back. */
export interface MerkleResult {
  leaves: number;
  buildMs: number;
  /** Resident memory before the leaves were made (Node and the modules), MiB. */
  baselineRssMb: number;
  /** Resident memory once the leaves (the caller's input, not the tree's cost) exist, MiB. */
  leavesRssMb: number;
  /** Peak RSS seen by this process by the end of the build, MiB (the parent also reads getrusage at exit). */
  peakRssMb: number;
  root: string;
}

childMain(() => {
  const { values } = parseArgs({ options: { n: { type: 'string' } } });
  const n = Number(values.n);
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  // One random buffer sliced into leaves: real-looking bytes32 values without n calls into the RNG. Each leaf is made
  // as one flat string, as the anchoring step gets them from SQLite (`leavesOf`): a `0x${hex}` template would make a
  // two-part string that the first read of it flattens into a new copy, ~100 MB for a million leaves that the tree's
  // cost would otherwise be charged with.
  const bytes = randomBytes(32 * n);
  const text = Buffer.from(`0x${'0'.repeat(64)}`, 'latin1');
  const leaves = Array.from({ length: n }, (_, i) => {
    text.write(bytes.toString('hex', 32 * i, 32 * i + 32), 2, 'latin1');
    return text.toString('latin1');
  });
  const leavesRssMb = process.memoryUsage.rss() / 2 ** 20;
  progress(`merkle: ${n} leaves made; building the tree`);
  const t0 = performance.now();
  const tree = buildTree(leaves);
  const buildMs = performance.now() - t0;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  progress(`merkle: ${n} leaves built in ${(buildMs / 1000).toFixed(2)} s, peak RSS ${peakRssMb.toFixed(0)} MiB`);
  const result: MerkleResult = { leaves: n, buildMs, baselineRssMb, leavesRssMb, peakRssMb, root: tree.root };
  writeResult(result);
  return Promise.resolve();
});

// Steps 3 and 4 in the parent: `microcred verify` as a real child process over each folder, the no-chain baseline
// loops over the same files, and the HTTP API under autocannon from a second process.
import fs from 'node:fs';
import path from 'node:path';
import type { BenchChain } from './chain';
import { PROJECT_ROOT, runNode, startService, type ChildOutcome } from './child';
import type { BenchConfig } from './config';
import type { BatchLatencyResult } from './batch-load-child';
import type { BaselineResult } from './issue-baseline-child';
import type { LoadResult } from './load-child';
import { progress } from './progress';
import type { BenchResults, CliVerifyResult, HttpResult } from './results';

const MINUTES = 60_000;
const CLI = path.join(PROJECT_ROOT, 'bin', 'microcred.cjs');

interface CliJson {
  summary: { total: number; valid: number; invalid: number; indeterminate: number; chainReads: number; distinctRoots: number; distinctLeaves: number };
  results: Array<{ file: string; category: string; reasons: Array<{ check: string; code: string; message: string }> }>;
}

async function runVerifyCli(folder: string, chain: BenchChain) {
  const run = await runNode(CLI, ['verify', folder, '--json', '--quiet', '--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId)], {
    timeoutMs: 10 * MINUTES,
    forwardStderr: false,
    okCodes: [0, 1, 3],
  });
  const report = JSON.parse(run.stdout) as CliJson;
  if (report.summary.valid !== report.summary.total) {
    const bad = report.results.find((r) => r.category !== 'valid');
    throw new Error(`microcred verify found ${report.summary.total - report.summary.valid} credentials not valid in ${folder}; first: ${JSON.stringify(bad)}`);
  }
  return { run, summary: report.summary };
}

/** Runs the CLI over a one-file folder (start-up cost) and over the whole folder. */
export async function measureCliVerify(form: string, folder: string, scratch: string, chain: BenchChain): Promise<CliVerifyResult> {
  const single = path.join(scratch, `startup-${form}`);
  fs.mkdirSync(single, { recursive: true });
  const first = fs.readdirSync(folder).sort()[0]!;
  fs.copyFileSync(path.join(folder, first), path.join(single, first));
  const startup = await runVerifyCli(single, chain);
  progress(`verify ${form}: start-up (one credential) ${(startup.run.wallMs / 1000).toFixed(2)} s; now the whole folder`);
  const { run, summary } = await runVerifyCli(folder, chain);
  const n = summary.total;
  const steadyMs = Math.max(1, run.wallMs - startup.run.wallMs);
  const result: CliVerifyResult = {
    n,
    valid: summary.valid,
    invalid: summary.invalid,
    indeterminate: summary.indeterminate,
    chainReads: summary.chainReads,
    distinctRoots: summary.distinctRoots,
    distinctLeaves: summary.distinctLeaves,
    startupMs: startup.run.wallMs,
    wallMs: run.wallMs,
    peakRssMb: run.peakRssMb,
    rateWall: n / (run.wallMs / 1000),
    rate: n / (steadyMs / 1000),
  };
  progress(`verify ${form}: ${n} in ${(run.wallMs / 1000).toFixed(1)} s, ${result.rate.toFixed(0)}/s steady, ${summary.chainReads} chain reads, peak ${run.peakRssMb.toFixed(0)} MiB`);
  return result;
}

async function verifyBaseline(mode: string, folder: string, n: number) {
  const run = await runNode<BaselineResult>(path.join(__dirname, 'verify-baseline-child.ts'), ['--mode', mode, '--folder', folder, '--n', String(n)], { timeoutMs: 5 * MINUTES });
  progress(`baseline ${mode}: ${run.result.rate.toFixed(0)}/s, peak ${run.peakRssMb.toFixed(0)} MiB`);
  return { ...run.result, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

/** Bulk verification of both folders and its baselines. */
export async function measureVerification(config: BenchConfig, chain: BenchChain, folders: { di: string; jose: string }, scratch: string): Promise<BenchResults['verification']> {
  // Each run right beside its baseline, so a change in the machine's load hits both alike.
  const di = await measureCliVerify('di', folders.di, scratch, chain);
  const vcVerify = await verifyBaseline('vc-verify', folders.di, config.verify.vcVerify);
  const joseVerify = await verifyBaseline('jose-verify', folders.jose, config.verify.joseVerify);
  const jose = await measureCliVerify('jose', folders.jose, scratch, chain);
  return { di, jose, baselines: { vcVerify, joseVerify } };
}

/** One form over HTTP: a fresh server process, autocannon in another. */
export async function measureHttp(form: string, config: BenchConfig, chain: BenchChain, folder: string): Promise<HttpResult> {
  const server = await startService(path.join(__dirname, 'http-server-child.ts'), ['--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId)], { timeoutMs: MINUTES });
  let load: ChildOutcome<LoadResult>;
  let stopped: { peakRssMb: number };
  try {
    progress(`http ${form}: server at ${server.ready}`);
    load = await runNode<LoadResult>(
      path.join(__dirname, 'load-child.ts'),
      ['--url', server.ready, '--folder', folder, '--bodies', String(config.http.bodies), '--connections', String(config.http.connections), '--duration', String(config.http.durationS)],
      { timeoutMs: config.http.durationS * 1000 + 2 * MINUTES },
    );
  } finally {
    stopped = await server.stop();
  }
  progress(`http ${form}: ${load.result.rps.toFixed(0)} req/s, p50 ${load.result.p50Ms} ms, p99 ${load.result.p99Ms} ms`);
  return { ...load.result, serverPeakRssMb: stopped.peakRssMb, loadPeakRssMb: load.peakRssMb };
}

/** Verification latency on the all-in-one server, alone and while one batch of `rows` is issued on it (step 5). */
export async function measureBatchLatency(config: BenchConfig, chain: BenchChain, folder: string, scratch: string, issuerFile: string): Promise<BenchResults['batchLatency']> {
  const data = path.join(scratch, 'store-batch-latency');
  fs.mkdirSync(data, { recursive: true });
  const server = await startService(
    path.join(__dirname, 'batch-server-child.ts'),
    ['--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId), '--issuer', issuerFile, '--data', data],
    { timeoutMs: MINUTES },
  );
  let load: ChildOutcome<BatchLatencyResult>;
  let stopped: { peakRssMb: number };
  try {
    const { url, token } = JSON.parse(server.ready) as { url: string; token: string };
    const { rows, connections, durationS } = config.batchLatency;
    load = await runNode<BatchLatencyResult>(
      path.join(__dirname, 'batch-load-child.ts'),
      ['--url', url, '--token', token, '--folder', folder, '--bodies', String(config.http.bodies), '--connections', String(connections), '--duration', String(durationS), '--rows', String(rows)],
      { timeoutMs: 20 * MINUTES },
    );
  } finally {
    stopped = await server.stop();
  }
  return { ...load.result, serverPeakRssMb: stopped.peakRssMb };
}

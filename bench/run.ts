// `npm run bench [-- --quick]`: measures issuance, anchoring cost and verification against their baselines in one
// run, each step in its own process, and writes bench/results.json, bench/REPORT.md and the SVG charts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anchorCohorts, measureGas, measureMerkle } from './anchoring';
import { startBenchChain, type BenchChain } from './chain';
import { gasChart, throughputChart } from './charts';
import { PROJECT_ROOT, killAllChildren } from './child';
import { FULL, QUICK } from './config';
import { BENCH_ISSUER_PROFILE, createBenchIssuer } from './fixture';
import { measureIssuance } from './issuance';
import { progress } from './progress';
import { renderReport } from './report';
import { measureStartup } from './startup';
import type { BenchResults } from './results';
import { evaluateTargets } from './targets';
import { measureBatchLatency, measureHttp, measureVerification } from './verification';

const quick = process.argv.includes('--quick');
const config = quick ? QUICK : FULL;
// The full run's report is committed; the quick run (CI) writes beside it under the git-ignored bench/tmp/.
const outDir = quick ? path.join(__dirname, 'tmp', 'quick') : __dirname;

// Hardhat writes caches under $XDG_*: keep them in the project, as the tests and CI do.
for (const [name, sub] of [['XDG_DATA_HOME', 'data'], ['XDG_CONFIG_HOME', 'config'], ['XDG_CACHE_HOME', 'cache']] as const) {
  process.env[name] ??= path.join(PROJECT_ROOT, '.hardhat-home', sub);
}
process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = 'true';

let chain: BenchChain | undefined;
let scratch: string | undefined;
let cleaned = false;

/** Kills every child, stops the node and removes the bench data; runs once, on success, failure or a signal. */
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  killAllChildren();
  try {
    await chain?.stop();
  } finally {
    if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping every child process`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Writes the charts, results.json and REPORT.md into `outDir`, re-evaluating the targets. */
async function writeOutputs(measured: Omit<BenchResults, 'targets'>): Promise<BenchResults> {
  const results: BenchResults = { ...measured, targets: evaluateTargets(measured) };
  fs.mkdirSync(outDir, { recursive: true });
  const charts = { gas: 'gas-per-credential.svg', throughput: 'throughput.svg' };
  fs.writeFileSync(path.join(outDir, charts.gas), await gasChart(results));
  fs.writeFileSync(path.join(outDir, charts.throughput), await throughputChart(results));
  fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'REPORT.md'), renderReport(results, charts));
  return results;
}

async function main(): Promise<void> {
  if (process.argv.includes('--report-only')) {
    // Re-renders the report and charts from the last run's results.json (after a change to the report's wording).
    const last = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')) as BenchResults;
    await writeOutputs(last);
    progress(`re-rendered ${path.relative(PROJECT_ROOT, path.join(outDir, 'REPORT.md'))} from results.json`);
    return;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const loadAvgStart = os.loadavg();
  progress(`${config.mode} run: issue ${config.issue.di} DI + ${config.issue.jose} VC-JOSE, verify ${config.verify.n} of each, Merkle ${config.merkleLeaves} leaves`);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-bench-'));
  const dirs = {
    data: { di: path.join(scratch, 'store-di'), jose: path.join(scratch, 'store-jose') },
    folders: { di: path.join(scratch, 'verify-di'), jose: path.join(scratch, 'verify-jose') },
  };
  for (const dir of [...Object.values(dirs.data), ...Object.values(dirs.folders)]) fs.mkdirSync(dir, { recursive: true });
  // First, while nothing else of the run is busy: a start-up of ~50 ms is easily disturbed.
  progress(`CLI start-up: node -e 0, microcred --help, microcred verify --help, ${config.startupRuns} runs each`);
  const startup = measureStartup(config.startupRuns);
  const issuerFile = path.join(scratch, 'issuer.json');
  const issuer = createBenchIssuer(issuerFile);

  const issuance = await measureIssuance(config, issuerFile, dirs.data);
  progress('starting hardhat node and deploying the registry');
  chain = await startBenchChain({ did: issuer.did, name: BENCH_ISSUER_PROFILE.name });
  const gas = await measureGas(config, chain);
  const setup = await anchorCohorts(config, chain, dirs.data, dirs.folders);
  const verification = await measureVerification(config, chain, dirs.folders, scratch);
  const http = { jose: await measureHttp('jose', config, chain, dirs.folders.jose), di: await measureHttp('di', config, chain, dirs.folders.di) };
  const batchLatency = await measureBatchLatency(config, chain, dirs.folders.di, scratch, issuerFile);
  await chain.stop();
  chain = undefined;
  // Last and alone: the big tree wants the memory and both cores to itself.
  const merkle = await measureMerkle(config);

  const cpus = os.cpus();
  const measured: Omit<BenchResults, 'targets'> = {
    mode: config.mode,
    startedAt: startedAt.toISOString(),
    totalSeconds: (performance.now() - t0) / 1000,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.versions.node, totalMemMb: os.totalmem() / 2 ** 20, loadAvgStart, loadAvgEnd: os.loadavg() },
    issuance,
    anchoring: { gas, merkle, setup },
    verification,
    http,
    batchLatency,
    startup,
  };
  const results = await writeOutputs(measured);
  const met = results.targets.filter((t) => t.met).length;
  progress(`done in ${results.totalSeconds.toFixed(0)} s: ${met} of ${results.targets.length} targets met; wrote ${path.relative(PROJECT_ROOT, path.join(outDir, 'REPORT.md'))} and results.json`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());

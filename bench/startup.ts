// CLI start-up: `microcred --help` and `microcred verify --help` against a bare `node -e 0`, measured in the same run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './child';

/** One command's start-up: the median wall time of its runs and its ratio to the bare Node start. */
export interface StartupCommand {
  command: string;
  medianMs: number;
  ratio: number;
}

/** What {@link measureStartup} found. */
export interface StartupResult {
  /** Runs of each command (interleaved, so a busy moment costs every command alike). */
  runs: number;
  /** Median wall time of `node -e 0`. */
  baselineMs: number;
  commands: StartupCommand[];
}

const BIN = path.join(PROJECT_ROOT, 'bin', 'microcred.cjs');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one `node <args>` run to its exit (spawn included, as for the baseline); throws on a failed run. */
function timeRun(args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}: ${run.stderr.toString().slice(-2_000)}`);
  return ms;
}

/**
 * Runs `node -e 0`, `microcred --help` and `microcred verify --help` `runs` times each, interleaved, after one
 * unmeasured warm-up of each (the file system cache), and reports medians and ratios to the baseline.
 */
export function measureStartup(runs: number): StartupResult {
  const subjects: { command: string; args: string[] }[] = [
    { command: 'node -e 0', args: ['-e', '0'] },
    { command: 'microcred --help', args: [BIN, '--help'] },
    { command: 'microcred verify --help', args: [BIN, 'verify', '--help'] },
  ];
  for (const subject of subjects) timeRun(subject.args);
  const times = subjects.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) subjects.forEach((subject, j) => times[j]!.push(timeRun(subject.args)));
  const baselineMs = median(times[0]!);
  const commands = subjects.slice(1).map((subject, j) => {
    const medianMs = median(times[j + 1]!);
    return { command: subject.command, medianMs, ratio: medianMs / baselineMs };
  });
  return { runs, baselineMs, commands };
}

// Runs benchmark steps as child processes, so each step's peak memory is its own; tracks them all to kill on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BENCH_DIR = __dirname;
/** The project root (bench/..). */
export const PROJECT_ROOT = path.resolve(BENCH_DIR, '..');
const PEAK_PRELOAD = path.join(BENCH_DIR, 'peak-rss.cjs');

const live = new Set<ChildProcess>();

/** What a finished child left behind. */
export interface ChildOutcome<T> {
  /** What the child passed to writeResult (undefined for commands that do not write one). */
  result: T;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** Wall-clock time from spawn to exit, milliseconds. */
  wallMs: number;
  /** The child's own peak resident memory (getrusage maxRSS), MiB. */
  peakRssMb: number;
}

/** Options of {@link runNode}. */
export interface RunOptions {
  /** Kill the child (SIGKILL) and fail after this long. */
  timeoutMs: number;
  env?: Record<string, string>;
  /** Forward the child's stderr to ours (progress lines); otherwise it is captured. Default true. */
  forwardStderr?: boolean;
  /** Exit codes that count as success. Default [0]. */
  okCodes?: number[];
}

function tempFile(label: string): string {
  return path.join(os.tmpdir(), `microcred-bench-${process.pid}-${label}-${Math.random().toString(36).slice(2)}`);
}

function readAndRemove(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Node arguments that load tsx (for a .ts entry) and the peak-memory preload. */
function nodeArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--require', PEAK_PRELOAD, '--import', 'tsx', entry] : ['--require', PEAK_PRELOAD, entry];
}

/** Starts `node <entry> ...args` with the peak-memory preload; the caller waits for it with {@link finish}. */
function start(entry: string, args: readonly string[], env: Record<string, string>, forwardStderr: boolean): { child: ChildProcess; peakFile: string; resultFile: string; startedAt: number } {
  const peakFile = tempFile('peak');
  const resultFile = tempFile('result');
  const child = spawn(process.execPath, [...nodeArgs(entry), ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', forwardStderr ? 'inherit' : 'pipe'],
    env: { ...process.env, ...env, BENCH_PEAK_FILE: peakFile, BENCH_RESULT_FILE: resultFile },
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return { child, peakFile, resultFile, startedAt: performance.now() };
}

/** Runs a Node script (.ts through tsx, or .cjs) to its end; rejects on a bad exit code or the timeout. */
export function runNode<T = undefined>(entry: string, args: readonly string[], options: RunOptions): Promise<ChildOutcome<T>> {
  const { child, peakFile, resultFile, startedAt } = start(entry, args, options.env ?? {}, options.forwardStderr ?? true);
  const okCodes = options.okCodes ?? [0];
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(entry)} ${args.join(' ')} took longer than ${options.timeoutMs} ms and was killed`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - startedAt;
      const peakKb = Number(readAndRemove(peakFile) ?? 'NaN');
      const resultText = readAndRemove(resultFile);
      if (code === null || !okCodes.includes(code)) {
        reject(new Error(`${path.basename(entry)} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2_000)}`));
        return;
      }
      resolve({ result: (resultText === undefined ? undefined : JSON.parse(resultText)) as T, stdout, stderr, exitCode: code, wallMs, peakRssMb: peakKb / 1024 });
    });
  });
}

/** A long-running child (a server) that printed one ready line to stdout. */
export interface ServiceChild {
  /** The first stdout line the child printed (e.g. its URL). */
  readonly ready: string;
  /** SIGTERM, wait for the exit, and return the child's peak memory (MiB). */
  stop(): Promise<{ peakRssMb: number }>;
}

/** Starts a child that prints one line to stdout when ready, and keeps running until stopped. */
export function startService(entry: string, args: readonly string[], options: { timeoutMs: number; env?: Record<string, string> }): Promise<ServiceChild> {
  const { child, peakFile } = start(entry, args, options.env ?? {}, true);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<{ peakRssMb: number }> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited;
    }
    return { peakRssMb: Number(readAndRemove(peakFile) ?? 'NaN') / 1024 };
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${path.basename(entry)} did not become ready within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve({ ready: buffered.slice(0, newline).trim(), stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(entry)} exited (${code}) before it was ready`));
    });
  });
}

/** Kills every child still running (SIGKILL, by pid); safe to call more than once. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/** In a child: hands the result to the parent (through the file the parent named). */
export function writeResult(result: unknown): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (file === undefined) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  fs.writeFileSync(file, JSON.stringify(result));
}

/** In a child: runs `main`, printing an error and exiting 1 on failure. */
export function childMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

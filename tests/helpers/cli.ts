// Runs the `microcred` command as a real child process, as a user or a script would.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/** The repository root and the CLI entry point. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'microcred.cjs');

/** What a finished command left behind; `json` is its stdout (or its last line) parsed, when that is JSON. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON output read loosely by tests
  json: any;
}

/** The environment a test's command gets: the caller's, without any microcred settings of the developer's shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('MICROCRED_')) delete env[key];
  return { ...env, ...extra };
}

function result(code: number | null, stdout: string, stderr: string): CliResult {
  let json: unknown;
  for (const candidate of [stdout.trim(), stdout.trim().split('\n').pop() ?? '']) {
    try {
      json = JSON.parse(candidate);
      break;
    } catch {
      json = undefined;
    }
  }
  return { code, stdout, stderr, json };
}

/** Runs `microcred <args>` synchronously (bounded by `timeoutMs`). */
export function microcredSync(args: readonly string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): CliResult {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(options.env), encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, ...(options.input === undefined ? {} : { input: options.input }) });
  return result(run.status, run.stdout, run.stderr);
}

/** Runs `microcred <args>` without blocking the test's event loop (needed when the test also serves HTTP or a chain). */
export function microcred(args: readonly string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(result(code, stdout, stderr));
    });
  });
}

// The one way every command runs: a failure becomes one line (or JSON on stdout with --json) and an exit code taken
// from the error catalog, so all commands share one exit-code table (docs/cli.md).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { EXIT_CODES, MicrocredError, exitCodeOf, isMicrocredError, type ErrorCode, type ExitCode } from '../src/errors';

/** The exit codes of every command: 0 ok, 1 failed/invalid/refused, 2 usage error, 3 could not check. */
export const EXIT = EXIT_CODES;

/** The help line every command shows (verify words it for credentials). */
export const EXIT_HELP = '\nExit codes: 0 ok, 1 failed or refused, 2 usage error, 3 could not check (chain, network or disk unavailable).';

/** An error that means the command line is wrong (exit 2). */
export function usageError(message: string, details?: Record<string, unknown>): MicrocredError {
  return new MicrocredError('ERR_USAGE', message, details === undefined ? {} : { details });
}

/** Fails (exit 2) before any work when the folder an output file (a report, an image) is to be written in does not exist. */
export function assertOutputFolder(flag: string, file: string | undefined): void {
  if (file === undefined) return;
  const folder = path.dirname(path.resolve(file));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw usageError(`${flag} ${file}: the folder ${folder} does not exist; create it or choose another path.`, { path: file });
}

const READ_FAILURES: Readonly<Record<string, string>> = { ENOENT: 'it does not exist', EISDIR: 'it is a folder, not a file', EACCES: 'no permission to read it' };

/** Reads a text file the user named (`what` says which, e.g. "the cohort CSV"); ERR_USAGE naming the file and why when it cannot. */
export function readInputText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? '';
    throw usageError(`Cannot read ${what} ${file}: ${READ_FAILURES[code] ?? (cause as Error).message}. Check the path.`, { path: file });
  }
}

/** What a failed command prints with --json. */
export interface FailureReport {
  ok: false;
  code: ErrorCode;
  message: string;
  exitCode: 1 | 2 | 3;
  details?: Readonly<Record<string, unknown>>;
}

/** The report of any thrown value: commander's usage errors are ERR_USAGE, anything not a MicrocredError is ERR_FAILED. */
export function failureOf(error: unknown): FailureReport {
  if (error instanceof CommanderError) {
    return { ok: false, code: 'ERR_USAGE', message: error.message.replace(/^error: /, ''), exitCode: EXIT.usage, details: { reason: error.code } };
  }
  const code: ErrorCode = isMicrocredError(error) ? error.code : 'ERR_FAILED';
  const message = error instanceof Error ? error.message : String(error);
  const details = isMicrocredError(error) && Object.keys(error.details).length > 0 ? { details: error.details } : {};
  return { ok: false, code, message, exitCode: exitCodeOf(code), ...details };
}

/** Prints the failure (JSON on stdout, or one line on stderr, never a stack trace) and returns its exit code. */
export function reportFailure(name: string, json: boolean | undefined, error: unknown): ExitCode {
  const report = failureOf(error);
  if (json === true) console.log(JSON.stringify(report));
  else console.error(`microcred ${name}: ${report.message}`);
  return report.exitCode;
}

/**
 * Runs a command body. The body may return an exit code (e.g. 1 when some credential is invalid); a thrown error is
 * reported by {@link reportFailure}, and its exit code comes from the catalog.
 */
export async function runCommand(name: string, json: boolean | undefined, body: () => Promise<ExitCode | void> | ExitCode | void): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error: unknown) {
    process.exitCode = reportFailure(name, json, error);
  }
}

/** True when the command line asks for JSON (an argument `--json` before any `--`). */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/**
 * Makes commander throw its usage errors (instead of exiting with its own code 1) in `program` and every
 * subcommand, and with JSON output keeps its plain-text messages off the terminal so stdout holds only JSON.
 */
export function routeCommanderErrors(program: Command, json: boolean): void {
  program.exitOverride();
  if (json) program.configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  for (const sub of program.commands) routeCommanderErrors(sub, json);
}

// The CLI runner in-process: how a failure becomes a report and an exit code, and that docs/cli.md lists every command.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/main';
import { failureOf, readInputText, runCommand, usageError, wantsJson } from '../../cli/runner';
import { MicrocredError } from '../../src/errors';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('failureOf', () => {
  it('takes the exit code from the error catalog', () => {
    expect(failureOf(usageError('bad flag'))).toEqual({ ok: false, code: 'ERR_USAGE', message: 'bad flag', exitCode: 2 });
    expect(failureOf(new MicrocredError('ERR_STATUS_TRANSITION', 'revoked already', { details: { id: 'x' } }))).toEqual({
      ok: false,
      code: 'ERR_STATUS_TRANSITION',
      message: 'revoked already',
      exitCode: 1,
      details: { id: 'x' },
    });
    expect(failureOf(new MicrocredError('ERR_RPC_UNAVAILABLE', 'no node')).exitCode).toBe(3);
  });

  it('reports commander errors as ERR_USAGE (exit 2) and anything else as ERR_FAILED (exit 3, never "invalid")', () => {
    expect(failureOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({
      ok: false,
      code: 'ERR_USAGE',
      message: "unknown option '--x'",
      exitCode: 2,
      details: { reason: 'commander.unknownOption' },
    });
    expect(failureOf(new TypeError('a bug'))).toMatchObject({ code: 'ERR_FAILED', message: 'a bug', exitCode: 3 });
  });
});

describe('runCommand', () => {
  it('sets the exit code a body returns, and prints a JSON failure on stdout with --json', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await runCommand('x', true, () => 1);
    expect(process.exitCode).toBe(1);
    await runCommand('x', true, () => {
      throw usageError('give --registry');
    });
    expect(process.exitCode).toBe(2);
    expect(JSON.parse(String(out.mock.calls.at(-1)?.[0]))).toMatchObject({ ok: false, code: 'ERR_USAGE', exitCode: 2 });
    await runCommand('x', false, () => Promise.reject(new MicrocredError('ERR_RPC_UNAVAILABLE', 'no node answered')));
    expect(process.exitCode).toBe(3);
    expect(err).toHaveBeenLastCalledWith('microcred x: no node answered');
  });

  it('finds --json only before a "--"', () => {
    expect(wantsJson(['verify', '--json'])).toBe(true);
    expect(wantsJson(['verify', '--', '--json'])).toBe(false);
    expect(wantsJson(['verify', '--jsonx'])).toBe(false);
  });
});

describe('readInputText', () => {
  it('reads a file, and says which file could not be read and why (exit 2)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-read-'));
    try {
      writeFileSync(path.join(dir, 'cohort.csv'), 'email,name\n');
      expect(readInputText(path.join(dir, 'cohort.csv'), 'the cohort CSV')).toBe('email,name\n');
      const missing = path.join(dir, 'missing.csv');
      expect(failureOf(catchError(() => readInputText(missing, 'the cohort CSV')))).toEqual({
        ok: false,
        code: 'ERR_USAGE',
        message: `Cannot read the cohort CSV ${missing}: it does not exist. Check the path.`,
        exitCode: 2,
        details: { path: missing },
      });
      expect(catchError(() => readInputText(dir, 'the id list')).message).toBe(`Cannot read the id list ${dir}: it is a folder, not a file. Check the path.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function catchError(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describe('docs/cli.md', () => {
  it('lists the exit codes of every command', async () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/cli.md'), 'utf8');
    const names = (command: Command, prefix: string): string[] =>
      command.commands.flatMap((sub) => (sub.commands.length > 0 ? names(sub, `${prefix}${sub.name()} `) : [`${prefix}${sub.name()}`]));
    const all = names(await buildProgram(), '');
    expect(all.length).toBeGreaterThan(15);
    const table = doc.split('\n').filter((line) => line.startsWith('| `'));
    for (const name of all) expect(table.some((row) => row.includes(`\`${name}\``) || row.includes(`\`${name} <`)), name).toBe(true);
  });
});

// One CLI convention, as a script sees it: one exit-code table, and with --json every outcome is JSON on stdout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
let dir: string;
let closedRpc: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-cli-convention-'));
  // A loopback port nobody listens on: the chain is unreachable, and nothing leaves the machine.
  closedRpc = `http://127.0.0.1:${await freePort()}`;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('microcred exit codes and --json', () => {
  it('answers usage errors found by commander with exit 2, as JSON (only JSON) on stdout with --json', async () => {
    const runs = [
      ['verify', '--json', '--definitely-not-an-option'],
      ['backup', '--json'],
      ['token', 'create', '--json'],
      ['no-such-command', '--json'],
      ['revoke', 'urn:uuid:x', '--json'],
    ];
    const results = await Promise.all(runs.map((args) => microcred(args, { env: { MICROCRED_DATA: path.join(dir, 'data') } })));
    results.forEach((result, i) => {
      const what = runs[i]!.join(' ');
      expect(result.code, `${what}: ${result.stderr}`).toBe(2);
      expect(JSON.parse(result.stdout), what).toMatchObject({ ok: false, code: 'ERR_USAGE', exitCode: 2 });
      expect(result.stdout.trim().split('\n'), what).toHaveLength(1);
      expect(result.stderr, what).toBe('');
    });
    expect(JSON.parse(results[0]!.stdout).message).toContain('--definitely-not-an-option');
  });

  it('keeps commander usage errors human without --json, still exit 2; --help and --version exit 0', async () => {
    const [bad, help, version] = await Promise.all([microcred(['verify', '--definitely-not-an-option']), microcred(['verify', '--help']), microcred(['--version'])]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("unknown option '--definitely-not-an-option'");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 all valid');
    expect(version.code).toBe(0);
  });

  it('verify: a missing path is a usage error (2), an unreachable chain is could-not-check (3), both JSON', async () => {
    // A folder with a credential in it (an empty one is a usage error, checked before the chain is asked).
    const folder = path.join(dir, 'one-credential');
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(path.join(__dirname, '..', 'vectors', 'openbadges-3.0', 'signed-openbadge-credential.json'), path.join(folder, 'badge.json'));
    const [missing, unreachable, human] = await Promise.all([
      microcred(['verify', path.join(dir, 'nope.json'), '--json', '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337']),
      microcred(['verify', folder, '--json', '--rpc', closedRpc, '--registry', REGISTRY]),
      microcred(['verify', folder, '--rpc', closedRpc, '--registry', REGISTRY]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.json).toMatchObject({ ok: false, code: 'ERR_VERIFY_PATH', exitCode: 2 });
    expect(unreachable.code).toBe(3);
    expect(unreachable.json).toMatchObject({ ok: false, code: 'ERR_RPC_UNAVAILABLE', exitCode: 3 });
    expect(human.code).toBe(3);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^microcred verify: No RPC endpoint answered/);
  });
});

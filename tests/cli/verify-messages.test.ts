// `microcred verify` messages on the real program: every failure names what to fix, and reports count what they saw.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
let dir: string;
let closedRpc: string;
let mixed: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-verify-messages-'));
  // A loopback port nobody listens on: the chain is unreachable, and nothing leaves the machine.
  closedRpc = `http://127.0.0.1:${await freePort()}`;
  fs.mkdirSync(path.join(dir, 'empty'));
  fs.mkdirSync(path.join(dir, 'junk'));
  fs.writeFileSync(path.join(dir, 'junk', 'notes.txt'), 'not a credential\n');
  fs.writeFileSync(path.join(dir, 'junk', 'data.json'), '{"a":1}\n');
  mixed = path.join(dir, 'mixed');
  fs.mkdirSync(mixed);
  fs.copyFileSync(path.join(ROOT, 'tests/vectors/openbadges-3.0/signed-openbadge-credential.json'), path.join(mixed, 'badge.json'));
  fs.copyFileSync(path.join(ROOT, 'tests/vectors/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json'), path.join(mixed, 'vc.json'));
  fs.writeFileSync(path.join(mixed, 'notes.txt'), 'not a credential\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('microcred verify messages', () => {
  it('names the --rpc URL when no endpoint answers', async () => {
    const result = await microcred(['verify', '--rpc', closedRpc, '--registry', REGISTRY, mixed]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(closedRpc);
    expect(result.stderr).toContain('--rpc');
  });

  it('fails with exit 2 before verifying anything when the --csv folder does not exist, naming the path', async () => {
    const report = path.join(dir, 'no-such-folder', 'report.csv');
    // No --chain-id and a closed RPC: reaching the chain would fail with exit 3, so exit 2 proves the check came first.
    const result = await microcred(['verify', '--rpc', closedRpc, '--registry', REGISTRY, '--csv', report, mixed]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(report);
    expect(result.stderr).toContain(path.join(dir, 'no-such-folder'));
    expect(result.stdout).toBe('');
    expect(fs.existsSync(report)).toBe(false);
  });

  it('exits 2 with a message for an empty folder', async () => {
    const empty = path.join(dir, 'empty');
    const result = await microcred(['verify', '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No files to verify in ${empty}`);
  });

  it('exits 2 with a message when no file is a credential', async () => {
    const junk = path.join(dir, 'junk');
    const result = await microcred(['verify', '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', junk]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('none of the 2 file(s) is a credential');
    expect(result.stdout).toContain('2 not credentials');
  });

  it('gives each non-valid line its reason in words, and the CSV counts non-credentials as the summary does', async () => {
    const report = path.join(dir, 'report.csv');
    const result = await microcred(['verify', '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', '--csv', report, mixed]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n').filter((l) => /^(INVALID|COULD NOT CHECK|NOT A CREDENTIAL) /.test(l));
    expect(lines).toHaveLength(3);
    // Label, file, then "check: CODE — words": the words are a sentence, not only a code.
    for (const line of lines) expect(line).toMatch(/ [a-z-]+: [A-Z_]+ — [A-Z][^—]{10,}$/);
    expect(result.stdout).toContain('Verified 3 file(s): 0 valid, 1 invalid, 1 could not be checked, 1 not credentials.');
    const rows = fs.readFileSync(report, 'utf8').trim().split('\n').slice(1);
    const byResult = (name: string) => rows.filter((r) => r.split(',')[1] === name).length;
    expect([byResult('invalid'), byResult('indeterminate'), byResult('not-credential')]).toEqual([1, 1, 1]);
    const junkRow = rows.find((r) => r.includes('notes.txt'))!;
    // The verdict column does not call a non-credential "invalid" while the summary counts it apart.
    expect(junkRow.split(',').slice(1, 3)).toEqual(['not-credential', 'not-credential']);
  });

  it('shows the --rpc default once in --help, and an example', async () => {
    const result = await microcred(['verify', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/8545/g)).toHaveLength(1);
    expect(result.stdout).not.toContain('(default: [])');
    expect(result.stdout).toContain('Example: microcred verify');
  });

  it('gives issue, anchor, revoke an example and registry reinstate-issuer its own description', async () => {
    for (const command of [['issue'], ['anchor'], ['revoke']]) {
      const result = await microcred([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toMatch(new RegExp(`Examples?: microcred ${command[0]} `));
    }
    const suspend = await microcred(['registry', 'suspend-issuer', '--help']);
    const reinstate = await microcred(['registry', 'reinstate-issuer', '--help']);
    expect(reinstate.stdout).toContain('Reinstate a suspended issuer');
    expect(reinstate.stdout).not.toContain('operators can neither anchor');
    expect(suspend.stdout).toContain('Suspend an issuer');
  });
});

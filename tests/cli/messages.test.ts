// Messages of the built program (bin/microcred.cjs runs dist/): what each failure names, progress, counts, --help.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
let dir: string;
let closedPort: number;
let issued: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-messages-'));
  // A loopback port nobody listens on: the chain is unreachable, and nothing leaves the machine.
  closedPort = await freePort();
  // A genuine credential (signed by a fresh did:key issuer, not anchored): only the chain checks remain open.
  issued = path.join(dir, 'issued');
  const issue = await microcred(['issue', '--data', path.join(dir, 'data'), '--record', path.join(ROOT, 'examples', 'sample-record.json'), '--out', issued]);
  expect(issue.code, issue.stderr).toBe(0);
  fs.writeFileSync(path.join(issued, 'notes.txt'), 'not a credential\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('messages of the built CLI', () => {
  it('names the registry and the RPC endpoint on each could-not-check line, without the URL path that may hold a key', async () => {
    const rpc = `http://127.0.0.1:${closedPort}/v3/secret-api-key`;
    const result = await microcred(['verify', issued, '--rpc', rpc, '--registry', REGISTRY, '--chain-id', '31337']);
    expect(result.code, result.stderr).toBe(3);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('COULD NOT CHECK '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`could not be reached at http://127.0.0.1:${closedPort},`);
    expect(lines[0]).toContain(REGISTRY);
    expect(lines[0]).toContain('--rpc');
    expect(result.stdout).not.toContain('secret-api-key');
    // The command's own line (stderr, for the user who typed it) names the URL as given.
    expect(result.stderr).toContain(rpc);
  });

  it('counts a non-credential file apart in the summary, the JSON report and the CSV alike', async () => {
    const csv = path.join(dir, 'counts.csv');
    const args = [issued, '--rpc', `http://127.0.0.1:${closedPort}`, '--registry', REGISTRY, '--chain-id', '31337', '--csv', csv];
    const [human, json] = await Promise.all([microcred(['verify', ...args]), microcred(['verify', ...args.slice(0, -2), '--json'])]);
    expect(human.stdout).toContain('Verified 2 file(s): 0 valid, 0 invalid, 1 could not be checked, 1 not credentials.');
    expect(json.json.summary).toMatchObject({ total: 2, valid: 0, invalid: 0, indeterminate: 1, notCredential: 1 });
    const junk = (json.json.results as { file: string; category: string }[]).find((r) => r.file.endsWith('notes.txt'));
    expect(junk?.category).toBe('not-credential');
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n').slice(1);
    expect(rows.filter((r) => r.split(',')[1] === 'not-credential')).toHaveLength(1);
    expect(rows.filter((r) => r.split(',')[1] === 'invalid')).toHaveLength(0);
  });

  it('shows the progress bar on a terminal with --quiet too (stderr), while --quiet trims the lines', () => {
    // `script` gives the command a real terminal (a pseudo-terminal), as a user's shell does.
    const command = [process.execPath, BIN, 'verify', issued, '--quiet', '--rpc', `http://127.0.0.1:${closedPort}`, '--registry', REGISTRY, '--chain-id', '31337']
      .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
      .join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: cleanEnv({ TERM: 'xterm' }), encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/Verifying \[[^\]]*\] 2\/2 files/);
    expect(run.stdout).toContain('Verified 2 file(s)');
    expect(run.stdout).not.toContain('COULD NOT CHECK ');
  });

  it('checks an output path before any work: bake and certificate name the missing --out folder', async () => {
    const out = path.join(dir, 'no-such-folder', 'badge.png');
    // The credential does not exist either: naming the folder proves --out was checked first.
    const [bake, certificate] = await Promise.all([
      microcred(['bake', path.join(dir, 'missing.json'), '--png', path.join(dir, 'missing.png'), '--out', out]),
      microcred(['certificate', path.join(dir, 'missing.json'), '--verifier-url', 'https://verify.example.edu/', '--out', out]),
    ]);
    for (const result of [bake, certificate]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--out ${out}`);
      expect(result.stderr).toContain(path.join(dir, 'no-such-folder'));
    }
  });

  it('needs no --registry for registry show-issuer in the development setup (it reads the embedded chain)', async () => {
    // No chain runs on this port: the command gets as far as reading the development registry and names the RPC URL.
    const rpc = `http://127.0.0.1:${closedPort}`;
    const result = await microcred(['registry', 'show-issuer', 'did:web:credentials.example.edu', '--data', path.join(dir, 'data'), '--rpc', rpc]);
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain('No registry address');
    expect(result.stderr).toContain(rpc);
  });

  it('gives every command --help an example, and shows no option default twice', () => {
    // One process of the built program prints every command's --help (as `microcred <command> --help` does), rather
    // than two dozen processes that each load their command's dependencies.
    const script = `
      const { buildProgram } = require(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'main.js'))});
      buildProgram('all').then((program) => {
        const out = [];
        const visit = (command, words) => {
          let text = '';
          command.configureOutput({ writeOut: (chunk) => (text += chunk) });
          command.outputHelp();
          out.push({ words, text });
          for (const sub of command.commands) visit(sub, [...words, sub.name()]);
        };
        visit(program, []);
        process.stdout.write(JSON.stringify(out));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const helps = (JSON.parse(run.stdout) as { words: string[]; text: string }[]).filter((h) => !/^Usage: .* \[command\]$/m.test(h.text) || h.words.length === 0);
    expect(helps.length).toBeGreaterThan(20);
    for (const { words, text } of helps) {
      const what = `microcred ${words.join(' ')} --help`;
      expect(text, what).toMatch(new RegExp(`\\nExamples?:\\s+microcred ${words.length === 0 ? '' : `${words.join(' ')} `}`));
      // One option's help, joined from its wrapped lines, states at most one default.
      const options = text
        .split(/\n(?= {2}-)/)
        .filter((block) => block.startsWith('  -'))
        .map((block) => block.split('\n\n')[0]!);
      for (const option of options) expect((option.match(/default/gi) ?? []).length, `${what}: ${option}`).toBeLessThanOrEqual(1);
    }
    // The same text as the command line shows.
    const verify = spawnSync(process.execPath, [BIN, 'verify', '--help'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(helps.find((h) => h.words.join(' ') === 'verify')?.text).toBe(verify.stdout);
  });
});

// The built CLI (dist/) as an installed copy runs it: without tsx, and `--help` without ethers, jsonld or Hardhat.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cleanEnv } from '../helpers/cli';
import { freePort } from '../helpers/free-port';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
let dir: string;

/**
 * A copy of the program as an installation holds it (bin/, dist/, package.json, the compiled registry) whose
 * node_modules links every installed package except `hidden`, so those cannot be resolved from it.
 */
function install(name: string, hidden: readonly string[]): string {
  const home = path.join(dir, name);
  fs.mkdirSync(path.join(home, 'node_modules'), { recursive: true });
  for (const item of ['bin', 'dist', 'package.json', path.join('artifacts', 'contracts', 'CredentialRegistry.sol')]) {
    fs.cpSync(path.join(ROOT, item), path.join(home, item), { recursive: true });
  }
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '.bin' || hidden.includes(entry)) continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(home, 'node_modules', entry));
  }
  return home;
}

/** Runs `node <args>` in `home` with a clean environment (no NODE_PATH, no NODE_OPTIONS preloading tsx). */
function node(home: string, args: readonly string[]) {
  const run = spawnSync(process.execPath, args, { cwd: home, env: cleanEnv({ NODE_PATH: undefined, NODE_OPTIONS: undefined }), encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Whether `name` resolves from the installed CLI's own folder, as its require() calls would resolve it. */
function resolvable(home: string, name: string): boolean {
  const probe = `try { require.resolve(${JSON.stringify(name)}, { paths: [${JSON.stringify(path.join(home, 'dist', 'cli'))}] }); process.exit(0) } catch { process.exit(7) }`;
  const result = node(home, ['-e', probe]);
  if (result.code !== 0 && result.code !== 7) throw new Error(`the resolution probe failed: ${result.stderr}`);
  return result.code === 0;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-built-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the built CLI', () => {
  it('runs --help and verify without tsx installed', async () => {
    const home = install('no-tsx', ['tsx']);
    // The proof that the runs below cannot use tsx: it does not resolve from the program's folder.
    expect(resolvable(home, 'tsx')).toBe(false);
    expect(resolvable(home, 'commander')).toBe(true);

    const help = node(home, ['bin/microcred.cjs', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('verify [options] <inputs...>');

    // Two interop vectors: the Open Badges one names a key no offline loader has (could not check), the W3C one is
    // signed by a key that is not its issuer's (invalid). Both need the JSON-LD and signature code to get there.
    const folder = path.join(home, 'vectors');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(ROOT, 'tests/vectors/openbadges-3.0/signed-openbadge-credential.json'), path.join(folder, 'badge.json'));
    fs.copyFileSync(path.join(ROOT, 'tests/vectors/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json'), path.join(folder, 'vc.json'));
    const closedRpc = `http://127.0.0.1:${await freePort()}`;
    const verify = node(home, ['bin/microcred.cjs', 'verify', folder, '--json', '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337']);
    expect(verify.code, verify.stderr).toBe(1);
    const report = JSON.parse(verify.stdout) as { summary: { total: number; invalid: number; indeterminate: number }; results: { file: string; codes?: string[] }[] };
    expect(report.summary).toMatchObject({ total: 2, invalid: 1, indeterminate: 1 });
    expect(JSON.stringify(report.results)).toContain('ISSUER_KEY_MISMATCH');
    expect(JSON.stringify(report.results)).toContain('SIGNATURE_KEY_UNRESOLVED');
  });

  it('answers --help and verify --help without ethers, jsonld or Hardhat, which only the commands load', () => {
    const home = install('light', ['tsx', 'ethers', 'jsonld', 'hardhat']);
    for (const name of ['ethers', 'jsonld', 'hardhat']) expect(resolvable(home, name), name).toBe(false);
    // Hidden at the top level only: a linked package could still reach them through its own real path, so each run
    // also lists every module it loaded (a preload writes require.cache at exit).
    const recorder = path.join(home, 'record-modules.cjs');
    fs.writeFileSync(recorder, "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_FILE, Object.keys(require.cache).join('\\n')));\n");
    const loaded = (args: string[]) => {
      const file = path.join(home, `modules-${args.length}.txt`);
      const run = spawnSync(process.execPath, ['--require', recorder, ...args], { cwd: home, env: cleanEnv({ NODE_PATH: undefined, NODE_OPTIONS: undefined, MODULES_FILE: file }), encoding: 'utf8', timeout: 120_000 });
      return { code: run.status, stdout: run.stdout, stderr: run.stderr, modules: fs.readFileSync(file, 'utf8').split('\n') };
    };
    const help = loaded(['bin/microcred.cjs', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('audit [options] <inputs...>');
    const verifyHelp = loaded(['bin/microcred.cjs', 'verify', '--help']);
    expect(verifyHelp.code, verifyHelp.stderr).toBe(0);
    expect(verifyHelp.stdout).toContain('--rpc <url>');
    for (const run of [help, verifyHelp]) {
      expect(run.modules.some((m) => m.includes(`${path.sep}commander${path.sep}`))).toBe(true);
      expect(run.modules.filter((m) => /[\\/]node_modules[\\/](ethers|jsonld|hardhat|@digitalbazaar|better-sqlite3)[\\/]/.test(m))).toEqual([]);
    }
    // And the command itself does need them: the same copy cannot verify.
    const verify = node(home, ['bin/microcred.cjs', 'verify', 'package.json', '--chain-id', '31337']);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toMatch(/ethers|jsonld|hardhat/);
  });

  it('says to run npm run build when dist/ is missing', () => {
    const home = path.join(dir, 'unbuilt');
    fs.mkdirSync(home);
    fs.cpSync(path.join(ROOT, 'bin'), path.join(home, 'bin'), { recursive: true });
    const result = node(home, ['bin/microcred.cjs', '--help']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('npm run build');
    expect(result.stderr).toContain(path.join(home, 'dist', 'cli', 'main.js'));
  });
});

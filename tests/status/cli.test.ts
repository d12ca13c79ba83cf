// `microcred status export|reconcile` and `microcred verify --status-lists` as real processes on a temp data folder.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { microcredSync, type CliResult } from '../helpers/cli';
import { tempDir } from './fixture';

const ENV = { MICROCRED_PUBLIC_URL: 'https://credentials.example.edu' };
const FLAGS = ['--email', 'cy@example.org', '--module-id', 'https://example.org/m/bls', '--module-name', 'BLS', '--module-description', 'Basic life support', '--criteria', 'Passed', '--completed-at', '2025-02-28T09:30:00Z'];
// Verifying offline: no chain answers on this port, so only the status list can say anything about status.
const OFFLINE = ['--rpc', 'http://127.0.0.1:9', '--chain-id', '31337', '--registry', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '--json'];

function run(args: string[], data: string): CliResult {
  return microcredSync([...args, '--data', data], { env: ENV });
}

describe('status list commands', () => {
  it('exports the signed lists; verify --status-lists uses them offline and sees a revocation', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const out = path.join(dir, 'out');
    const issued = run(['issue', ...FLAGS, '--out', out, '--json'], data);
    expect(issued.code).toBe(0);
    const credentialFile = issued.json.file as string;
    const credential = JSON.parse(fs.readFileSync(credentialFile, 'utf8')) as { credentialStatus: Array<{ statusListCredential: string }> };
    expect(credential.credentialStatus.map((e) => e.statusListCredential)).toEqual(['https://credentials.example.edu/status/di-1-revocation', 'https://credentials.example.edu/status/di-1-suspension']);

    const revoked = run(['revoke', issued.json.id as string, '--reason-code', 'misconduct', '--json'], data);
    expect(revoked.code).toBe(0);
    const lists = path.join(dir, 'lists');
    const exported = run(['status', 'export', lists, '--json'], data);
    expect(exported.code).toBe(0);
    expect(exported.json.lists.map((l: { id: string }) => l.id)).toEqual(['di-1-revocation', 'di-1-suspension']);
    expect(fs.readdirSync(lists).sort()).toEqual(['di-1-revocation.json', 'di-1-suspension.json']);

    const verified = microcredSync(['verify', credentialFile, '--status-lists', lists, ...OFFLINE], { env: ENV });
    expect(verified.code).toBe(1);
    expect(verified.json.results[0]).toMatchObject({ verdict: 'invalid', flags: expect.arrayContaining(['revoked']) });
    expect(JSON.stringify(verified.json.results[0].reasons)).toContain('STATUS_LIST_REVOKED');

    // Without the lists, and with no way to fetch them, the status cannot be known.
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const unknown = microcredSync(['verify', credentialFile, '--status-lists', empty, ...OFFLINE], { env: ENV });
    expect(unknown.code).toBe(3);
    expect(JSON.stringify(unknown.json)).toContain('STATUS_LIST_UNAVAILABLE');
  }, 120_000);

  it('reconcile reports and repairs a list bit that disagrees with the database', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const issued = run(['issue', ...FLAGS, '--json'], data);
    expect(issued.code).toBe(0);
    expect(run(['suspend', issued.json.id as string, '--reason-code', 'under_review'], data).code).toBe(0);
    const clean = run(['status', 'reconcile', '--no-chain', '--json'], data);
    expect(clean.code).toBe(0);
    expect(clean.json).toMatchObject({ ok: true, credentials: 1, lists: 2, differences: [] });

    // Damage the suspension list behind the service's back (a restored old backup, a hand edit).
    const db = new Database(path.join(data, 'microcred.sqlite'));
    db.prepare("UPDATE status_lists SET bits = zeroblob(16384), revision = revision + 1 WHERE id = 'di-1-suspension'").run();
    db.close();

    const dry = run(['status', 'reconcile', '--no-chain', '--dry-run', '--json'], data);
    expect(dry.code).toBe(1);
    expect(dry.json.differences).toEqual([expect.objectContaining({ kind: 'list-bit', listId: 'di-1-suspension', expected: 'true', found: 'false', repaired: false })]);
    const repaired = run(['status', 'reconcile', '--no-chain', '--json'], data);
    expect(repaired.code).toBe(0);
    expect(repaired.json.differences).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'list-bit', repaired: true })]));
    expect(run(['status', 'reconcile', '--no-chain', '--json'], data).json.differences).toEqual([]);
  }, 120_000);
});

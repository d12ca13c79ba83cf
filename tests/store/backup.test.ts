import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabaseFile, openStore } from '../../src/store';
import { credential, newStore, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../..');

/** Rows of the tables a restore must reproduce, in a stable order. */
function snapshot(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(
      ['credentials', 'batches', 'audit_log', 'schema_migrations'].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()]),
    );
  } finally {
    db.close();
  }
}

describe('online backup', () => {
  it('produces a database that opens and holds the same rows, owner-only, and never overwrites without force', async () => {
    const store = newStore();
    store.insertCredentials(Array.from({ length: 50 }, () => credential()), { actor: 'test', atomic: false });
    const target = path.join(tempDir(), 'backup.sqlite');
    const result = await store.backup(target);
    expect(result.bytes).toBe(fs.statSync(target).size);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(snapshot(target)).toEqual(snapshot(store.path));
    const restored = openStore({ path: target });
    expect(restored.migration.applied).toEqual([]);
    expect(restored.listCredentials({ limit: 100 }).items).toHaveLength(50);
    restored.close();

    await expect(store.backup(target)).rejects.toMatchObject({ code: 'ERR_BACKUP_EXISTS' });
    store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    await store.backup(target, { force: true });
    expect(snapshot(target).credentials).toHaveLength(51);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['backup.sqlite']); // no temp files left
  });

  it('is consistent while another connection writes between backup steps', async () => {
    const store = newStore();
    store.insertCredentials(Array.from({ length: 3000 }, () => credential({ document: 'x'.repeat(2000) })), { actor: 'test', atomic: false });
    const writer = openStore({ path: store.path }); // a second connection, as the running service would hold
    let writes = 0;
    const target = path.join(tempDir(), 'live.sqlite');
    try {
      await store.backup(target, {
        onProgress: ({ remainingPages }) => {
          // Write during the first few steps only: each write by another connection restarts the copy.
          if (writes < 5 && remainingPages > 0) {
            writer.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
            writes += 1;
          }
        },
      });
    } finally {
      writer.close();
    }
    expect(writes).toBeGreaterThan(0);
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const credentials = copy.prepare('SELECT count(*) FROM credentials').pluck().get() as number;
      expect(credentials).toBeGreaterThanOrEqual(3000);
      // A consistent snapshot: every credential is counted by its batch and audited.
      expect(copy.prepare('SELECT sum(leaf_count) FROM batches').pluck().get()).toBe(credentials);
      // One entry per credential stored alone, one per bulk transaction listing its credential ids: each id exactly once.
      const audited = copy
        .prepare(
          `SELECT subject AS id FROM audit_log WHERE action = 'credential.issue'
           UNION ALL SELECT j.value FROM audit_log a, json_each(a.details, '$.credentialIds') j WHERE a.action = 'credential.issue.batch'`,
        )
        .pluck()
        .all() as string[];
      expect(audited).toHaveLength(credentials);
      expect(new Set(audited)).toEqual(new Set(copy.prepare('SELECT id FROM credentials').pluck().all()));
    } finally {
      copy.close();
    }
  });

  it('refuses a missing source database and the database itself as the target', async () => {
    const dir = tempDir();
    await expect(backupDatabaseFile(path.join(dir, 'none.sqlite'), path.join(dir, 'b.sqlite'))).rejects.toMatchObject({ code: 'ERR_DB_NOT_FOUND' });
    const store = newStore();
    await expect(backupDatabaseFile(store.path, store.path, { force: true })).rejects.toMatchObject({ code: 'ERR_BACKUP_DESTINATION' });
  });
});

describe('microcred backup (CLI, real process)', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin/microcred.cjs'), 'backup', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('writes the backup, prints its size, and uses documented exit codes', () => {
    const dataDir = path.join(tempDir(), 'data');
    const store = openStore({ path: path.join(dataDir, 'microcred.sqlite') });
    store.insertCredentialIntoOpenBatch(credential(), { actor: 'test' });
    store.close();
    const target = path.join(tempDir(), 'b.sqlite');

    const ok = cli([target, '--data', dataDir, '--json']);
    expect(ok.status).toBe(0);
    const result = JSON.parse(ok.stdout.trim()) as { ok: boolean; bytes: number; path: string };
    expect(result).toMatchObject({ ok: true, path: target, bytes: fs.statSync(target).size });
    expect(snapshot(target).credentials).toHaveLength(1);

    const exists = cli([target, '--data', dataDir, '--json']);
    expect(exists.status).toBe(2);
    expect(JSON.parse(exists.stdout.trim())).toMatchObject({ ok: false, code: 'ERR_BACKUP_EXISTS' });

    const human = cli([target, '--force'], { MICROCRED_DATA: dataDir });
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/Backed up .* \(\d.* bytes\)/);

    expect(cli([]).status).toBe(2); // missing <file>: usage error
    const missing = cli([path.join(tempDir(), 'c.sqlite'), '--data', path.join(tempDir(), 'empty'), '--json']);
    expect(missing.status).toBe(2); // no database there: fix --data (or run init)
    expect(JSON.parse(missing.stdout.trim())).toMatchObject({ ok: false, code: 'ERR_DB_NOT_FOUND', exitCode: 2 });
  });
});

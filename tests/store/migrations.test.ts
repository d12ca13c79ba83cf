import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isMicrocredError } from '../../src/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, openStore, type Migration } from '../../src/store';
import { tempDir } from './helpers';

const TABLES = ['audit_log', 'batches', 'credentials', 'idempotency_keys', 'issuer_keys', 'learners', 'api_tokens', 'status_changes', 'status_lists', 'status_slots'];

describe('opening the store', () => {
  it('migrates an empty database: every table, WAL, foreign keys, FULL sync, recorded version', () => {
    const file = path.join(tempDir(), 'data', 'microcred.sqlite');
    const store = openStore({ path: file });
    try {
      expect(store.migration).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.version) });
      const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      for (const table of [...TABLES, 'schema_migrations']) expect(tables).toContain(table);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(store.db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      store.close();
    }
  });

  it('re-opening runs no migration twice', () => {
    const file = path.join(tempDir(), 'microcred.sqlite');
    openStore({ path: file }).close();
    const again = openStore({ path: file });
    try {
      expect(again.migration.applied).toEqual([]);
      expect(again.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    } finally {
      again.close();
    }
  });

  it('applies only the new migrations of a later release, in one transaction, and rolls a failing one back', () => {
    const file = path.join(tempDir(), 'microcred.sqlite');
    openStore({ path: file }).close();
    const db = new Database(file);
    const now = (): Date => new Date('2025-01-01T00:00:00Z');
    try {
      const base: Migration[] = MIGRATIONS.map((m) => ({ ...m, sql: 'SELECT 1' }));
      const latest = LATEST_SCHEMA_VERSION;
      const broken = [...base, { version: latest + 1, name: 'ok', sql: 'CREATE TABLE extra (x INTEGER)' }, { version: latest + 2, name: 'bad', sql: 'CREATE TABLE oops (' }];
      expect(() => migrate(db, now, broken)).toThrow();
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
      const good = [...base, { version: latest + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }];
      expect(migrate(db, now, good)).toEqual({ from: latest, to: latest + 1, applied: [latest + 1] });
      expect(migrate(db, now, good).applied).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by newer code with ERR_DB_NEWER_THAN_CODE', () => {
    const file = path.join(tempDir(), 'microcred.sqlite');
    openStore({ path: file }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', '2030-01-01T00:00:00Z');
    db.close();
    let caught: unknown;
    try {
      openStore({ path: file }).close();
    } catch (error: unknown) {
      caught = error;
    }
    expect(isMicrocredError(caught, 'ERR_DB_NEWER_THAN_CODE')).toBe(true);
    expect((caught as { details: Record<string, unknown> }).details).toMatchObject({ databaseVersion: LATEST_SCHEMA_VERSION + 1 });
  });

  it('with create: false, a missing database is ERR_DB_NOT_FOUND and nothing is created', () => {
    const dir = tempDir();
    const file = path.join(dir, 'nope', 'microcred.sqlite');
    expect(() => openStore({ path: file, create: false })).toThrowError(expect.objectContaining({ code: 'ERR_DB_NOT_FOUND' }));
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('creates the data folder 0700 and the database, WAL and shm files 0600', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const file = path.join(dataDir, 'microcred.sqlite');
    const previous = process.umask(0o000); // even with a permissive umask
    let store;
    try {
      store = openStore({ path: file });
    } finally {
      process.umask(previous);
    }
    try {
      store.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run(); // make sure the WAL exists
      const mode = (f: string): number => fs.statSync(f).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      store.close();
    }
  });
});

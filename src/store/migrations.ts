// Forward-only numbered schema migrations, applied at open inside one write transaction.
import type Database from 'better-sqlite3';
import { MicrocredError } from '../errors';
import { sql as init001 } from './migrations/001_init';
import { sql as statusLists002 } from './migrations/002_status_lists';
import { sql as deliveryOutbox003 } from './migrations/003_delivery_outbox';
import { sql as oid4vci004 } from './migrations/004_oid4vci';
import { sql as catalog005 } from './migrations/005_catalog';
import { sql as shareLinks006 } from './migrations/006_share_links';

/** One schema step; versions are consecutive from 1 and a published step is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration this code knows, in order. Append new ones; never edit or reorder. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'init', sql: init001 },
  { version: 2, name: 'status_lists', sql: statusLists002 },
  { version: 3, name: 'delivery_outbox', sql: deliveryOutbox003 },
  { version: 4, name: 'oid4vci', sql: oid4vci004 },
  { version: 5, name: 'catalog', sql: catalog005 },
  { version: 6, name: 'share_links', sql: shareLinks006 },
];

/** The schema version this code expects after migrating. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** What `migrate` did: the version found and the versions applied now. */
export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the database up to LATEST_SCHEMA_VERSION. Runs under BEGIN IMMEDIATE so two processes opening the same
 * folder at once cannot both migrate; throws ERR_DB_NEWER_THAN_CODE for a database written by newer code.
 */
export function migrate(db: Database.Database, now: () => Date, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const run = db.transaction((): MigrationResult => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const current = (db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number) ?? 0;
    if (current > latest) {
      throw new MicrocredError(
        'ERR_DB_NEWER_THAN_CODE',
        `This database is at schema version ${current}, but this microcred only knows up to ${latest}; upgrade microcred (or restore a backup made by this version).`,
        { details: { databaseVersion: current, codeVersion: latest } },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
      applied.push(migration.version);
    }
    // user_version mirrors the table so `sqlite3 file 'PRAGMA user_version'` tells an operator the version.
    if (applied.length > 0) db.pragma(`user_version = ${latest}`);
    return { from: current, to: Math.max(current, latest), applied };
  });
  return run.immediate();
}

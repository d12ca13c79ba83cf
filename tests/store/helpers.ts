// Test helpers for the store: a real SQLite file in a fresh temp folder, and credential rows that look real enough.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import { openStore, type NewCredential, type OpenStoreOptions, type Store } from '../../src/store';

/** A long enough data-folder secret for tests. */
export const SECRET = 'test-secret-0123456789-abcdef';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh temp folder removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-store-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A controllable clock. */
export function fakeClock(start = '2025-03-01T10:00:00.000Z'): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** Opens a store on a new data folder (or `file`), closed after the test. */
export function newStore(options: Partial<OpenStoreOptions> = {}): Store {
  const file = options.path ?? path.join(tempDir(), 'data', 'microcred.sqlite');
  const store = openStore({ ...options, path: file });
  cleanups.push(() => store.close());
  return store;
}

/** A 0x-prefixed 32-byte hex value derived from `text`. */
export function hex32(text: string): string {
  return `0x${createHash('sha256').update(text).digest('hex')}`;
}

/** Deterministic stand-in for the Merkle root: the store only needs a function of the ordered leaves. */
export function fakeRoot(leaves: string[]): string {
  return hex32(leaves.join(','));
}

/** A credential row with a unique id and leaf. */
export function credential(overrides: Partial<NewCredential> = {}): NewCredential {
  const id = overrides.id ?? `urn:uuid:${randomUUID()}`;
  return {
    id,
    format: 'di',
    document: JSON.stringify({ id, type: ['VerifiableCredential', 'OpenBadgeCredential'], proof: { type: 'DataIntegrityProof' } }),
    leaf: hex32(id),
    moduleId: 'acls-2025',
    learnerRef: `sha256$${createHash('sha256').update(`salt${id}`).digest('hex')}`,
    ...overrides,
  };
}

/** Row count of a table. */
export function count(store: Store, table: string): number {
  return store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** True when the bytes of the database file, its WAL or its shared-memory file contain `needle`. */
export function databaseFilesContain(file: string, needle: string | Buffer): boolean {
  const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
  return [file, `${file}-wal`, `${file}-shm`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(bytes));
}

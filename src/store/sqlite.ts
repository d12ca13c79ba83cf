// Opens the SQLite file with the settings the store relies on: owner-only files, WAL, foreign keys, busy timeout.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MicrocredError } from '../errors';

/**
 * `FULL` syncs the WAL on every commit, so an acknowledged credential survives power loss too; `NORMAL` survives a
 * killed process (the WAL write reaches the OS before COMMIT returns) but may lose the last commits on power loss.
 */
export type SyncMode = 'FULL' | 'NORMAL';

/** Options for opening the database file. */
export interface OpenDatabaseOptions {
  /** Create the folder and file when missing (default true); false gives ERR_DB_NOT_FOUND instead. */
  create?: boolean;
  synchronous?: SyncMode;
  /** How long a writer waits for another process's lock before SQLITE_BUSY (default 5000 ms). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** Creates a folder with mode 0700 (and its missing parents); an existing folder is left as the operator made it. */
export function ensurePrivateDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700); // the umask may have narrowed mkdir's mode; never widened, but be explicit
}

/** Opens (and if allowed creates) the database file with owner-only permissions and the store's pragmas. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const exists = fs.existsSync(file);
  if (!exists && options.create === false) {
    throw new MicrocredError('ERR_DB_NOT_FOUND', `No microcred database at ${file}; check --data / MICROCRED_DATA or run \`microcred init\`.`, {
      details: { path: file },
    });
  }
  if (!exists) {
    ensurePrivateDir(path.dirname(file));
    // Create the file ourselves so it is 0600 from its first byte; SQLite gives -wal and -shm the same mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const db = new Database(file, { fileMustExist: true, readonly: options.readonly === true });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
    }
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // Deleted rows (an erased learner's PII) are overwritten with zeros rather than left in free pages.
    db.pragma('secure_delete = ON');
    return db;
  } catch (error: unknown) {
    db.close();
    throw error;
  }
}

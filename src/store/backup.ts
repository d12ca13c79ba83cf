// Online backup of the issuer database: a consistent copy taken while others write, published only when complete.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { MicrocredError } from '../errors';
import { openDatabase } from './sqlite';

/** Where the backup went and how big it is. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** Pages copied, as reported by SQLite. */
  pages: number;
}

/** Options for a backup. */
export interface BackupOptions {
  /** Replace an existing file at the destination (atomically). Without it an existing file is ERR_BACKUP_EXISTS. */
  force?: boolean;
  /** Called after each copy step (for a progress bar); other connections may write between steps. */
  onProgress?: (progress: { totalPages: number; remainingPages: number }) => void;
}

/** Makes a rename durable: the new directory entry reaches the disk too (best effort where directories cannot sync). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Copies `source` to `destination` with SQLite's online backup API. The copy is written to a temporary file beside
 * the destination, checked, synced and then renamed, so the destination is never a half-written database.
 */
export async function backupDatabase(source: Database.Database, destination: string, options: BackupOptions = {}): Promise<BackupResult> {
  const target = path.resolve(destination);
  if (!options.force && fs.existsSync(target)) {
    throw new MicrocredError('ERR_BACKUP_EXISTS', `${target} already exists; choose another file or pass --force to replace it.`, {
      details: { path: target },
    });
  }
  const dir = path.dirname(target);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new MicrocredError('ERR_BACKUP_DESTINATION', `The folder ${dir} does not exist; create it first.`, { details: { path: target } });
  }
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.closeSync(fs.openSync(temp, 'wx', 0o600)); // the copy holds sealed keys and learner PII: owner-only from the start
    const { totalPages } = await source.backup(temp, {
      progress: (info: { totalPages: number; remainingPages: number }): number => {
        options.onProgress?.(info);
        return 100; // pages per step: short steps keep the source's writers waiting only briefly
      },
    });
    const copy = new Database(temp, { fileMustExist: true });
    try {
      // The copy inherits WAL mode; switching to DELETE folds everything into the one file we rename.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new MicrocredError('ERR_BACKUP_FAILED', `The backup copy failed its integrity check (${String(check)}).`);
    } finally {
      copy.close();
    }
    const fd = fs.openSync(temp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    syncDir(dir);
    return { path: target, bytes: fs.statSync(target).size, pages: totalPages };
  } catch (error: unknown) {
    fs.rmSync(temp, { force: true });
    fs.rmSync(`${temp}-wal`, { force: true });
    fs.rmSync(`${temp}-shm`, { force: true });
    fs.rmSync(`${temp}-journal`, { force: true });
    if (error instanceof MicrocredError) throw error;
    throw new MicrocredError('ERR_BACKUP_FAILED', `Backup to ${target} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Backs up the database file `databaseFile` without migrating or otherwise changing it, so it also works on a
 * database written by a newer microcred. ERR_DB_NOT_FOUND when there is no database there.
 */
export async function backupDatabaseFile(databaseFile: string, destination: string, options: BackupOptions = {}): Promise<BackupResult> {
  if (path.resolve(databaseFile) === path.resolve(destination)) {
    throw new MicrocredError('ERR_BACKUP_DESTINATION', 'The backup file must not be the database itself.', { details: { path: destination } });
  }
  const db = openDatabase(databaseFile, { create: false });
  try {
    return await backupDatabase(db, destination, options);
  } finally {
    db.close();
  }
}

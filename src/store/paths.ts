// Where the data folder and the database file live; a tiny resolver that the config module can replace later.
import path from 'node:path';

/** File name of the issuer database inside the data folder. */
export const DATABASE_FILE_NAME = 'microcred.sqlite';

/** Resolves the data folder: an explicit option wins, then `MICROCRED_DATA`, then `./.data` under `cwd`. */
export function resolveDataDir(options: { data?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const chosen = options.data ?? (env.MICROCRED_DATA !== undefined && env.MICROCRED_DATA !== '' ? env.MICROCRED_DATA : '.data');
  return path.resolve(cwd, chosen);
}

/** The database file of a data folder. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE_NAME);
}

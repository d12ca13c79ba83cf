// Finds the data-folder secret that encrypts issuer keys: MICROCRED_SECRET, else a `secret` file in the data folder (0600).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';

/** Name of the secret file inside the data folder. */
export const SECRET_FILE_NAME = 'secret';

/** Where the secret came from, for messages (never the secret itself). */
export type SecretSource = 'env' | 'file' | 'created';

/** Options of {@link resolveSecret}. */
export interface ResolveSecretOptions {
  /** The data folder (created 0700 when missing and `create` is set). */
  dataDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Create a random secret file when neither the variable nor the file exists (default true). */
  create?: boolean;
}

/** Why a secret file inside the data folder is risky, and how to move it (printed by `init`). */
export const SECRET_BESIDE_DATABASE_WARNING =
  'The secret sits beside the database it protects: a copy or backup of the data folder then opens the signing keys. Move it out: keep it in a secrets manager and set MICROCRED_SECRET, or move the file elsewhere and set MICROCRED_SECRET_FILE to its path.';

/**
 * The secret: `MICROCRED_SECRET` when set, else the file named by `MICROCRED_SECRET_FILE` (outside the data folder,
 * created there when missing), else the data folder's `secret` file, else (with `create`) a new random
 * 256-bit secret written to that file with mode 0600 (O_EXCL, so two processes starting at once agree on one).
 * Throws ERR_SECRET_FILE when the file is unreadable or readable by others, ERR_SECRET_REQUIRED when missing.
 */
export function resolveSecret(options: ResolveSecretOptions): { secret: string; source: SecretSource; file: string } {
  const env = options.env ?? process.env;
  const named = env.MICROCRED_SECRET_FILE;
  const file = named !== undefined && named !== '' ? path.resolve(named) : path.join(options.dataDir, SECRET_FILE_NAME);
  const fromEnv = env.MICROCRED_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') return { secret: fromEnv, source: 'env', file };
  const existing = readSecretFile(file);
  if (existing !== null) return { secret: existing, source: 'file', file };
  if (options.create === false) {
    throw new MicrocredError('ERR_SECRET_REQUIRED', `No secret: set MICROCRED_SECRET or run \`microcred init\` to create ${file}.`, { details: { file } });
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readSecretFile(file);
      if (raced !== null) return { secret: raced, source: 'file', file };
    }
    throw new MicrocredError('ERR_SECRET_FILE', `Cannot create the secret file ${file}: check the data folder's permissions.`, { cause: error });
  }
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { secret, source: 'created', file };
}

/** The trimmed contents of a secret file, or null when it does not exist. */
function readSecretFile(file: string): string | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MicrocredError('ERR_SECRET_FILE', `Cannot read the secret file ${file}: check its permissions.`, { cause: error });
  }
  // A secret others can read protects nothing; refuse rather than use it (as ssh does with keys).
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new MicrocredError('ERR_SECRET_FILE', `The secret file ${file} is readable by other users; run \`chmod 600 ${file}\`.`, { details: { file } });
  }
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') throw new MicrocredError('ERR_SECRET_FILE', `The secret file ${file} is empty; restore it from a backup or set MICROCRED_SECRET.`, { details: { file } });
  return text;
}

// Reads the private key of a chain account from where the configuration (or a --key-file flag) says it is; never logs it.
import { readFileSync, statSync } from 'node:fs';
import type { MicrocredConfig } from '../config';
import { MicrocredError } from '../errors';
import { hardhatDevAccounts } from './dev-accounts';
import { DEV_ISSUER_ACCOUNT } from './dev-registry';

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

function normalise(text: string, where: string): string {
  const key = text.trim();
  if (!PRIVATE_KEY.test(key)) {
    throw new MicrocredError('ERR_ACCOUNT_KEY_FORMAT', `${where} must hold the account's 32-byte private key in hex (64 hex digits).`);
  }
  return key.startsWith('0x') ? key : `0x${key}`;
}

/** Reads a private key file, which must not be readable by group or others (ERR_ACCOUNT_KEY_PERMISSIONS). */
export function readPrivateKeyFile(file: string): string {
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new MicrocredError('ERR_ACCOUNT_KEY_PERMISSIONS', `${file} is readable by other users; run: chmod 600 ${file}`);
    }
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if (cause instanceof MicrocredError) throw cause;
    throw new MicrocredError('ERR_ACCOUNT_KEY_MISSING', `Cannot read the key file ${file}: check the path and permissions.`, { cause });
  }
  return normalise(text, file);
}

/**
 * The private key of a chain account: `keyFile` when given (a --key-file flag), else the configuration's anchoring
 * key: a development account (`devAccount`, the anchoring one by default) for the embedded chain, a file, or a variable.
 */
export function accountPrivateKey(
  config: MicrocredConfig,
  options: { keyFile?: string; devAccount?: number; env?: Readonly<Record<string, string | undefined>> } = {},
): string {
  if (options.keyFile !== undefined) return readPrivateKeyFile(options.keyFile);
  const source = config.anchoringKey;
  if (source.source === 'file') return readPrivateKeyFile(source.path);
  if (source.source === 'env') {
    const value = (options.env ?? process.env)[source.variable];
    if (value === undefined || value === '') throw new MicrocredError('ERR_ACCOUNT_KEY_MISSING', `Set ${source.variable} to the account's private key, or pass --key-file.`);
    return normalise(value, source.variable);
  }
  const index = options.devAccount ?? DEV_ISSUER_ACCOUNT;
  return hardhatDevAccounts(index + 1)[index]!.privateKey;
}

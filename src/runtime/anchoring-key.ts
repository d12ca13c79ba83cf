// Reads the anchoring account's private key from where the configuration says it is; never logs it.
import { readFileSync, statSync } from 'node:fs';
import type { MicrocredConfig } from '../config';
import { MicrocredError } from '../errors';
import { hardhatDevAccounts } from '../chain';
import { DEV_ISSUER_ACCOUNT } from './dev-registry';

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

function normalise(text: string, where: string): string {
  const key = text.trim();
  if (!PRIVATE_KEY.test(key)) {
    throw new MicrocredError('ERR_ANCHOR_KEY_FORMAT', `${where} must hold the anchoring account's 32-byte private key in hex (64 hex digits).`);
  }
  return key.startsWith('0x') ? key : `0x${key}`;
}

/**
 * The private key that signs anchor and status transactions: the development account for the embedded chain, a file
 * (which must not be readable by group or others), or an environment variable.
 */
export function anchoringPrivateKey(config: MicrocredConfig, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const source = config.anchoringKey;
  if (source.source === 'dev') return hardhatDevAccounts(DEV_ISSUER_ACCOUNT + 1)[DEV_ISSUER_ACCOUNT]!.privateKey;
  if (source.source === 'env') {
    const value = env[source.variable];
    if (value === undefined || value === '') throw new MicrocredError('ERR_ANCHOR_KEY_MISSING', `Set ${source.variable} to the anchoring account's private key.`);
    return normalise(value, source.variable);
  }
  let text: string;
  try {
    if ((statSync(source.path).mode & 0o077) !== 0) {
      throw new MicrocredError('ERR_ANCHOR_KEY_PERMISSIONS', `${source.path} is readable by other users; run: chmod 600 ${source.path}`);
    }
    text = readFileSync(source.path, 'utf8');
  } catch (cause) {
    if (cause instanceof MicrocredError) throw cause;
    throw new MicrocredError('ERR_ANCHOR_KEY_MISSING', `Cannot read the anchoring key file ${source.path}: check the path and permissions.`, { cause });
  }
  return normalise(text, source.path);
}

// Encrypting secrets at rest: AES-256-GCM under a key derived by scrypt from the operator's secret, pure and synchronous.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { MicrocredError } from '../errors';

/** The JSON shape of an encrypted value; every field needed to open it again travels with it. */
export interface EncryptedBox {
  v: 1;
  kdf: 'scrypt';
  /** scrypt cost parameters, stored so they can be raised later without breaking old records. */
  N: number;
  r: number;
  p: number;
  /** base64url: 16-byte random salt, 12-byte random IV, 16-byte GCM tag, ciphertext. */
  salt: string;
  iv: string;
  tag: string;
  ct: string;
}

/** scrypt parameters: N=2^15, r=8 is OWASP's floor for interactive use and costs ~32 MiB and ~0.1 s once per record. */
export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

/** Shortest secret accepted: a data folder's keys are only as strong as this secret. */
export const MIN_SECRET_LENGTH = 16;

/** Options for encrypting: associated data binds the box to its record, so boxes cannot be swapped between rows. */
export interface EncryptOptions {
  aad?: string;
  scrypt?: { N: number; r: number; p: number };
}

/** Throws ERR_SECRET_WEAK unless the secret is long enough to protect keys at rest. */
export function assertUsableSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new MicrocredError(
      'ERR_SECRET_WEAK',
      `The data-folder secret (MICROCRED_SECRET) must be at least ${MIN_SECRET_LENGTH} characters; generate one with \`openssl rand -base64 32\`.`,
    );
  }
}

/** Derives the 32-byte AES key; maxmem is raised because Node's 32 MiB default is exactly at N=2^15, r=8. */
function deriveKey(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  return scryptSync(secret.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 });
}

/** Encrypts `plaintext` under `secret`; returns the JSON text of a EncryptedBox with a fresh salt and IV. */
export function encrypt(plaintext: string | Uint8Array, secret: string, options: EncryptOptions = {}): string {
  assertUsableSecret(secret);
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = deriveKey(secret, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  if (options.aad !== undefined) cipher.setAAD(Buffer.from(options.aad, 'utf8'));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  const box: EncryptedBox = {
    v: 1,
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64url'),
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    ct: ct.toString('base64url'),
  };
  return JSON.stringify(box);
}

/** Parses and checks the shape of an encrypted value; ERR_SEALED_FORMAT (a stable code from before the rename) when it is not one. */
export function parseEncrypted(text: string): EncryptedBox {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new MicrocredError('ERR_SEALED_FORMAT', 'An encrypted value in the database is not valid JSON; restore the data folder from a backup.', { cause: error });
  }
  const box = value as Partial<EncryptedBox> | null;
  const isInt = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (
    box === null || typeof box !== 'object' || box.v !== 1 || box.kdf !== 'scrypt' || !isInt(box.N) || !isInt(box.r) || !isInt(box.p) ||
    typeof box.salt !== 'string' || typeof box.iv !== 'string' || typeof box.tag !== 'string' || typeof box.ct !== 'string'
  ) {
    throw new MicrocredError('ERR_SEALED_FORMAT', 'An encrypted value in the database has an unknown format; restore the data folder from a backup.');
  }
  return box as EncryptedBox;
}

/** Decrypts a value made by `encrypt`; ERR_KEY_DECRYPT when the secret is wrong or the box was altered. */
export function decrypt(text: string, secret: string, options: { aad?: string } = {}): Buffer {
  const box = parseEncrypted(text);
  try {
    const key = deriveKey(secret, Buffer.from(box.salt, 'base64url'), box);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64url'), { authTagLength: 16 });
    if (options.aad !== undefined) decipher.setAAD(Buffer.from(options.aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(box.ct, 'base64url')), decipher.final()]);
  } catch (error: unknown) {
    // GCM cannot tell a wrong secret from a tampered record; both mean "this secret does not open this data folder".
    throw new MicrocredError(
      'ERR_KEY_DECRYPT',
      'The secret (MICROCRED_SECRET or config) does not match this data folder, or the encrypted record was altered; use the secret the folder was created with.',
      { cause: error instanceof Error ? new Error(error.message) : undefined },
    );
  }
}

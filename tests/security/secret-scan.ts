// Test helper: searches logs, errors, documents and files for secrets in every encoding they could leak in.
import { encodeBase58 } from 'ethers';

/** Something to search: text (a log, an error, a JSON document) or raw bytes (a database file). */
export interface Haystack {
  name: string;
  text?: string;
  bytes?: Uint8Array;
}

/** One place a secret was found. */
export interface SecretFinding {
  /** The haystack's name. */
  haystack: string;
  /** Index of the secret in the `secrets` argument. */
  secret: number;
  /** The encoding it was found in, e.g. `hex`, `base64url of bytes`. */
  encoding: string;
}

/** Shortest encoded form searched for: anything shorter would match by chance. */
const MIN_NEEDLE = 12;

/** Multicodec prefixes of private keys in Multikey form (ed25519-priv 0x1300, p256-priv 0x1306 as varints). */
const PRIVATE_MULTICODECS = [Uint8Array.of(0x80, 0x26), Uint8Array.of(0x86, 0x26)];

function bytesVariants(bytes: Uint8Array, label: string): [string, Buffer][] {
  const buffer = Buffer.from(bytes);
  const out: [string, Buffer][] = [
    [`raw ${label}`, buffer],
    [`hex ${label}`, Buffer.from(buffer.toString('hex'))],
    [`HEX ${label}`, Buffer.from(buffer.toString('hex').toUpperCase())],
    [`base64 ${label}`, Buffer.from(buffer.toString('base64').replace(/=+$/, ''))],
    [`base64url ${label}`, Buffer.from(buffer.toString('base64url'))],
    [`multibase base58btc ${label}`, Buffer.from(`z${encodeBase58(buffer)}`)],
    [`multibase base64url ${label}`, Buffer.from(`u${buffer.toString('base64url')}`)],
  ];
  // A Multikey secret key: multicodec prefix + key, base58btc; the base58 text changes completely with the prefix.
  for (const prefix of PRIVATE_MULTICODECS) out.push([`Multikey ${label}`, Buffer.from(`z${encodeBase58(Buffer.concat([prefix, buffer]))}`)]);
  return out;
}

/** The bytes a secret string stands for, when it is itself an encoding of key bytes (hex, or base64url as JWK `d`). */
function decodedBytes(secret: string): Uint8Array | undefined {
  if (/^(0x)?[0-9a-fA-F]+$/.test(secret) && secret.replace(/^0x/, '').length % 2 === 0 && secret.length >= 32) return Buffer.from(secret.replace(/^0x/, ''), 'hex');
  if (/^[A-Za-z0-9_-]+$/.test(secret) && secret.length >= 22) {
    const bytes = Buffer.from(secret, 'base64url');
    if (bytes.toString('base64url') === secret) return bytes;
  }
  return undefined;
}

/**
 * Every form a secret could leak in. A string secret is searched as its text, and as hex, base64 and base64url of
 * its UTF-8 bytes; when the string itself encodes key bytes (hex or base64url, like a JWK `d` or a 0x private key)
 * those bytes are also searched raw, hex, base64, base64url, multibase (z/u) and as a Multikey secret key.
 */
export function secretVariants(secret: string | Uint8Array): [encoding: string, needle: Buffer][] {
  const variants: [string, Buffer][] = [];
  if (typeof secret === 'string') {
    variants.push(['text', Buffer.from(secret, 'utf8')]);
    variants.push(...bytesVariants(Buffer.from(secret, 'utf8'), 'of the text').filter(([name]) => !name.startsWith('raw')));
    const decoded = decodedBytes(secret);
    if (decoded !== undefined) variants.push(...bytesVariants(decoded, 'of the bytes'));
  } else {
    variants.push(...bytesVariants(secret, 'of the bytes'));
  }
  return variants.filter(([, needle]) => needle.length >= MIN_NEEDLE);
}

/** Searches every haystack for every secret in every encoding; returns where each was found (empty = clean). */
export function scanForSecrets(haystacks: readonly Haystack[], secrets: readonly (string | Uint8Array)[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const needles = secrets.map((secret) => secretVariants(secret));
  for (const haystack of haystacks) {
    const body = Buffer.concat([haystack.bytes ? Buffer.from(haystack.bytes) : Buffer.alloc(0), Buffer.from(haystack.text ?? '', 'utf8')]);
    needles.forEach((variants, secret) => {
      for (const [encoding, needle] of variants) if (body.includes(needle)) findings.push({ haystack: haystack.name, secret, encoding });
    });
  }
  return findings;
}

// Development conveniences for the embedded setup: a stable API token and a sample credential to open in the page.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveSecret } from '../issuer';
import { decrypt, encrypt } from '../store';
import type { RunningIssuer } from './system';
import { projectRoot } from '../project-root';

/** File in the data folder holding the development API token, sealed with the data-folder secret (0600). */
const DEV_TOKEN_FILE = 'dev-token.sealed';
/** Where earlier versions kept it in plain text; removed on sight. */
const PLAIN_DEV_TOKEN_FILE = 'dev-token';
const DEV_TOKEN_AAD = 'microcred:dev-token';
/** File in the data folder naming the sample credential. */
const SAMPLE_FILE = 'sample-credential-id';

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function decryptToken(sealed: string | undefined, secret: string): string | undefined {
  if (sealed === undefined) return undefined;
  try {
    return decrypt(sealed, secret, { aad: DEV_TOKEN_AAD }).toString('utf8');
  } catch {
    return undefined; // another secret, or a damaged file: a new token replaces it
  }
}

/**
 * The development token (all scopes), created once and kept in the data folder so it survives restarts. It is
 * sealed with the data-folder secret (as signing keys are), so a copy of the folder without the secret does not
 * hand out an admin token; the store itself keeps only its hash.
 */
export function ensureDevToken(issuer: Pick<RunningIssuer, 'store' | 'dataDir'>, env: Readonly<Record<string, string | undefined>> = process.env): string {
  rmSync(path.join(issuer.dataDir, PLAIN_DEV_TOKEN_FILE), { force: true });
  const { secret } = resolveSecret({ dataDir: issuer.dataDir, env, create: false });
  const file = path.join(issuer.dataDir, DEV_TOKEN_FILE);
  const saved = decryptToken(readTrimmed(file), secret);
  if (saved !== undefined && issuer.store.verifyToken(saved) !== null) return saved;
  const { token } = issuer.store.createToken('development', ['issue', 'status', 'admin'], 'system');
  writeFileSync(file, `${encrypt(token, secret, { aad: DEV_TOKEN_AAD })}\n`, { mode: 0o600 });
  return token;
}

/** The sample completion record shipped in examples/ (also used by the README's curl command). */
export function sampleRecord(now: Date): Record<string, unknown> {
  const file = path.join(projectRoot(__dirname), 'examples', 'sample-record.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return { ...record, completedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/**
 * The sample credential, issued once per data folder and anchored: resolves to its anchored form (Data Integrity,
 * with the anchor proof) once its batch is on chain, so the printed link opens as "valid".
 */
export async function ensureSampleCredential(issuer: RunningIssuer, now: Date, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const file = path.join(issuer.dataDir, SAMPLE_FILE);
  let id = readTrimmed(file);
  if (id === undefined || issuer.store.getCredential(id) === null) {
    const issued = await issuer.service.issue(sampleRecord(now), { format: 'di', actor: 'system' });
    id = issued.credentialId;
    writeFileSync(file, `${id}\n`, { mode: 0o600 });
  }
  const row = issuer.store.getCredential(id);
  if (row?.batchId != null) await issuer.anchorer.whenAnchored(row.batchId, { timeoutMs });
  const view = issuer.service.getCredentialWithAnchor(id);
  return (view.anchored ?? view.credential) as Record<string, unknown>;
}

/** A link that opens `credential` in the verification page; the fragment never reaches the server. */
export function verificationLink(baseUrl: string, credential: unknown): string {
  const encoded = Buffer.from(typeof credential === 'string' ? credential : JSON.stringify(credential), 'utf8').toString('base64url');
  return `${baseUrl}/#vc=${encoded}`;
}

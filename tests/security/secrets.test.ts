// Secrets that exist today never leak: issuer keys sealed at rest, owner-only files, hashed tokens, and keys and
// secrets kept out of inspect/JSON/String and error messages. The scan helper is checked against itself first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect, format } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { RegistryClient } from '../../src/chain';
import { isMicrocredError } from '../../src/errors';
import { SigningKey } from '../../src/signing';
import { openStore, type Store } from '../../src/store';
import { caught } from '../helpers/errors';
import { freePort } from '../helpers/free-port';
import { scanForSecrets, secretVariants, type Haystack } from './secret-scan';

const SECRET = 'correct-horse-battery-staple-0123456789';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function dataDir(): { dir: string; file: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-secrets-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'data');
  return { dir, file: path.join(dir, 'microcred.sqlite') };
}

function open(file: string, secret: string | undefined = SECRET): Store {
  const store = openStore({ path: file, ...(secret === undefined ? {} : { secret }) });
  cleanups.push(() => store.close());
  return store;
}

/** The database, its WAL and shared-memory files as haystacks (whatever exists). */
function databaseFiles(file: string): Haystack[] {
  return [file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f)).map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
}

/** Every way an error reaches a log or a response: message, String, JSON, inspect with causes and stack. */
function errorHaystacks(error: unknown, name: string): Haystack[] {
  return [
    { name: `${name} message`, text: error instanceof Error ? error.message : String(error) },
    { name: `${name} String`, text: String(error) },
    { name: `${name} JSON`, text: JSON.stringify(error) ?? '' },
    { name: `${name} inspect`, text: inspect(error, { depth: 10, showHidden: true }) },
  ];
}

/** The private scalar of a SigningKey (JWK `d`), from the one method meant to reveal it. */
const privateD = (key: SigningKey): string => key.serialize().private.d;

describe('the secret scanner itself', () => {
  it('finds a key in every encoding it can leak in, and nothing in unrelated text', () => {
    const bytes = randomBytes(32);
    for (const [encoding, needle] of secretVariants(bytes)) {
      const found = scanForSecrets([{ name: 'file', bytes: Buffer.concat([Buffer.from('before '), needle, Buffer.from(' after')]) }], [bytes]);
      expect(found.length, encoding).toBeGreaterThan(0);
    }
    const d = bytes.toString('base64url');
    expect(scanForSecrets([{ name: 'hex dump', text: bytes.toString('hex') }], [d])).toEqual([{ haystack: 'hex dump', secret: 0, encoding: 'hex of the bytes' }]);
    expect(scanForSecrets([{ name: 'file', bytes: Buffer.concat([randomBytes(100), bytes, randomBytes(100)]) }], [d]).map((f) => f.encoding)).toContain('raw of the bytes');
    expect(scanForSecrets([{ name: 'noise', text: randomBytes(4096).toString('base64') }], [d, SECRET])).toEqual([]);
  });
});

describe('issuer private keys at rest', () => {
  it('are sealed in the database: no encoding of the private key is in the SQLite, WAL or SHM bytes', () => {
    const { file } = dataDir();
    const store = open(file);
    const keys = [SigningKey.generate('Ed25519').bind('did:web:issuer.example', 'did:web:issuer.example#key-1'), SigningKey.generate('P-256').bind('did:web:issuer.example', 'did:web:issuer.example#key-2')];
    for (const key of keys) {
      // The shape src/issuer/keyring.ts stores: the public Multikey in the clear, `serialize().private` sealed.
      const serialized = key.serialize();
      store.addIssuerKey({ kid: key.id!, controller: key.controller!, algorithm: key.algorithm, publicKey: { publicKeyMultibase: key.publicKeyMultibase }, privateKey: serialized.private }, 'test');
    }
    expect(store.issuerKeyWithPrivate(keys[0]!.id!).privateKey).toEqual({ d: privateD(keys[0]!) });
    const secrets = keys.map(privateD);
    // Before and after a checkpoint: the WAL, then the main file.
    expect(scanForSecrets(databaseFiles(file), [...secrets, SECRET])).toEqual([]);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(scanForSecrets(databaseFiles(file), [...secrets, SECRET])).toEqual([]);
    // The scan does read the data: the public keys are there in the clear.
    expect(fs.readFileSync(file).includes(Buffer.from(keys[1]!.publicKeyMultibase))).toBe(true);
  });

  it('a wrong secret fails with ERR_KEY_DECRYPT, and neither secret appears in the error however it is printed', () => {
    const { file } = dataDir();
    const store = open(file);
    store.addIssuerKey({ kid: 'did:web:x#k', controller: 'did:web:x', algorithm: 'Ed25519', publicKey: {}, privateKey: { d: privateD(SigningKey.generate()) } }, 'test');
    store.close();
    const wrong = 'a-wrong-but-long-enough-secret-42';
    const error = caught(() => openStore({ path: file, secret: wrong }));
    expect(isMicrocredError(error, 'ERR_KEY_DECRYPT')).toBe(true);
    expect(scanForSecrets(errorHaystacks(error, 'ERR_KEY_DECRYPT'), [SECRET, wrong])).toEqual([]);

    const weak = 'short-secret';
    const weakError = caught(() => openStore({ path: file, secret: weak }));
    expect(isMicrocredError(weakError, 'ERR_SECRET_WEAK')).toBe(true);
    expect(errorHaystacks(weakError, 'ERR_SECRET_WEAK').some((h) => h.text!.includes(weak))).toBe(false);
  });
});

describe('file permissions', () => {
  it('creates the data folder 0700 and the database, WAL, SHM and backups 0600, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const { dir, file } = dataDir();
      const store = open(file);
      store.createToken('lms', ['issue'], 'test'); // a write, so the WAL and SHM exist
      const backup = path.join(path.dirname(dir), 'backup.sqlite');
      await store.backup(backup);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`, backup]) {
        expect(fs.existsSync(f), f).toBe(true);
        expect(fs.statSync(f).mode & 0o777, path.basename(f)).toBe(0o600);
      }
    } finally {
      process.umask(previous);
    }
  });
});

describe('API tokens', () => {
  it('are stored hashed: no encoding of the token or its random part is in the database files', () => {
    const { file } = dataDir();
    const store = open(file, undefined);
    const tokens = [store.createToken('lms', ['issue'], 'test').token, store.createToken('ops', ['admin'], 'test').token];
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(scanForSecrets(databaseFiles(file), [...tokens, ...tokens.map((t) => t.slice(-43))])).toEqual([]);
    expect(store.verifyToken(tokens[0]!)?.name).toBe('lms');
    // Revoked, and a token differing in its last character, are refused (compared by hash, in constant time).
    const altered = tokens[1]!.slice(0, -1) + (tokens[1]!.endsWith('A') ? 'B' : 'A');
    expect(store.verifyToken(altered)).toBeNull();
  });
});

describe('SigningKey never shows its private key', () => {
  it('not through inspect, console formatting, JSON, String, template literals, spread or Object.entries', () => {
    for (const key of [SigningKey.generate('Ed25519'), SigningKey.generate('P-256').bind('did:web:issuer.example')]) {
      const views: Haystack[] = [
        { name: 'inspect', text: inspect(key, { depth: 10, showHidden: true }) },
        { name: 'format %o', text: format('%o', key) },
        { name: 'format %j', text: format('%j', key) },
        { name: 'JSON', text: JSON.stringify(key) },
        { name: 'JSON nested', text: JSON.stringify({ key, list: [key] }) },
        { name: 'String', text: String(key) },
        { name: 'template', text: `${key as unknown as string}` },
        { name: 'spread', text: inspect({ ...key }, { depth: 10 }) },
        { name: 'entries', text: JSON.stringify(Object.entries(key)) },
        { name: 'jwk', text: JSON.stringify(key.publicJwk) },
        { name: 'verification method', text: key.id === undefined ? '' : JSON.stringify(key.verificationMethod()) },
      ];
      expect(scanForSecrets(views, [privateD(key)])).toEqual([]);
      // And the scan would have seen it: serialize() is the one place that reveals it, on purpose.
      expect(scanForSecrets([{ name: 'serialize', text: JSON.stringify(key.serialize()) }], [privateD(key)]).length).toBeGreaterThan(0);
    }
  });

  it('not in the errors of loading a damaged or mismatched key', () => {
    const key = SigningKey.generate('Ed25519');
    const other = SigningKey.generate('Ed25519');
    const mismatched = caught(() => SigningKey.load({ ...key.serialize(), publicKeyMultibase: other.publicKeyMultibase }));
    expect(isMicrocredError(mismatched, 'ERR_KEY_MISMATCH')).toBe(true);
    const damaged = caught(() => SigningKey.load({ ...key.serialize(), private: { d: privateD(key).slice(0, 30) } }));
    expect(isMicrocredError(damaged, 'ERR_KEY_FORMAT')).toBe(true);
    const haystacks = [...errorHaystacks(mismatched, 'mismatch'), ...errorHaystacks(damaged, 'damaged')];
    expect(scanForSecrets(haystacks, [privateD(key), privateD(key).slice(0, 30)])).toEqual([]);
  });

  // Node imports a P-256 private JWK with the x/y it is given and never derives them from d, so SigningKey.load
  // computes the point from d itself; without that, the key would sign credentials that never verify.
  it('refuses a P-256 key whose private part belongs to another key (ERR_KEY_MISMATCH)', () => {
    const p256 = SigningKey.generate('P-256');
    const swapped = caught(() => SigningKey.load({ ...p256.serialize(), private: { d: privateD(SigningKey.generate('P-256')) } }));
    expect(isMicrocredError(swapped, 'ERR_KEY_MISMATCH')).toBe(true);
  });
});

describe('the anchoring key', () => {
  it('is not in the registry client, nor in the error of a failed send', async () => {
    const wallet = Wallet.createRandom();
    const port = await freePort(); // nothing listens there
    const client = await RegistryClient.connect({ address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', rpcUrls: [`http://127.0.0.1:${port}`], chainId: 31337, privateKey: wallet.privateKey, timeoutMs: 2_000 });
    try {
      let error: unknown;
      await client.sendAnchor(`0x${'ab'.repeat(32)}`).catch((e: unknown) => (error = e));
      expect(isMicrocredError(error)).toBe(true);
      const haystacks = [...errorHaystacks(error, 'send'), { name: 'client inspect', text: inspect(client, { depth: 6, showHidden: true }) }, { name: 'client JSON', text: JSON.stringify(client) }];
      expect(scanForSecrets(haystacks, [wallet.privateKey])).toEqual([]);
    } finally {
      client.close();
    }
  });
});

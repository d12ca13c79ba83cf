// The issuer keyring kept in the store: created once (private key encrypted by the store), loaded at start, rotated in place.
import { MicrocredError } from '../errors';
import { createDidKeyIssuer, createDidWebIssuer, rotate, type IssuerKeyring, type IssuerProfileInput } from '../signing';
import { SigningKey, type KeyAlgorithm, type VerificationMethod } from '../signing';
import { didWebFor } from '../did';
import type { IssuerKeyStore } from '../store';
import type { IssuerKeyRow, IssuerKeyWithPrivate } from '../store';

/** How the issuer's DID is formed. */
export interface KeyringOptions {
  /** `key`: did:key (development); `web`: did:web for `domain` (+ `path`), which rotates in place. */
  didMethod: 'key' | 'web';
  domain?: string;
  path?: string;
  profile: IssuerProfileInput;
  /** Default Ed25519 (needed for Data Integrity eddsa-rdfc-2022). */
  algorithm?: KeyAlgorithm;
  /** Audit actor for a newly created key (`system` for the server, `cli` for commands). */
  actor: string;
}

/** The keyring and whether it was created by this call. */
export interface LoadedKeyring {
  keyring: IssuerKeyring;
  created: boolean;
}

function didWebOf(options: KeyringOptions): string {
  if (options.domain === undefined || options.domain === '') {
    throw new MicrocredError('ERR_CONFIG_INVALID', 'did:web needs a domain (issuer.didDomain / MICROCRED_DID_DOMAIN).');
  }
  return didWebFor(options.domain, options.path);
}

function verificationMethodOf(row: IssuerKeyRow): VerificationMethod {
  const multibase = row.publicKey.publicKeyMultibase;
  if (typeof multibase !== 'string') {
    throw new MicrocredError('ERR_KEY_FORMAT', `Issuer key ${row.kid} has no publicKeyMultibase; the key record is damaged.`);
  }
  return { id: row.kid, type: 'Multikey', controller: row.controller, publicKeyMultibase: multibase };
}

/** Every published method of `controller`: the active key first, then retired ones newest first. */
function publishedMethods(store: IssuerKeyStore, controller: string): VerificationMethod[] {
  const rows = store.listIssuerKeys(controller);
  const ordered = [...rows.filter((r) => r.active), ...rows.filter((r) => !r.active).sort((a, b) => b.createdAt.localeCompare(a.createdAt))];
  return ordered.map(verificationMethodOf);
}

function signingKeyOf(row: IssuerKeyWithPrivate): SigningKey {
  const d = row.privateKey.d;
  const multibase = row.publicKey.publicKeyMultibase;
  if (typeof d !== 'string' || typeof multibase !== 'string') {
    throw new MicrocredError('ERR_KEY_FORMAT', `Issuer key ${row.kid} is not a microcred key record; it cannot be loaded.`);
  }
  return SigningKey.load({
    format: 'microcred-key-v1',
    algorithm: row.algorithm as KeyAlgorithm,
    publicKeyMultibase: multibase,
    private: { d },
    id: row.kid,
    controller: row.controller,
  });
}

/** Writes a bound key to the store (encrypted), making it the active key of its DID and algorithm. */
function storeKey(store: IssuerKeyStore, key: SigningKey, actor: string): void {
  const serialized = key.serialize();
  if (serialized.id === undefined || serialized.controller === undefined) {
    throw new MicrocredError('ERR_KEY_UNBOUND', 'Only a key bound to the issuer DID can be stored.');
  }
  store.addIssuerKey(
    {
      kid: serialized.id,
      controller: serialized.controller,
      algorithm: serialized.algorithm,
      publicKey: { type: 'Multikey', publicKeyMultibase: serialized.publicKeyMultibase },
      privateKey: serialized.private,
    },
    actor,
  );
}

/**
 * Loads the issuer's active key from the store, or creates one (encrypted with the store's secret) when there is none.
 * did:key: the DID comes from the stored key; did:web: from domain and path, with every retired key still published.
 * Needs a store opened with its secret (ERR_SECRET_REQUIRED otherwise).
 */
export function loadOrCreateIssuerKeyring(store: IssuerKeyStore, options: KeyringOptions): LoadedKeyring {
  const algorithm = options.algorithm ?? 'Ed25519';
  if (options.didMethod === 'web') {
    const did = didWebOf(options);
    const active = store.activeIssuerKey({ controller: did, algorithm });
    if (active !== null) {
      const signingKey = signingKeyOf(active);
      const profile = { id: did, type: ['Profile'] as ['Profile'], name: options.profile.name, url: options.profile.url };
      return { keyring: { did, profile, signingKey, verificationMethods: publishedMethods(store, did) }, created: false };
    }
    const keyring = createDidWebIssuer(SigningKey.generate(algorithm), { domain: options.domain as string, ...(options.path === undefined ? {} : { path: options.path }), profile: options.profile });
    storeKey(store, keyring.signingKey, options.actor);
    return { keyring: { ...keyring, verificationMethods: publishedMethods(store, did) }, created: true };
  }
  const existing = store.listIssuerKeys().find((row) => row.active && row.algorithm === algorithm && row.controller.startsWith('did:key:'));
  if (existing !== undefined) {
    const signingKey = signingKeyOf(store.issuerKeyWithPrivate(existing.id));
    const keyring = createDidKeyIssuer(signingKey, options.profile);
    return { keyring, created: false };
  }
  const keyring = createDidKeyIssuer(SigningKey.generate(algorithm), options.profile);
  storeKey(store, keyring.signingKey, options.actor);
  return { keyring, created: true };
}

/**
 * Rotates a did:web issuer's key: a new key becomes active in the store (the old one is retired but stays published
 * in the DID document, so earlier credentials keep verifying). did:key cannot rotate: ERR_ROTATE_DID_KEY.
 */
export function rotateIssuerKeyring(store: IssuerKeyStore, keyring: IssuerKeyring, actor: string): IssuerKeyring {
  const rotated = rotate(keyring);
  storeKey(store, rotated.signingKey, actor);
  return { ...rotated, verificationMethods: publishedMethods(store, keyring.did) };
}

// Issuer signing keys: public part in clear, private part encrypted with the data-folder secret; retired keys are kept.
import { randomUUID } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { isUniqueViolation, nowIso, parseJsonObject, type StoreContext } from './context';
import { decrypt, encrypt } from './crypto';
import type { IssuerKeyRow, IssuerKeyWithPrivate } from './types';

/** A key to store; the private part is any JSON object (JWK, Multikey pair, ...) and is encrypted before writing. */
export interface NewIssuerKey {
  /** Defaults to a random UUID. */
  id?: string;
  /** Verification method id, e.g. `did:key:z6Mk...#z6Mk...` or `did:web:example.org#key-2`. */
  kid: string;
  /** The issuer DID. */
  controller: string;
  /** e.g. `Ed25519`, `ES256`. */
  algorithm: string;
  publicKey: Record<string, unknown>;
  privateKey: Record<string, unknown>;
  /** Make this the signing key for its controller and algorithm, retiring the previous one (default true). */
  activate?: boolean;
}

interface KeyDbRow {
  id: string;
  kid: string;
  controller: string;
  algorithm: string;
  public_json: string;
  /** The encrypted private part (the column name is from schema 1, before "seal" meant only closing a batch). */
  private_sealed: string;
  active: number;
  created_at: string;
  retired_at: string | null;
}

function toKey(row: KeyDbRow): IssuerKeyRow {
  return {
    id: row.id,
    kid: row.kid,
    controller: row.controller,
    algorithm: row.algorithm,
    publicKey: parseJsonObject(row.public_json),
    active: row.active === 1,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

/** The AAD binds each encrypted private key to its verification method, so boxes cannot be swapped between rows. */
function aadOf(kid: string): string {
  return `microcred:issuer-key:${kid}`;
}

/** Issuer keys over one connection; `secret` is needed only to add keys or read private parts. */
export class IssuerKeys {
  /** Decrypted private parts by encrypted box: scrypt costs ~0.1 s, far too much to pay on every signature. */
  private readonly opened = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly audit: AuditLog,
    private readonly secret: string | undefined,
  ) {}

  /** Stores a key with its private part encrypted; with `activate` (default) it replaces the active key in one step. */
  add(key: NewIssuerKey, actor: string): IssuerKeyRow {
    const secret = this.requireSecret();
    const id = key.id ?? randomUUID();
    const encrypted = encrypt(JSON.stringify(key.privateKey), secret, { aad: aadOf(key.kid) }); // scrypt runs outside the lock
    const insert = this.ctx.db.transaction((): IssuerKeyRow => {
      const at = nowIso(this.ctx);
      const activate = key.activate !== false;
      if (activate) {
        this.ctx.db
          .prepare('UPDATE issuer_keys SET active = 0, retired_at = ? WHERE controller = ? AND algorithm = ? AND active = 1')
          .run(at, key.controller, key.algorithm);
      }
      this.ctx.db
        .prepare(
          `INSERT INTO issuer_keys (id, kid, controller, algorithm, public_json, private_sealed, active, created_at, retired_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, key.kid, key.controller, key.algorithm, JSON.stringify(key.publicKey), encrypted, activate ? 1 : 0, at, activate ? null : at);
      this.audit.append({ actor, action: 'key.add', subject: key.kid, details: { id, algorithm: key.algorithm, controller: key.controller, active: activate } });
      return this.require(id);
    });
    try {
      return insert.immediate();
    } catch (error: unknown) {
      if (isUniqueViolation(error)) {
        throw new MicrocredError('ERR_KEY_EXISTS', `An issuer key with id or kid ${key.kid} is already stored.`, { cause: error, details: { kid: key.kid } });
      }
      throw error;
    }
  }

  /** Public records, active first; retired keys are included so DID documents keep publishing them. */
  list(controller?: string): IssuerKeyRow[] {
    return this.ctx.db
      .prepare<{ controller: string | null }, KeyDbRow>('SELECT * FROM issuer_keys WHERE @controller IS NULL OR controller = @controller ORDER BY active DESC, created_at, id')
      .all({ controller: controller ?? null })
      .map(toKey);
  }

  /** The active key with its decrypted private part, or null; the first active key when no filter is given. */
  active(filter: { controller?: string; algorithm?: string } = {}): IssuerKeyWithPrivate | null {
    const row = this.ctx.db
      .prepare<{ controller: string | null; algorithm: string | null }, KeyDbRow>(
        'SELECT * FROM issuer_keys WHERE active = 1 AND (@controller IS NULL OR controller = @controller) AND (@algorithm IS NULL OR algorithm = @algorithm) ORDER BY created_at, id LIMIT 1',
      )
      .get({ controller: filter.controller ?? null, algorithm: filter.algorithm ?? null });
    return row === undefined ? null : this.withPrivate(row);
  }

  /** A key (by id or kid) with its decrypted private part; ERR_KEY_NOT_FOUND or ERR_KEY_DECRYPT. */
  withPrivateKey(idOrKid: string): IssuerKeyWithPrivate {
    const row = this.ctx.db.prepare<[string, string], KeyDbRow>('SELECT * FROM issuer_keys WHERE id = ? OR kid = ?').get(idOrKid, idOrKid);
    if (row === undefined) throw new MicrocredError('ERR_KEY_NOT_FOUND', `No issuer key ${idOrKid}.`, { details: { key: idOrKid } });
    return this.withPrivate(row);
  }

  /** Stops signing with a key; it stays published for verification. */
  retire(idOrKid: string, actor: string): IssuerKeyRow {
    return this.ctx.db.transaction((): IssuerKeyRow => {
      const row = this.require(idOrKid);
      this.ctx.db.prepare('UPDATE issuer_keys SET active = 0, retired_at = coalesce(retired_at, ?) WHERE id = ?').run(nowIso(this.ctx), row.id);
      this.audit.append({ actor, action: 'key.retire', subject: row.kid, details: { id: row.id } });
      return this.require(row.id);
    }).immediate();
  }

  private withPrivate(row: KeyDbRow): IssuerKeyWithPrivate {
    const cacheKey = `${row.kid}\n${row.private_sealed}`;
    let privateKey = this.opened.get(cacheKey);
    if (privateKey === undefined) {
      const plain = decrypt(row.private_sealed, this.requireSecret(), { aad: aadOf(row.kid) });
      privateKey = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
      this.opened.set(cacheKey, privateKey);
    }
    return { ...toKey(row), privateKey: structuredClone(privateKey) };
  }

  private require(idOrKid: string): IssuerKeyRow {
    const row = this.ctx.db.prepare<[string, string], KeyDbRow>('SELECT * FROM issuer_keys WHERE id = ? OR kid = ?').get(idOrKid, idOrKid);
    if (row === undefined) throw new MicrocredError('ERR_KEY_NOT_FOUND', `No issuer key ${idOrKid}.`, { details: { key: idOrKid } });
    return toKey(row);
  }

  private requireSecret(): string {
    if (this.secret === undefined) {
      throw new MicrocredError('ERR_SECRET_REQUIRED', 'Issuer private keys need the data-folder secret: set MICROCRED_SECRET (or the config secret).');
    }
    return this.secret;
  }
}

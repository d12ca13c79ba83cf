// OID4VCI offers and proof nonces: rows keyed by hashes of the wallet's secrets, each change one guarded UPDATE.
import type { AuditLog } from './audit';
import { nowIso, type StoreContext } from './context';

/** A new offer, secrets already hashed by the caller. */
export interface NewOffer {
  id: string;
  codeHash: string;
  pinHash: string | null;
  configurationId: string;
  /** The completion record, as JSON text. */
  record: string;
  expiresAt: string;
  actor: string;
  /** The issued credential this offer copies for a wallet, if any (audit only). */
  sourceCredentialId?: string;
}

/** One offer as stored. */
export interface OfferRow {
  id: string;
  pinHash: string | null;
  pinFailures: number;
  configurationId: string;
  record: string | null;
  createdAt: string;
  expiresAt: string;
  tokenExpiresAt: string | null;
  redeemedAt: string | null;
  holderDid: string | null;
  credentialId: string | null;
}

interface OfferDbRow {
  id: string;
  pin_hash: string | null;
  pin_failures: number;
  configuration_id: string;
  record: string | null;
  created_at: string;
  expires_at: string;
  token_expires_at: string | null;
  redeemed_at: string | null;
  holder_did: string | null;
  credential_id: string | null;
}

function toOffer(row: OfferDbRow): OfferRow {
  return {
    id: row.id,
    pinHash: row.pin_hash,
    pinFailures: row.pin_failures,
    configurationId: row.configuration_id,
    record: row.record,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    tokenExpiresAt: row.token_expires_at,
    redeemedAt: row.redeemed_at,
    holderDid: row.holder_did,
    credentialId: row.credential_id,
  };
}

/** What a nonce row says about a presented c_nonce. */
export type NonceState = 'unknown' | 'expired' | 'used' | 'fresh';

/** Offers and nonces over one connection. */
export class Oid4vciOffers {
  constructor(private readonly ctx: StoreContext, private readonly audit: AuditLog) {}

  /** Stores a new offer and audits it (the record's learner data stays out of the audit log). */
  create(offer: NewOffer): OfferRow {
    this.ctx.db.transaction(() => {
      this.ctx.db
        .prepare('INSERT INTO oid4vci_offers (id, code_hash, pin_hash, configuration_id, record, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(offer.id, offer.codeHash, offer.pinHash, offer.configurationId, offer.record, nowIso(this.ctx), offer.expiresAt);
      this.audit.append({ actor: offer.actor, action: 'offer.create', subject: offer.id, details: { configurationId: offer.configurationId, pin: offer.pinHash !== null, expiresAt: offer.expiresAt, ...(offer.sourceCredentialId === undefined ? {} : { credentialId: offer.sourceCredentialId }) } });
    }).immediate();
    return this.get(offer.id) as OfferRow;
  }

  /**
   * GDPR erasure: deletes the offers whose completion record still names this email (not redeemed into a credential
   * yet), so an erased learner's address does not wait in the table until the offer expires. Returns how many.
   */
  dropPendingFor(email: string, actor: string): number {
    const ids = this.ctx.db
      .prepare("SELECT id FROM oid4vci_offers WHERE record IS NOT NULL AND lower(trim(json_extract(record, '$.learner.email'))) = lower(trim(?))")
      .pluck()
      .all(email) as string[];
    for (const id of ids) {
      this.ctx.db.prepare('DELETE FROM oid4vci_offers WHERE id = ?').run(id);
      this.audit.append({ actor, action: 'offer.erase', subject: id, details: {} });
    }
    return ids.length;
  }

  /** The offer with this id, or null. */
  get(id: string): OfferRow | null {
    const row = this.ctx.db.prepare<[string], OfferDbRow>('SELECT * FROM oid4vci_offers WHERE id = ?').get(id);
    return row === undefined ? null : toOffer(row);
  }

  /** The offer whose pre-authorized code hashes to `codeHash`, or null. */
  byCodeHash(codeHash: string): OfferRow | null {
    const row = this.ctx.db.prepare<[string], OfferDbRow>('SELECT * FROM oid4vci_offers WHERE code_hash = ?').get(codeHash);
    return row === undefined ? null : toOffer(row);
  }

  /** The offer whose access token hashes to `tokenHash`, or null. */
  byTokenHash(tokenHash: string): OfferRow | null {
    const row = this.ctx.db.prepare<[string], OfferDbRow>('SELECT * FROM oid4vci_offers WHERE token_hash = ?').get(tokenHash);
    return row === undefined ? null : toOffer(row);
  }

  /** Counts one wrong PIN and returns the new count. */
  notePinFailure(id: string): number {
    this.ctx.db.prepare('UPDATE oid4vci_offers SET pin_failures = pin_failures + 1 WHERE id = ?').run(id);
    return this.get(id)?.pinFailures ?? 0;
  }

  /** Redeems the code for an access token; false when it was redeemed already (single use, even under a race). */
  redeem(id: string, tokenHash: string, tokenExpiresAt: string): boolean {
    const done = this.ctx.db
      .prepare('UPDATE oid4vci_offers SET token_hash = ?, token_expires_at = ?, redeemed_at = ? WHERE id = ? AND token_hash IS NULL')
      .run(tokenHash, tokenExpiresAt, nowIso(this.ctx), id);
    return done.changes === 1;
  }

  /**
   * Binds the offer to the credential issued for it and drops the record (its learner data now lives in the learners
   * table); false when a credential was bound already. Call inside the transaction that stores the credential.
   */
  bindCredential(id: string, holderDid: string, credentialId: string, transactionHash: string): boolean {
    const done = this.ctx.db
      .prepare('UPDATE oid4vci_offers SET holder_did = ?, credential_id = ?, transaction_hash = ?, record = NULL WHERE id = ? AND credential_id IS NULL')
      .run(holderDid, credentialId, transactionHash, id);
    if (done.changes === 1) this.audit.append({ actor: 'system', action: 'offer.issue', subject: id, details: { credentialId } });
    return done.changes === 1;
  }

  /** Gives the bound credential a new deferred transaction id (a retried request after a lost answer). */
  setTransaction(id: string, transactionHash: string): void {
    this.ctx.db.prepare('UPDATE oid4vci_offers SET transaction_hash = ? WHERE id = ?').run(transactionHash, id);
  }

  /** The offer whose deferred transaction id hashes to `transactionHash`, or null. */
  byTransactionHash(transactionHash: string): OfferRow | null {
    const row = this.ctx.db.prepare<[string], OfferDbRow>('SELECT * FROM oid4vci_offers WHERE transaction_hash = ?').get(transactionHash);
    return row === undefined ? null : toOffer(row);
  }

  /**
   * Stores a fresh nonce, pruning nonces that expired (bounded table, no separate sweeper), and drops the record (the
   * learner's data) of every offer that can no longer be redeemed or used: expired, and no live access token.
   */
  addNonce(nonceHash: string, expiresAt: string): void {
    this.ctx.db.transaction(() => {
      const now = nowIso(this.ctx);
      this.ctx.db.prepare('DELETE FROM oid4vci_nonces WHERE expires_at < ?').run(now);
      this.ctx.db
        .prepare('UPDATE oid4vci_offers SET record = NULL WHERE record IS NOT NULL AND expires_at < ? AND (token_expires_at IS NULL OR token_expires_at < ?)')
        .run(now, now);
      this.ctx.db.prepare('INSERT INTO oid4vci_nonces (nonce_hash, expires_at) VALUES (?, ?)').run(nonceHash, expiresAt);
    }).immediate();
  }

  /** What the table says of a presented nonce. */
  nonceState(nonceHash: string): NonceState {
    const row = this.ctx.db.prepare<[string], { expires_at: string; used_at: string | null }>('SELECT expires_at, used_at FROM oid4vci_nonces WHERE nonce_hash = ?').get(nonceHash);
    if (row === undefined) return 'unknown';
    if (row.used_at !== null) return 'used';
    return row.expires_at < nowIso(this.ctx) ? 'expired' : 'fresh';
  }

  /** Uses a nonce up; false when it was used already (a replayed proof). */
  useNonce(nonceHash: string): boolean {
    return this.ctx.db.prepare('UPDATE oid4vci_nonces SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL').run(nowIso(this.ctx), nonceHash).changes === 1;
  }
}

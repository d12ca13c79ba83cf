// Learner PII (email, name, external id) kept apart from credentials, so GDPR erasure deletes it and nothing else.
import { randomUUID } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { nowIso, type StoreContext } from './context';
import type { LearnerRow } from './types';

/** What is known about a learner; at least one of email or externalId identifies them. */
export interface LearnerInput {
  email?: string | null;
  name?: string | null;
  /** The institution's own learner number, if any. */
  externalId?: string | null;
}

interface LearnerDbRow {
  id: string;
  email: string | null;
  name: string | null;
  external_id: string | null;
  created_at: string;
}

function toLearner(row: LearnerDbRow): LearnerRow {
  return { id: row.id, email: row.email, name: row.name, externalId: row.external_id, createdAt: row.created_at };
}

/** Emails compare trimmed and in lower case, so one person gets one row. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Learner rows over one connection. */
export class Learners {
  // Prepared once: a cohort import upserts one learner per credential, and preparing per call cost more than the query.
  private readonly findMatch;
  private readonly fillIn;
  private readonly insertRow;
  private readonly byId;

  constructor(private readonly ctx: StoreContext, private readonly audit: AuditLog) {
    this.findMatch = ctx.db.prepare<[string | null, string | null], LearnerDbRow>('SELECT * FROM learners WHERE email = ? OR external_id = ? ORDER BY created_at LIMIT 1');
    this.fillIn = ctx.db.prepare('UPDATE learners SET email = coalesce(email, ?), name = coalesce(?, name), external_id = coalesce(external_id, ?) WHERE id = ?');
    this.insertRow = ctx.db.prepare('INSERT INTO learners (id, email, name, external_id, created_at) VALUES (?, ?, ?, ?, ?)');
    this.byId = ctx.db.prepare<[string], LearnerDbRow>('SELECT * FROM learners WHERE id = ?');
  }

  /** Finds the learner by email or external id, or creates one; a known learner's missing fields are filled in. */
  upsert(input: LearnerInput): LearnerRow {
    const email = input.email === undefined || input.email === null || input.email.trim() === '' ? null : normaliseEmail(input.email);
    const externalId = input.externalId === undefined || input.externalId === null || input.externalId === '' ? null : input.externalId;
    if (email === null && externalId === null) {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'A learner needs an email or an externalId.', { details: { field: 'email' } });
    }
    const upsert = (): LearnerRow => {
      const found = this.findMatch.get(email, externalId);
      if (found !== undefined) {
        this.fillIn.run(email, input.name ?? null, externalId, found.id);
        return this.require(found.id);
      }
      const id = randomUUID();
      const createdAt = nowIso(this.ctx);
      this.insertRow.run(id, email, input.name ?? null, externalId, createdAt);
      return { id, email, name: input.name ?? null, externalId, createdAt };
    };
    // One write statement either way, so inside a caller's transaction (a batch storing its learners) it needs no savepoint.
    return this.ctx.db.inTransaction ? upsert() : this.ctx.db.transaction(upsert).immediate();
  }

  /** The learner, or null (also after erasure). */
  get(id: string): LearnerRow | null {
    const row = this.byId.get(id);
    return row === undefined ? null : toLearner(row);
  }

  /** The learner with this email, or null. */
  findByEmail(email: string): LearnerRow | null {
    const row = this.ctx.db.prepare<[string], LearnerDbRow>('SELECT * FROM learners WHERE email = ?').get(normaliseEmail(email));
    return row === undefined ? null : toLearner(row);
  }

  /**
   * GDPR erasure: deletes the learner's row (all PII the store holds); their credentials stay, unlinked, still
   * anchored and verifiable, since they carry only a holder DID or salted hash.
   */
  erase(id: string, actor: string, alsoErase?: (learner: LearnerRow) => void): { learnerId: string; credentialsKept: number } {
    const result = this.ctx.db.transaction(() => {
      // Other tables holding the learner's data are cleared in the same transaction (before the checkpoint below).
      alsoErase?.(this.require(id));
      const kept = this.ctx.db.prepare<[string], number>('SELECT count(*) FROM credentials WHERE learner_id = ?').pluck().get(id) ?? 0;
      // Idempotency-Key records name the learner's credentials (ids only): they go with the learner, so no replay serves them.
      const forget = this.ctx.db.prepare('DELETE FROM idempotency_keys WHERE instr(response_body, ?) > 0');
      for (const credentialId of this.ctx.db.prepare<[string], string>('SELECT id FROM credentials WHERE learner_id = ?').pluck().all(id)) forget.run(credentialId);
      this.ctx.db.prepare('DELETE FROM learners WHERE id = ?').run(id); // ON DELETE SET NULL unlinks the credentials
      this.audit.append({ actor, action: 'learner.erase', subject: id, details: { credentialsKept: kept } });
      return { learnerId: id, credentialsKept: kept };
    }).immediate();
    // secure_delete zeroed the row in the database pages; checkpointing also clears the old page images from the WAL
    // (best effort: a long-running reader elsewhere can delay it until the next checkpoint).
    this.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  }

  private require(id: string): LearnerRow {
    const row = this.get(id);
    if (row === null) throw new MicrocredError('ERR_LEARNER_NOT_FOUND', `No learner ${id}.`, { details: { learnerId: id } });
    return row;
  }
}

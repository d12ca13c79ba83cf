// The append-only audit log: every issuance, status change, token and key event, queried newest first.
import { decodeCursor, encodeCursor, nowIso, pageSize, parseJsonObject, type StoreContext } from './context';
import type { AuditEntry, Page } from './types';

/** Audit action of one credential stored alone; its subject is the credential id. */
export const AUDIT_CREDENTIAL_ISSUE = 'credential.issue';

/**
 * Audit action of the credentials one bulk transaction stored: one entry per transaction, its details listing every
 * credential id it stored (`credentialIds`, in order), their `count`, `formats`, `moduleIds` and anchoring `batchIds`.
 */
export const AUDIT_CREDENTIAL_ISSUE_BATCH = 'credential.issue.batch';

/** An entry to append; details must never hold learner PII (erasure does not rewrite the log). */
export interface AuditInput {
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** Filters for reading the log; all optional, combined with AND. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  subject?: string;
  /** Entries about this credential: its own (subject) and the bulk issuance entry that lists it among its credentialIds. */
  credentialId?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  cursor?: string | null;
}

interface AuditDbRow {
  id: number;
  ts: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
}

/** Audit log access over one connection. */
export class AuditLog {
  private readonly insert;

  constructor(private readonly ctx: StoreContext) {
    this.insert = ctx.db.prepare('INSERT INTO audit_log (ts, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)');
  }

  /** Appends one entry; call it inside the transaction of the change it records. */
  append(entry: AuditInput): number {
    const result = this.insert.run(nowIso(this.ctx), entry.actor, entry.action, entry.subject ?? null, JSON.stringify(entry.details ?? {}));
    return Number(result.lastInsertRowid);
  }

  /** Entries matching the filters, newest first, with a cursor for the next page. */
  query(filter: AuditQuery = {}): Page<AuditEntry> {
    const limit = pageSize(filter.limit);
    const after = decodeCursor('audit', filter.cursor);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.actor !== undefined) { where.push('actor = ?'); params.push(filter.actor); }
    if (filter.action !== undefined) { where.push('action = ?'); params.push(filter.action); }
    if (filter.subject !== undefined) { where.push('subject = ?'); params.push(filter.subject); }
    if (filter.credentialId !== undefined) {
      where.push(`(subject = ? OR (action = '${AUDIT_CREDENTIAL_ISSUE_BATCH}' AND EXISTS (SELECT 1 FROM json_each(details, '$.credentialIds') WHERE value = ?)))`);
      params.push(filter.credentialId, filter.credentialId);
    }
    if (filter.since !== undefined) { where.push('ts >= ?'); params.push(filter.since.toISOString()); }
    if (filter.until !== undefined) { where.push('ts < ?'); params.push(filter.until.toISOString()); }
    if (after !== null) { where.push('id < ?'); params.push(after); }
    const sql = `SELECT id, ts, actor, action, subject, details FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.ctx.db.prepare<unknown[], AuditDbRow>(sql).all(...params, limit + 1);
    const items = rows.slice(0, limit).map((row) => ({ ...row, details: parseJsonObject(row.details) }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor('audit', last.id) : null };
  }
}

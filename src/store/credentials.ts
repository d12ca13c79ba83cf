// Stored credentials: each one joins the open batch in the transaction that stores it; listing with keyset pages.
import { MicrocredError } from '../errors';
import { AUDIT_CREDENTIAL_ISSUE, AUDIT_CREDENTIAL_ISSUE_BATCH, type AuditLog } from './audit';
import type { Batches } from './batches';
import { decodeCursor, encodeCursor, isUniqueViolation, pageSize, type StoreContext } from './context';
import type { BatchState, CredentialFormat, CredentialRow, CredentialStatus, InsertedCredential, NewCredential, Page } from './types';

/** Options for storing credentials. */
export interface InsertOptions {
  /** Who issued (`token:<id>`, `cli`, ...) for the audit log; always named, never defaulted. */
  actor: string;
  /** Close the open batch to new leaves once it holds this many, so batches stay at N leaves. */
  maxLeaves?: number;
}

/** Options for storing many credentials. */
export interface BulkInsertOptions extends InsertOptions {
  /** All rows or none: any failing row rolls everything back and throws. Otherwise each bad row is reported. */
  atomic: boolean;
  /** Rows per transaction when not atomic (default 500): bounds lock time while keeping commits few; one audit entry each. */
  chunkSize?: number;
}

/** The outcome of one row of a bulk insert. */
export type BulkInsertResult =
  | ({ index: number; ok: true } & InsertedCredential)
  | { index: number; ok: false; credentialId: string; code: string; message: string };

/** Filters for listing credentials; all optional and combined with AND. */
export interface CredentialQuery {
  moduleId?: string;
  learnerId?: string;
  learnerRef?: string;
  status?: CredentialStatus;
  batchId?: number;
  /** issued_at >= issuedFrom */
  issuedFrom?: Date;
  /** issued_at < issuedTo */
  issuedTo?: Date;
  limit?: number;
  cursor?: string | null;
  /** Newest first by default. */
  order?: 'asc' | 'desc';
}

interface CredentialDbRow {
  seq: number;
  id: string;
  format: CredentialFormat;
  document: string;
  leaf: string;
  module_id: string;
  learner_ref: string;
  learner_id: string | null;
  issued_at: string;
  batch_id: number;
  batch_state: BatchState;
  status: CredentialStatus;
  anchor_proof: string | null;
}

const SELECT = `SELECT c.seq, c.id, c.format, c.document, c.leaf, c.module_id, c.learner_ref, c.learner_id, c.issued_at,
  c.batch_id, b.state AS batch_state, c.status, c.anchor_proof FROM credentials c JOIN batches b ON b.id = c.batch_id`;

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LEAF = /^0x[0-9a-f]{64}$/;

function toCredential(row: CredentialDbRow): CredentialRow {
  return {
    seq: row.seq,
    id: row.id,
    format: row.format,
    document: row.document,
    leaf: row.leaf,
    moduleId: row.module_id,
    learnerRef: row.learner_ref,
    learnerId: row.learner_id,
    issuedAt: row.issued_at,
    batchId: row.batch_id,
    batchState: row.batch_state,
    status: row.status,
    anchorProof: row.anchor_proof,
  };
}

function invalid(field: string, message: string): MicrocredError {
  return new MicrocredError('ERR_STORE_INVALID_INPUT', message, { details: { field } });
}

/** Checks a row before it touches the database, so a bad row gives a field name rather than a constraint error. */
function checkNew(row: NewCredential): NewCredential {
  const id = row.id;
  if (typeof id !== 'string' || !UUID_URN.test(id)) throw invalid('id', `Credential id must be a urn:uuid (got ${row.id}).`);
  if (row.format !== 'di' && row.format !== 'jose') throw invalid('format', "format must be 'di' or 'jose'.");
  const leaf = row.leaf.toLowerCase();
  if (!LEAF.test(leaf)) throw invalid('leaf', 'leaf must be 0x and 64 hex digits.');
  if (row.document.length === 0) throw invalid('document', 'document must not be empty.');
  if (row.moduleId.length === 0) throw invalid('moduleId', 'moduleId must not be empty.');
  if (row.learnerRef.length === 0) throw invalid('learnerRef', 'learnerRef must not be empty.');
  if (row.learnerRef.includes('@') && !row.learnerRef.startsWith('did:')) {
    throw invalid('learnerRef', 'learnerRef looks like an email; store a holder DID or a salted hash, and the email in a learner row.');
  }
  return { ...row, id, leaf };
}

/** Credential rows over one connection. */
export class Credentials {
  private readonly insertRow;
  private readonly byId;

  constructor(private readonly ctx: StoreContext, private readonly batches: Batches, private readonly audit: AuditLog) {
    this.insertRow = ctx.db.prepare(
      `INSERT INTO credentials (id, format, document, leaf, module_id, learner_ref, learner_id, issued_at, batch_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = ctx.db.prepare<[string], CredentialDbRow>(`${SELECT} WHERE c.id = ?`);
  }

  /** Stores one credential and attaches its leaf to the open batch (opening one if needed), in one transaction. */
  insertIntoOpenBatch(row: NewCredential, options: InsertOptions): InsertedCredential {
    const checked = checkNew(row);
    try {
      return this.ctx.db
        .transaction(() => {
          const stored = this.insertChecked(checked, options);
          this.audit.append({
            actor: options.actor,
            action: AUDIT_CREDENTIAL_ISSUE,
            subject: checked.id,
            details: { format: checked.format, moduleId: checked.moduleId, leaf: checked.leaf, batchId: stored.batchId, issuedAt: stored.issuedAt },
          });
          return { credentialId: stored.credentialId, batchId: stored.batchId };
        })
        .immediate();
    } catch (error: unknown) {
      throw toStoreError(error, row);
    }
  }

  /**
   * Stores many credentials with reused statements and one audit entry per transaction
   * ({@link AUDIT_CREDENTIAL_ISSUE_BATCH}). Atomic: one transaction, and the first failure rolls back all and is thrown
   * with `details.index`. Not atomic: one transaction per chunk; a chunk with a bad row is rolled back and stored
   * again with a savepoint per row, so bad rows are reported and the rest are kept.
   */
  insertMany(rows: readonly NewCredential[], options: BulkInsertOptions): BulkInsertResult[] {
    const results: BulkInsertResult[] = [];
    if (options.atomic) {
      this.ctx.db.transaction(() => {
        const stored: StoredCredential[] = [];
        rows.forEach((row, index) => {
          try {
            const one = this.insertChecked(checkNew(row), options);
            stored.push(one);
            results.push({ index, ok: true, credentialId: one.credentialId, batchId: one.batchId });
          } catch (error: unknown) {
            const cause = toStoreError(error, row);
            throw new MicrocredError(cause.code, `Row ${index}: ${cause.message} Nothing was stored.`, {
              cause,
              details: { ...cause.details, index },
            });
          }
        });
        this.auditBatch(stored, options.actor);
      }).immediate();
      return results;
    }
    const chunk = Math.max(1, Math.trunc(options.chunkSize ?? 500));
    const one = this.ctx.db.transaction((row: NewCredential) => this.insertChecked(checkNew(row), options));
    for (let start = 0; start < rows.length; start += chunk) {
      const end = Math.min(rows.length, start + chunk);
      let stored: StoredCredential[] | undefined;
      try {
        // Most chunks have no bad row: stored without a savepoint per row (a savepoint cost about as much as the insert).
        stored = this.ctx.db.transaction(() => {
          const inserted = rows.slice(start, end).map((row) => this.insertChecked(checkNew(row), options));
          this.auditBatch(inserted, options.actor);
          return inserted;
        }).immediate();
      } catch {
        // A bad row rolled the whole chunk back: it is stored again below, row by row, so that only bad rows are left out.
      }
      if (stored !== undefined) {
        // Reported only once the commit has succeeded: a failed commit reports nothing twice and nothing it did not keep.
        stored.forEach((inserted, i) => results.push({ index: start + i, ok: true, credentialId: inserted.credentialId, batchId: inserted.batchId }));
        continue;
      }
      this.ctx.db.transaction(() => {
        const stored: StoredCredential[] = [];
        for (let index = start; index < end; index += 1) {
          const row = rows[index] as NewCredential;
          try {
            const inserted = one(row); // nested: a savepoint, so only this row rolls back
            stored.push(inserted);
            results.push({ index, ok: true, credentialId: inserted.credentialId, batchId: inserted.batchId });
          } catch (error: unknown) {
            const storeError = toStoreError(error, row);
            results.push({ index, ok: false, credentialId: row.id, code: storeError.code, message: storeError.message });
          }
        }
        this.auditBatch(stored, options.actor);
      }).immediate();
    }
    return results;
  }

  /** The one audit entry of a bulk transaction: who stored which credentials (ids in order), in which anchoring batches. */
  private auditBatch(stored: readonly StoredCredential[], actor: string): void {
    if (stored.length === 0) return;
    const distinct = <T>(pick: (s: StoredCredential) => T): T[] => [...new Set(stored.map(pick))];
    this.audit.append({
      actor,
      action: AUDIT_CREDENTIAL_ISSUE_BATCH,
      subject: null,
      details: {
        count: stored.length,
        formats: distinct((s) => s.format),
        moduleIds: distinct((s) => s.moduleId),
        batchIds: distinct((s) => s.batchId),
        firstIssuedAt: stored[0]?.issuedAt,
        lastIssuedAt: stored[stored.length - 1]?.issuedAt,
        credentialIds: stored.map((s) => s.credentialId),
      },
    });
  }

  /** The credential with its batch state, or null. */
  get(id: string): CredentialRow | null {
    const row = this.byId.get(id);
    return row === undefined ? null : toCredential(row);
  }

  /** The credential, or ERR_CREDENTIAL_NOT_FOUND. */
  require(id: string): CredentialRow {
    const row = this.get(id);
    if (row === null) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${id}.`, { details: { credentialId: id } });
    return row;
  }

  /** Credentials matching the filters, one page at a time (keyset on insertion order, stable under inserts). */
  list(query: CredentialQuery = {}): Page<CredentialRow> {
    const limit = pageSize(query.limit);
    const desc = query.order !== 'asc';
    const after = decodeCursor(desc ? 'cd' : 'ca', query.cursor);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (query.moduleId !== undefined) add('c.module_id = ?', query.moduleId);
    if (query.learnerId !== undefined) add('c.learner_id = ?', query.learnerId);
    if (query.learnerRef !== undefined) add('c.learner_ref = ?', query.learnerRef);
    if (query.status !== undefined) add('c.status = ?', query.status);
    if (query.batchId !== undefined) add('c.batch_id = ?', query.batchId);
    if (query.issuedFrom !== undefined) add('c.issued_at >= ?', query.issuedFrom.toISOString());
    if (query.issuedTo !== undefined) add('c.issued_at < ?', query.issuedTo.toISOString());
    if (after !== null) add(desc ? 'c.seq < ?' : 'c.seq > ?', after);
    const sql = `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.seq ${desc ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.ctx.db.prepare<unknown[], CredentialDbRow>(sql).all(...params, limit + 1);
    const items = rows.slice(0, limit).map(toCredential);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(desc ? 'cd' : 'ca', last.seq) : null };
  }

  /** Sets the issuer-side status; only called by status changes, inside their transaction. */
  setStatus(id: string, status: CredentialStatus): void {
    this.ctx.db.prepare('UPDATE credentials SET status = ? WHERE id = ?').run(status, id);
  }

  /** Inserts a checked row into the open batch; the caller writes its audit entry in the same transaction. */
  private insertChecked(row: NewCredential, options: InsertOptions): StoredCredential {
    const batchId = this.batches.acceptingBatchId();
    const issuedAt = (row.issuedAt ?? this.ctx.now()).toISOString();
    this.insertRow.run(row.id, row.format, row.document, row.leaf, row.moduleId, row.learnerRef, row.learnerId ?? null, issuedAt, batchId);
    this.batches.countLeaf(batchId, options.maxLeaves ?? null);
    return { credentialId: row.id, batchId, format: row.format, moduleId: row.moduleId, issuedAt };
  }
}

/** What an insert stored, for its audit entry. */
interface StoredCredential extends InsertedCredential {
  format: CredentialFormat;
  moduleId: string;
  issuedAt: string;
}

/** Maps a failure while storing `row` to a MicrocredError with a stable code. */
function toStoreError(error: unknown, row: NewCredential): MicrocredError {
  if (error instanceof MicrocredError) return error;
  if (isUniqueViolation(error)) {
    return new MicrocredError('ERR_CREDENTIAL_EXISTS', `A credential with this id or leaf is already stored (${row.id}); a retry must not issue twice.`, {
      cause: error,
      details: { credentialId: row.id },
    });
  }
  if ((error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new MicrocredError('ERR_LEARNER_NOT_FOUND', `learnerId of ${row.id} names no learner row; create the learner first.`, {
      cause: error,
      details: { field: 'learnerId', credentialId: row.id },
    });
  }
  return new MicrocredError('ERR_STORE_WRITE', `Could not store credential ${row.id}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
    details: { credentialId: row.id },
  });
}

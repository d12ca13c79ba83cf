// The anchoring outbox's table: batches move open → sealed → submitted → anchored, each step written before it is taken.
import { MicrocredError } from '../errors';
import { decodeCursor, encodeCursor, nowIso, pageSize, type StoreContext } from './context';
import type { BatchRow, BatchState, Page, SealedBatch } from './types';

interface BatchDbRow {
  id: number;
  state: BatchState;
  root: string | null;
  leaf_count: number;
  opened_at: string;
  closed_at: string | null;
  sealed_at: string | null;
  tx_hash: string | null;
  tx_nonce: number | null;
  submitted_at: string | null;
  block_number: number | null;
  anchored_at: string | null;
  attempts: number;
  last_error: string | null;
}

/** Converts a database row to the public shape. */
function toBatch(row: BatchDbRow): BatchRow {
  return {
    id: row.id,
    state: row.state,
    root: row.root,
    leafCount: row.leaf_count,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    sealedAt: row.sealed_at,
    txHash: row.tx_hash,
    txNonce: row.tx_nonce,
    submittedAt: row.submitted_at,
    blockNumber: row.block_number,
    anchoredAt: row.anchored_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/** Computes a batch's Merkle root from its leaves in order; injected so the store stays free of tree code. */
export type ComputeRoot = (leaves: string[]) => string;

/** When an open batch is due for sealing. */
export interface SealPolicy {
  /** Seal once a batch holds this many leaves. */
  maxLeaves: number;
  /** Seal once the batch's first leaf is this old. */
  maxAgeMs: number;
  computeRoot: ComputeRoot;
}

const ROOT_PATTERN = /^0x[0-9a-f]{64}$/;

/** Batch rows and their transitions; every method that writes runs in its own (or the caller's) transaction. */
export class Batches {
  private readonly byId;
  private readonly accepting;
  private readonly openNew;
  private readonly addLeaf;
  private readonly leaves;
  private readonly credentialLeaves;

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.byId = db.prepare<[number], BatchDbRow>('SELECT * FROM batches WHERE id = ?');
    this.accepting = db.prepare<[], BatchDbRow>("SELECT * FROM batches WHERE state = 'open' AND closed_at IS NULL");
    this.openNew = db.prepare<[string]>("INSERT INTO batches (state, opened_at) VALUES ('open', ?)");
    // Counting and closing in one statement keeps leaf_count and the full flag consistent.
    this.addLeaf = db.prepare<{ max: number | null; at: string; id: number }>(
      `UPDATE batches SET leaf_count = leaf_count + 1,
         closed_at = CASE WHEN @max IS NOT NULL AND leaf_count + 1 >= @max THEN @at ELSE closed_at END
       WHERE id = @id`,
    );
    this.leaves = db.prepare<[number], string>('SELECT leaf FROM credentials WHERE batch_id = ? ORDER BY seq').pluck();
    this.credentialLeaves = db.prepare<[number], { id: string; leaf: string }>('SELECT id, leaf FROM credentials WHERE batch_id = ? ORDER BY seq');
  }

  /** The batch, or null. */
  get(batchId: number): BatchRow | null {
    const row = this.byId.get(batchId);
    return row === undefined ? null : toBatch(row);
  }

  /** The batch, or ERR_BATCH_NOT_FOUND. */
  require(batchId: number): BatchRow {
    const row = this.get(batchId);
    if (row === null) throw new MicrocredError('ERR_BATCH_NOT_FOUND', `No batch ${batchId}.`, { details: { batchId } });
    return row;
  }

  /** Id of the batch taking leaves, creating it when there is none; only call inside a write transaction. */
  acceptingBatchId(): number {
    const open = this.accepting.get();
    if (open !== undefined) return open.id;
    return Number(this.openNew.run(nowIso(this.ctx)).lastInsertRowid);
  }

  /** Counts one more leaf in the batch, closing it to new leaves when it reaches `maxLeaves`; inside a transaction. */
  countLeaf(batchId: number, maxLeaves: number | null): void {
    this.addLeaf.run({ max: maxLeaves, at: nowIso(this.ctx), id: batchId });
  }

  /** The batch's leaves in tree order (the order they were stored). */
  leavesOf(batchId: number): string[] {
    return this.leaves.all(batchId);
  }

  /** Each credential id of the batch with its leaf, in tree order (without loading the signed documents). */
  credentialLeavesOf(batchId: number): { id: string; leaf: string }[] {
    return this.credentialLeaves.all(batchId);
  }

  /** Seals an open batch: freezes its leaves and records the root computed from them, in one transaction. */
  seal(batchId: number, computeRoot: ComputeRoot): SealedBatch {
    return this.ctx.db.transaction((): SealedBatch => {
      const batch = this.require(batchId);
      this.expectState(batch, ['open']);
      const leaves = this.leavesOf(batchId);
      if (leaves.length === 0) {
        throw new MicrocredError('ERR_BATCH_EMPTY', `Batch ${batchId} has no leaves to seal.`, { details: { batchId } });
      }
      const root = computeRoot(leaves).toLowerCase();
      if (!ROOT_PATTERN.test(root)) {
        throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'computeRoot must return 0x and 64 hex digits.', { details: { field: 'root' } });
      }
      const at = nowIso(this.ctx);
      this.ctx.db
        .prepare("UPDATE batches SET state = 'sealed', root = ?, leaf_count = ?, sealed_at = ?, closed_at = coalesce(closed_at, ?) WHERE id = ?")
        .run(root, leaves.length, at, at, batchId);
      return { batch: this.require(batchId), leaves };
    }).immediate();
  }

  /**
   * Seals the oldest open batch that is due (full, or its first leaf older than maxAgeMs) and returns it, or null
   * when none is due. Call again until it returns null: a large import can leave several full batches.
   */
  sealIfDue(policy: SealPolicy): SealedBatch | null {
    return this.ctx.db.transaction((): SealedBatch | null => {
      const cutoff = new Date(this.ctx.now().getTime() - policy.maxAgeMs).toISOString();
      const due = this.ctx.db
        .prepare<[number, string], { id: number }>(
          `SELECT id FROM batches WHERE state = 'open' AND leaf_count > 0
             AND (closed_at IS NOT NULL OR leaf_count >= ? OR opened_at <= ?) ORDER BY id LIMIT 1`,
        )
        .get(policy.maxLeaves, cutoff);
      return due === undefined ? null : this.seal(due.id, policy.computeRoot);
    }).immediate();
  }

  /** Records the transaction about to be (or just) broadcast: sealed/submitted → submitted, attempts + 1. */
  markSubmitted(batchId: number, tx: { txHash: string; nonce: number }): BatchRow {
    return this.ctx.db.transaction((): BatchRow => {
      this.expectState(this.require(batchId), ['sealed', 'submitted']);
      this.ctx.db
        .prepare("UPDATE batches SET state = 'submitted', tx_hash = ?, tx_nonce = ?, submitted_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?")
        .run(tx.txHash, tx.nonce, nowIso(this.ctx), batchId);
      return this.require(batchId);
    }).immediate();
  }

  /**
   * Records the mined anchor; with `proofs` (credential id → anchor proof JSON) they are stored in the same
   * transaction, so no anchored batch is ever left without proofs. Marking an anchored batch again changes nothing.
   */
  markAnchored(batchId: number, receipt: { blockNumber: number; anchoredAt: Date; txHash: string }, proofs?: ReadonlyMap<string, string>): BatchRow {
    return this.ctx.db.transaction((): BatchRow => {
      const batch = this.require(batchId);
      if (batch.state === 'anchored') return batch;
      this.expectState(batch, ['sealed', 'submitted', 'failed']);
      this.ctx.db
        .prepare("UPDATE batches SET state = 'anchored', tx_hash = ?, block_number = ?, anchored_at = ?, last_error = NULL WHERE id = ?")
        .run(receipt.txHash, receipt.blockNumber, receipt.anchoredAt.toISOString(), batchId);
      if (proofs !== undefined) this.writeProofs(batchId, proofs);
      return this.require(batchId);
    }).immediate();
  }

  /** Stores anchor proofs of an anchored batch's credentials, all or none; every id must belong to the batch. */
  setAnchorProofs(batchId: number, proofs: ReadonlyMap<string, string>): void {
    this.ctx.db.transaction(() => {
      this.expectState(this.require(batchId), ['anchored']);
      this.writeProofs(batchId, proofs);
    }).immediate();
  }

  /** Records a failed attempt (RPC error) without changing the state, for backoff and diagnosis. */
  noteError(batchId: number, message: string): BatchRow {
    this.require(batchId);
    this.ctx.db.prepare('UPDATE batches SET last_error = ? WHERE id = ?').run(message.slice(0, 2000), batchId);
    return this.require(batchId);
  }

  /** Parks a batch that cannot be anchored without an operator (for example the issuer is not accredited). */
  markFailed(batchId: number, message: string): BatchRow {
    return this.ctx.db.transaction((): BatchRow => {
      this.expectState(this.require(batchId), ['sealed', 'submitted']);
      this.ctx.db.prepare("UPDATE batches SET state = 'failed', last_error = ? WHERE id = ?").run(message.slice(0, 2000), batchId);
      return this.require(batchId);
    }).immediate();
  }

  /** Puts a failed or anchored batch back to sealed (retry, or re-anchoring on a fresh development chain). */
  requeue(batchId: number): BatchRow {
    return this.ctx.db.transaction((): BatchRow => {
      this.expectState(this.require(batchId), ['failed', 'anchored', 'submitted']);
      this.ctx.db
        .prepare("UPDATE batches SET state = 'sealed', tx_hash = NULL, tx_nonce = NULL, submitted_at = NULL, block_number = NULL, anchored_at = NULL WHERE id = ?")
        .run(batchId);
      return this.require(batchId);
    }).immediate();
  }

  /** Puts every submitted or anchored batch back to sealed; returns how many. For a development chain that started empty. */
  requeueAll(): number {
    return this.ctx.db
      .prepare("UPDATE batches SET state = 'sealed', tx_hash = NULL, tx_nonce = NULL, submitted_at = NULL, block_number = NULL, anchored_at = NULL WHERE state IN ('submitted', 'anchored')")
      .run().changes;
  }

  /** Batches the outbox must still drive to the chain after a restart: sealed and submitted, oldest first. */
  unfinished(): BatchRow[] {
    return this.ctx.db
      .prepare<[], BatchDbRow>("SELECT * FROM batches WHERE state IN ('sealed', 'submitted') ORDER BY id")
      .all()
      .map(toBatch);
  }

  /** Every batch in a state, or all, newest first, paginated. */
  list(filter: { state?: BatchState; limit?: number; cursor?: string | null } = {}): Page<BatchRow> {
    const limit = pageSize(filter.limit);
    const after = decodeCursor('batch', filter.cursor);
    const rows = this.ctx.db
      .prepare<{ state: string | null; after: number | null; limit: number }, BatchDbRow>(
        'SELECT * FROM batches WHERE (@state IS NULL OR state = @state) AND (@after IS NULL OR id < @after) ORDER BY id DESC LIMIT @limit',
      )
      .all({ state: filter.state ?? null, after, limit: limit + 1 });
    const items = rows.slice(0, limit).map(toBatch);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor('batch', last.id) : null };
  }

  private writeProofs(batchId: number, proofs: ReadonlyMap<string, string>): void {
    const update = this.ctx.db.prepare('UPDATE credentials SET anchor_proof = ? WHERE id = ? AND batch_id = ?');
    for (const [credentialId, proof] of proofs) {
      if (update.run(proof, credentialId, batchId).changes !== 1) {
        throw new MicrocredError('ERR_CREDENTIAL_NOT_IN_BATCH', `Credential ${credentialId} is not in batch ${batchId}.`, {
          details: { batchId, credentialId },
        });
      }
    }
  }

  private expectState(batch: BatchRow, allowed: readonly BatchState[]): void {
    if (!allowed.includes(batch.state)) {
      throw new MicrocredError(
        'ERR_BATCH_STATE',
        `Batch ${batch.id} is ${batch.state}; this step needs it to be ${allowed.join(' or ')}.`,
        { details: { batchId: batch.id, state: batch.state, expected: allowed } },
      );
    }
  }
}

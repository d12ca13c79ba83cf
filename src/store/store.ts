// The issuer's system of record: one SQLite connection and typed, atomic operations for the services built on it.
import type Database from 'better-sqlite3';
import { MicrocredError } from '../errors';
import { AuditLog, type AuditInput, type AuditQuery } from './audit';
import { backupDatabase, type BackupOptions, type BackupResult } from './backup';
import { Batches, type ComputeRoot, type SealPolicy } from './batches';
import type { StoreContext } from './context';
import { DeliveryJobs, type DeliveryJobQuery } from './delivery-jobs';
import { Credentials, type BulkInsertOptions, type BulkInsertResult, type CredentialQuery, type InsertOptions } from './credentials';
import { assertUsableSecret, decrypt, encrypt } from './crypto';
import { IdempotencyKeys, type IdempotentOutcome, type IdempotentResponse, type ReplayBody } from './idempotency';
import { IssuerKeys, type NewIssuerKey } from './issuer-keys';
import { Learners, type LearnerInput } from './learners';
import { migrate, type MigrationResult } from './migrations';
import { Oid4vciOffers } from './oid4vci-offers';
import { Modules } from './modules';
import { openDatabase, type SyncMode } from './sqlite';
import { StatusChanges, type StatusChangeInput } from './status-changes';
import { StatusLists } from './status-lists';
import { ShareLinks } from './share-links';
import { ApiTokens } from './tokens';
import type {
  ApiTokenRow,
  AuditEntry,
  BatchRow,
  BatchState,
  CredentialRow,
  DeliveryChannel,
  DeliveryJobRow,
  InsertedCredential,
  IssuerKeyRow,
  IssuerKeyWithPrivate,
  LearnerRow,
  NewCredential,
  Page,
  SealedBatch,
  ShareLinkRow,
  StatusChangeRow,
  TokenScope,
} from './types';

/** Options for opening the store. */
export interface OpenStoreOptions {
  /** The database file (its folder is created with mode 0700 when missing). */
  path: string;
  /** The data-folder secret that encrypts issuer private keys; needed only for key operations. */
  secret?: string;
  now?: () => Date;
  /** Default FULL: an acknowledged credential survives power loss, not just a killed process. */
  synchronous?: SyncMode;
  busyTimeoutMs?: number;
  /** Create the database when missing (default true). */
  create?: boolean;
  /** Lease of an Idempotency-Key claim before a retry may take it over. */
  idempotencyLeaseMs?: number;
}

const SECRET_CHECK_KEY = 'secret_check';
const SECRET_CHECK_AAD = 'microcred:secret-check';

/** Opens (creating and migrating as needed) the issuer store; ERR_DB_NEWER_THAN_CODE, ERR_KEY_DECRYPT on a wrong secret. */
export function openStore(options: OpenStoreOptions): Store {
  const now = options.now ?? ((): Date => new Date());
  if (options.secret !== undefined) assertUsableSecret(options.secret);
  const db = openDatabase(options.path, {
    create: options.create ?? true,
    synchronous: options.synchronous ?? 'FULL',
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
  });
  try {
    const migration = migrate(db, now);
    if (options.secret !== undefined) checkSecret(db, options.secret);
    return new Store({ db, now }, options, migration);
  } catch (error: unknown) {
    db.close();
    throw error;
  }
}

/**
 * Fails fast with ERR_KEY_DECRYPT when the secret is not the one this folder was set up with, by decrypting an encrypted
 * check value written the first time a secret was given; otherwise signing would fail only at first issuance.
 */
function checkSecret(db: Database.Database, secret: string): void {
  const stored = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(SECRET_CHECK_KEY);
  if (stored !== undefined) {
    decrypt(stored, secret, { aad: SECRET_CHECK_AAD });
    return;
  }
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(SECRET_CHECK_KEY, encrypt('microcred', secret, { aad: SECRET_CHECK_AAD }));
}

/** Typed access to the issuer database. Every write method is one transaction; nest them with `transaction`. */
export class Store {
  /** The raw connection, for health checks and tests; prefer the typed methods. */
  readonly db: Database.Database;
  /** The file this store was opened on. */
  readonly path: string;
  /** What opening the store migrated. */
  readonly migration: MigrationResult;
  private readonly ctx: StoreContext;
  private readonly audit: AuditLog;
  private readonly batches: Batches;
  private readonly credentials: Credentials;
  private readonly learners: Learners;
  private readonly tokens: ApiTokens;
  private readonly idempotency: IdempotencyKeys;
  private readonly statusChanges: StatusChanges;
  private readonly keys: IssuerKeys;
  private readonly deliveryJobs: DeliveryJobs;
  private readonly shareLinks: ShareLinks;
  /** Bitstring Status Lists: slots drawn at issuance, bits flipped by requestStatusChange in its transaction. */
  readonly statusLists: StatusLists;
  /** OID4VCI offers (pre-authorized codes, access tokens, deferred transactions) and proof nonces, kept as hashes. */
  readonly offers: Oid4vciOffers;
  /** The module catalog: modules and their versions, images and endorsements (each write audited). */
  readonly modules: Modules;

  constructor(ctx: StoreContext, options: OpenStoreOptions, migration: MigrationResult) {
    this.ctx = ctx;
    this.db = ctx.db;
    this.path = options.path;
    this.migration = migration;
    this.audit = new AuditLog(ctx);
    this.batches = new Batches(ctx);
    this.credentials = new Credentials(ctx, this.batches, this.audit);
    this.learners = new Learners(ctx, this.audit);
    this.tokens = new ApiTokens(ctx, this.audit);
    this.idempotency = new IdempotencyKeys(ctx, options.idempotencyLeaseMs);
    this.statusLists = new StatusLists(ctx);
    this.offers = new Oid4vciOffers(ctx, this.audit);
    this.modules = new Modules(ctx, this.audit);
    this.statusChanges = new StatusChanges(ctx, this.credentials, this.audit, this.statusLists);
    this.keys = new IssuerKeys(ctx, this.audit, options.secret);
    this.deliveryJobs = new DeliveryJobs(ctx);
    this.shareLinks = new ShareLinks(ctx, this.audit);
  }

  // ---- transactions and lifecycle -------------------------------------------------------------------------

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE, so it never fails half-way on a lock upgrade); store
   * methods called inside join it as savepoints. `fn` must be synchronous: an await would commit too early.
   */
  transaction<T>(fn: () => T): T {
    return this.ctx.db.transaction((): T => {
      const result = fn();
      if (typeof (result as { then?: unknown } | null)?.then === 'function') {
        throw new MicrocredError('ERR_STORE_ASYNC_TRANSACTION', 'Store.transaction needs a synchronous function; do async work before it.');
      }
      return result;
    }).immediate();
  }

  /** True when the database answers a cheap read (for /healthz; a full integrity check would scan every page). */
  healthy(): boolean {
    try {
      return this.ctx.db.open && typeof this.ctx.db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() === 'number';
    } catch {
      return false;
    }
  }

  /** Online backup to `file` (see backupDatabase). */
  backup(file: string, options: BackupOptions = {}): Promise<BackupResult> {
    return backupDatabase(this.ctx.db, file, options);
  }

  /** Closes the connection; the store cannot be used afterwards. */
  close(): void {
    if (this.ctx.db.open) this.ctx.db.close();
  }

  // ---- credentials and the anchoring outbox ---------------------------------------------------------------

  /** Stores one credential and attaches its leaf to the open batch (creating one), atomically, with an audit entry. */
  insertCredentialIntoOpenBatch(row: NewCredential, options: InsertOptions): InsertedCredential {
    return this.credentials.insertIntoOpenBatch(row, options);
  }

  /** Stores many credentials fast (reused statements, one transaction per chunk); `atomic` = all or none. */
  insertCredentials(rows: readonly NewCredential[], options: BulkInsertOptions): BulkInsertResult[] {
    return this.credentials.insertMany(rows, options);
  }

  /** One credential with its batch state, or null. */
  getCredential(id: string): CredentialRow | null {
    return this.credentials.get(id);
  }

  /** Credentials filtered by module, learner, status, batch or issue date, one page at a time. */
  listCredentials(query: CredentialQuery = {}): Page<CredentialRow> {
    return this.credentials.list(query);
  }

  /** Seals the oldest due open batch with the root `policy.computeRoot` gives, or returns null; call until null. */
  sealBatchIfDue(policy: SealPolicy): SealedBatch | null {
    return this.batches.sealIfDue(policy);
  }

  /** Seals an open batch now (e.g. `microcred anchor`), with the root computed from its ordered leaves. */
  sealBatch(batchId: number, computeRoot: ComputeRoot): SealedBatch {
    return this.batches.seal(batchId, computeRoot);
  }

  /** The batch taking new leaves, or null when none is open. */
  openBatch(): BatchRow | null {
    const row = this.ctx.db.prepare<[], { id: number }>("SELECT id FROM batches WHERE state = 'open' AND closed_at IS NULL").get();
    return row === undefined ? null : this.batches.get(row.id);
  }

  /** Records the anchor transaction before (or as) it is broadcast: sealed/submitted → submitted. */
  markSubmitted(batchId: number, tx: { txHash: string; nonce: number }): BatchRow {
    return this.batches.markSubmitted(batchId, tx);
  }

  /**
   * Records the mined anchor (idempotent); with `proofs` the anchor proofs are stored in the same transaction, and with
   * `deliveries` one delivery job per credential and channel is added in it too (none twice: see enqueueForBatch).
   */
  markAnchored(
    batchId: number,
    receipt: { blockNumber: number; anchoredAt: Date; txHash: string },
    proofs?: ReadonlyMap<string, string>,
    deliveries: readonly DeliveryChannel[] = [],
  ): BatchRow {
    return this.transaction(() => {
      const batch = this.batches.markAnchored(batchId, receipt, proofs);
      if (deliveries.length > 0) this.deliveryJobs.enqueueForBatch(batchId, deliveries);
      return batch;
    });
  }

  /** Stores anchor proof JSON per credential id of an anchored batch, all or none. */
  setAnchorProofs(batchId: number, proofs: ReadonlyMap<string, string>): void {
    this.batches.setAnchorProofs(batchId, proofs);
  }

  /** Records an RPC error on a batch (state unchanged) for backoff and diagnosis. */
  noteBatchError(batchId: number, message: string): BatchRow {
    return this.batches.noteError(batchId, message);
  }

  /** Parks a batch for an operator: sealed/submitted → failed. */
  markBatchFailed(batchId: number, message: string): BatchRow {
    return this.batches.markFailed(batchId, message);
  }

  /** failed/submitted/anchored → sealed, clearing the transaction (retry, or re-anchor on a fresh dev chain). */
  requeueBatch(batchId: number): BatchRow {
    return this.batches.requeue(batchId);
  }

  /**
   * For a development chain that started empty: every submitted or anchored batch back to sealed and every carried
   * status change back to pending, in one transaction, so the outbox anchors the same roots and replays the same
   * changes in their original order. Never use it against a chain that keeps its state.
   */
  requeueForFreshChain(actor: string): { batches: number; statusChanges: number } {
    return this.transaction(() => {
      const counts = { batches: this.batches.requeueAll(), statusChanges: this.statusChanges.requeueAll() };
      this.audit.append({ actor, action: 'chain.replay', details: counts });
      return counts;
    });
  }

  /** Sealed and submitted batches, oldest first: what the outbox reconciles after a restart. */
  unfinishedBatches(): BatchRow[] {
    return this.batches.unfinished();
  }

  /** A batch's leaves in tree order. */
  leavesOf(batchId: number): string[] {
    return this.batches.leavesOf(batchId);
  }

  /** Each credential id of the batch with its leaf, in tree order. */
  credentialLeavesOf(batchId: number): { id: string; leaf: string }[] {
    return this.batches.credentialLeavesOf(batchId);
  }

  /** One batch, or null. */
  getBatch(batchId: number): BatchRow | null {
    return this.batches.get(batchId);
  }

  /** Batches newest first, optionally in one state, paginated. */
  listBatches(filter: { state?: BatchState; limit?: number; cursor?: string | null } = {}): Page<BatchRow> {
    return this.batches.list(filter);
  }

  // ---- share links ----------------------------------------------------------------------------------------

  /** The credential's share link, made (enabled, 128 random bits) on first use; ERR_CREDENTIAL_NOT_FOUND. */
  shareLinkOf(credentialId: string, actor: string): ShareLinkRow {
    return this.shareLinks.linkOf(credentialId, actor);
  }

  /** Disables (false) or re-enables (true) the credential's share link, making it first when needed; audited. */
  setShareLinkEnabled(credentialId: string, enabled: boolean, actor: string): ShareLinkRow {
    return this.shareLinks.setEnabled(credentialId, enabled, actor);
  }

  /** The share link with this id, enabled or not, or null (a malformed id included). */
  findShareLink(shareId: string): ShareLinkRow | null {
    return this.shareLinks.find(shareId);
  }

  // ---- status changes -------------------------------------------------------------------------------------

  /** Records revoke/suspend/reinstate, sets the credential's status and its status-list bits and audits it, in one transaction. */
  requestStatusChange(input: StatusChangeInput): StatusChangeRow {
    return this.statusChanges.request(input);
  }

  /** Records the transaction carrying a status change. */
  markStatusChangeSubmitted(id: number, tx: { txHash: string; nonce: number }): StatusChangeRow {
    return this.statusChanges.markSubmitted(id, tx);
  }

  /** Records that the chain reflects a status change (idempotent). */
  markStatusChangeDone(id: number, receipt: { txHash: string; blockNumber: number }): StatusChangeRow {
    return this.statusChanges.markDone(id, receipt);
  }

  /** Records an error on a status change; `final` parks it as failed. */
  noteStatusChangeError(id: number, message: string, final = false): StatusChangeRow {
    return this.statusChanges.noteError(id, message, final);
  }

  /** The newest status changes recorded as done, newest first. */
  recentDoneStatusChanges(limit: number): StatusChangeRow[] {
    return this.statusChanges.recentDone(limit);
  }

  /** done → pending for a change the chain lost in a reorganisation, so the outbox carries it again. */
  requeueStatusChange(id: number): StatusChangeRow {
    return this.statusChanges.requeue(id);
  }

  /** Pending and submitted status changes in request order, each with its leaf and batch. */
  unfinishedStatusChanges(): StatusChangeRow[] {
    return this.statusChanges.unfinished();
  }

  /** The status history of one credential. */
  statusChangesOf(credentialId: string): StatusChangeRow[] {
    return this.statusChanges.of(credentialId);
  }

  // ---- the delivery outbox --------------------------------------------------------------------------------

  /** Adds the delivery jobs of an anchored batch's credentials (none twice); markAnchored does this in its transaction. */
  enqueueDeliveries(batchId: number, channels: readonly DeliveryChannel[]): number {
    return this.deliveryJobs.enqueueForBatch(batchId, channels);
  }

  /** One delivery job, or ERR_DELIVERY_JOB_NOT_FOUND. */
  getDeliveryJob(id: number): DeliveryJobRow {
    return this.deliveryJobs.require(id);
  }

  /** Pending delivery jobs whose next try is due, oldest first. */
  dueDeliveryJobs(limit: number): DeliveryJobRow[] {
    return this.deliveryJobs.due(limit);
  }

  /** When the next pending delivery job is due (ISO time), or null. */
  nextDeliveryDue(): string | null {
    return this.deliveryJobs.nextDue();
  }

  /** pending → sending before a send; null when the job is no longer pending. */
  markDeliverySending(id: number): DeliveryJobRow | null {
    return this.deliveryJobs.markSending(id);
  }

  /** sending → sent, right after the send. */
  markDeliverySent(id: number): DeliveryJobRow {
    return this.deliveryJobs.markSent(id);
  }

  /** A failed send: back to pending until `retryAt`, or failed when `retryAt` is null. */
  markDeliveryAttemptFailed(id: number, message: string, retryAt: Date | null): DeliveryJobRow {
    return this.deliveryJobs.markAttemptFailed(id, message, retryAt);
  }

  /** Jobs left in `sending` by a process that stopped during a send. */
  deliveryJobsLeftSending(): DeliveryJobRow[] {
    return this.deliveryJobs.leftSending();
  }

  /** sending → pending (due now) for a send a crash interrupted. */
  resumeDeliverySending(id: number): DeliveryJobRow {
    return this.deliveryJobs.resumeSending(id);
  }

  /** failed → pending with a fresh count of tries, audited. */
  retryDeliveryJob(id: number, actor: string): DeliveryJobRow {
    return this.transaction(() => {
      const job = this.deliveryJobs.retry(id);
      this.audit.append({ actor, action: 'delivery.retry', subject: job.credentialId, details: { jobId: id, channel: job.channel } });
      return job;
    });
  }

  /** Every failed delivery job back to pending, audited; returns their ids. */
  retryFailedDeliveryJobs(actor: string): number[] {
    return this.transaction(() => {
      const ids = this.deliveryJobs.retryFailed();
      if (ids.length > 0) this.audit.append({ actor, action: 'delivery.retry', details: { jobIds: ids } });
      return ids;
    });
  }

  /** Delivery jobs newest first, filtered and paginated. */
  listDeliveryJobs(query: DeliveryJobQuery = {}): Page<DeliveryJobRow> {
    return this.deliveryJobs.list(query);
  }

  // ---- learners -------------------------------------------------------------------------------------------

  /** Finds a learner by email or external id, or creates one. */
  upsertLearner(input: LearnerInput): LearnerRow {
    return this.learners.upsert(input);
  }

  /** One learner, or null. */
  getLearner(id: string): LearnerRow | null {
    return this.learners.get(id);
  }

  /** The learner with this email (compared trimmed, lower case), or null. */
  findLearnerByEmail(email: string): LearnerRow | null {
    return this.learners.findByEmail(email);
  }

  /**
   * GDPR erasure: deletes the learner's PII, and wallet offers not yet redeemed that still hold their email; their
   * credentials stay stored, anchored and verifiable.
   */
  eraseLearner(learnerId: string, actor: string): { learnerId: string; credentialsKept: number } {
    return this.learners.erase(learnerId, actor, (learner) => {
      if (learner.email !== null) this.offers.dropPendingFor(learner.email, actor);
    });
  }

  // ---- API tokens and idempotency -------------------------------------------------------------------------

  /** Creates an API token; `token` is returned once and only its SHA-256 is stored. */
  createToken(name: string, scopes: readonly TokenScope[], actor: string): { id: string; token: string; row: ApiTokenRow } {
    return this.tokens.create(name, scopes, actor);
  }

  /** The live token's record, or null (unknown, malformed or revoked); compares hashes in constant time. */
  verifyToken(presented: string): ApiTokenRow | null {
    return this.tokens.verify(presented);
  }

  /** Revokes a token. */
  revokeToken(id: string, actor: string): ApiTokenRow {
    return this.tokens.revoke(id, actor);
  }

  /** Every token (without hashes). */
  listTokens(): ApiTokenRow[] {
    return this.tokens.list();
  }

  /** Runs `compute` at most once per (tokenId, key); `replay` rebuilds a retry's body from the stored record; see IdempotencyKeys.run. */
  withIdempotency<B>(
    key: string,
    tokenId: string,
    requestHash: string,
    compute: () => Promise<IdempotentOutcome<B>>,
    replay?: ReplayBody<B>,
  ): Promise<IdempotentResponse<B>> {
    return this.idempotency.run(key, tokenId, requestHash, compute, replay);
  }

  /** Releases Idempotency-Key claims left pending by a process that died mid-request; call once at server start. */
  releasePendingIdempotencyClaims(): number {
    return this.idempotency.releasePendingClaims();
  }

  /** Deletes completed idempotency records older than `before`. */
  pruneIdempotencyKeys(before: Date): number {
    return this.idempotency.prune(before);
  }

  // ---- issuer keys ----------------------------------------------------------------------------------------

  /** Stores an issuer key with its private part encrypted (needs the secret); activating retires the previous key. */
  addIssuerKey(key: NewIssuerKey, actor: string): IssuerKeyRow {
    return this.keys.add(key, actor);
  }

  /** Public records of issuer keys, including retired ones. */
  listIssuerKeys(controller?: string): IssuerKeyRow[] {
    return this.keys.list(controller);
  }

  /** The active signing key with its decrypted private part, or null. */
  activeIssuerKey(filter: { controller?: string; algorithm?: string } = {}): IssuerKeyWithPrivate | null {
    return this.keys.active(filter);
  }

  /** A key by id or kid with its decrypted private part. */
  issuerKeyWithPrivate(idOrKid: string): IssuerKeyWithPrivate {
    return this.keys.withPrivateKey(idOrKid);
  }

  /** Stops signing with a key; it stays listed for verification. */
  retireIssuerKey(idOrKid: string, actor: string): IssuerKeyRow {
    return this.keys.retire(idOrKid, actor);
  }

  // ---- audit ----------------------------------------------------------------------------------------------

  /** Appends an audit entry (inside a surrounding transaction when there is one). */
  appendAudit(entry: AuditInput): number {
    return this.audit.append(entry);
  }

  /** Audit entries newest first, filtered and paginated. */
  queryAudit(query: AuditQuery = {}): Page<AuditEntry> {
    return this.audit.query(query);
  }
}

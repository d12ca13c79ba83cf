// The issuer service: completion records in, signed credentials stored with their leaf in the open batch out.
import { randomBytes, randomUUID as cryptoRandomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { credentialLeaf } from '../anchoring';
import { anchoredCredential, findAnchorProof } from '../anchoring';
import type { DocumentLoader } from '../contexts';
import { buildCredentialFromRecord, invalidRecord, parseCompletionRecord } from '../credential';
import type { AchievementExtras, CompletionRecord, OpenBadgeCredential } from '../credential';
import { learnerNameOf, type RecordIssue } from '../credential';
import { MicrocredError, isMicrocredError } from '../errors';
import type { IssuerKeyring } from '../signing';
import type { StatusAllocator } from '../status';
import type { CredentialQuery, IssuerServiceStore, StatusSlot } from '../store';
import type { CredentialFormat, CredentialRow, NewCredential, Page, StatusAction, StatusChangeRow } from '../store';
import { batchRejected, planBatch, type BatchPlan, type BatchRequest } from './batch-request';
import { acceptCallerCredential } from './caller-credential';
import { anchorStateOf, credentialStateOf } from './credential-state';
import type { ModuleCatalog } from './catalog';
import type { JoseJob, JoseJobResult } from './jose-job';
import { learnerPiiOf, learnerRefOf } from './learner-of';
import { createLocalSigner, mapLimit, type CredentialSigner } from './signer';
import type {
  BatchOutcome,
  BatchRowInput,
  BatchRowResult,
  CredentialView,
  IssuedCredential,
  IssueManyOptions,
  IssueOptions,
  PreparedCredential,
} from './types';

/** Dependencies and settings of {@link createIssuerService}. */
export interface IssuerServiceOptions {
  store: IssuerServiceStore;
  issuer: IssuerKeyring;
  loader: DocumentLoader;
  now?: () => Date;
  randomUUID?: () => string;
  /** Salt of each credential's email hash (default 16 random bytes as hex); drawn once per credential, like its id. */
  randomSalt?: () => string;
  /** Batches close to new leaves at maxLeaves (the anchorer seals them). */
  batch?: { maxLeaves?: number };
  /** Default: in-process signing. A worker-pool signer with the same interface parallelises DI signing and VC-JOSE batches. */
  signer?: CredentialSigner;
  /** Gives every credential its Bitstring Status List entries (revocation, suspension); without it none are added. */
  status?: StatusAllocator;
  /** Told about an unexpected error that stopped a batch (the batch still answers per row); default: console.error. */
  onUnexpected?: (error: unknown) => void;
  /** The module catalog: records naming a `moduleId` are filled from it (without one, such records are refused). */
  catalog?: ModuleCatalog;
}

/** The issuer service (see docs/api.md for the HTTP form of each operation). */
export interface IssuerService {
  readonly issuer: IssuerKeyring;
  /** The module catalog, when the service has one. */
  readonly catalog: ModuleCatalog | undefined;
  /** Builds, signs and stores one credential. Throws ERR_INVALID_RECORD (details.issues) for a bad record. */
  issue(record: unknown, options: IssueOptions): Promise<IssuedCredential>;
  /** Builds and signs without storing (async part); pair with commit, e.g. inside Store.withIdempotency. */
  prepare(record: unknown, options: IssueOptions): Promise<PreparedCredential>;
  /** Signs a caller-supplied credential (VC-API) without storing it; ERR_INVALID_CREDENTIAL when it is not acceptable. */
  prepareCallerCredential(credential: unknown, options: IssueOptions): Promise<PreparedCredential>;
  /** Stores a prepared credential and its learner PII, synchronously (one transaction, or a savepoint inside one). */
  commit(prepared: PreparedCredential): IssuedCredential;
  /** Issues many rows; bad rows are reported by row and field; with `atomic` nothing is issued unless all rows are good. */
  issueMany(rows: readonly BatchRowInput[], options: IssueManyOptions): Promise<BatchOutcome>;
  /** Validates and signs every row (async part of an all-in-one batch); pair with commitMany. */
  prepareMany(rows: readonly BatchRowInput[], options: IssueManyOptions): Promise<PreparedBatch>;
  /** Stores a prepared batch synchronously. */
  commitMany(prepared: PreparedBatch): BatchOutcome;
  /** Reads a batch request into rows and options: which of body and query options win, the row cap, CSV or JSON. */
  planBatch(request: BatchRequest): BatchPlan;
  /** Issues a planned batch; ERR_BATCH_REJECTED when it is atomic and nothing was issued because of bad rows. */
  issueBatch(plan: BatchPlan): Promise<BatchOutcome>;
  /** Signs a planned batch for a later commitMany; ERR_BATCH_REJECTED (nothing stored) when it is atomic and a row is bad. */
  prepareBatch(plan: BatchPlan): Promise<PreparedBatch>;
  /** Records revoke/suspend/reinstate; the anchoring outbox carries it to the chain once the batch is anchored. */
  requestStatusChange(credentialId: string, action: StatusAction, reason: { reasonCode: string; reason?: string | null; actor: string }): StatusChangeRow;
  /** One credential with anchoring state and anchored form; ERR_CREDENTIAL_NOT_FOUND. */
  getCredentialWithAnchor(credentialId: string): CredentialView;
  /** Lists credentials; `learner` may be an email, a holder DID / salted hash, or a learner id. */
  listCredentials(query: ListQuery): Page<CredentialView>;
  /** Stops the signer's workers, if any. */
  close(): Promise<void>;
}

/** Filters of listCredentials. */
export interface ListQuery {
  module?: string;
  learner?: string;
  from?: Date;
  to?: Date;
  status?: CredentialRow['status'];
  batchId?: number;
  cursor?: string | null;
  limit?: number;
}

/** A batch after validation and signing, before storing. */
export interface PreparedBatch {
  atomic: boolean;
  /** Who asked, for the audit log of every row stored. */
  actor: string;
  total: number;
  /** Rows that were bad or failed to sign, already final. */
  rejected: BatchRowResult[];
  /** Rows ready to store, each with its row number. */
  ready: Array<{ row: number; prepared: PreparedCredential }>;
  /** An unexpected error stopped the batch: rows after it were not issued, and later chunks must not run. */
  halted?: boolean;
}

/** Code of a batch row stopped by an unexpected error (nothing was stored for it; see docs/security.md H1). */
export const ISSUE_FAILED = 'ERR_ISSUE_FAILED';

/** Rows checked (built without signing) between two turns of the event loop. */
const PRECHECK_ROWS_PER_TURN = 100;

/** A placeholder id for the precheck's build, whose credential is thrown away (the real id is drawn when it is signed). */
const PRECHECK_UUID = '00000000-0000-4000-8000-000000000000';

/**
 * Salts of 16 random bytes as hex, from one draw of the system's CSPRNG per 256 salts (as node:crypto's randomUUID
 * does): a draw per salt cost ~10 µs of the main thread per row of a batch.
 */
function bufferedRandomSalt(): () => string {
  const SALT_BYTES = 16;
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + SALT_BYTES > pool.length) {
      pool = randomBytes(SALT_BYTES * 256);
      at = 0;
    }
    const salt = pool.toString('hex', at, at + SALT_BYTES);
    at += SALT_BYTES;
    return salt;
  };
}

/** A settled row: its value, or the error that stopped it. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The error a failed VC-JOSE job stands for: invalid record (its issues), another stable code, or an unexpected one. */
function jobError(result: Exclude<JoseJobResult, { ok: true }>): Error {
  if ('unexpected' in result) return new Error(result.unexpected);
  if (result.issues !== undefined && result.code === 'ERR_INVALID_RECORD') return invalidRecord(result.issues);
  return new MicrocredError(result.code, result.message, result.issues === undefined ? {} : { details: { issues: result.issues } });
}

/** Default rows per sign-then-store step of a non-atomic batch. */
export const DEFAULT_ISSUE_CHUNK = 1000;

/** A record that passed the schema once (after the module catalog), with the catalog module's achievement fields. */
interface CheckedRecord {
  record: CompletionRecord;
  extras?: AchievementExtras;
}

function issuesOf(error: unknown): RecordIssue[] | null {
  if (!isMicrocredError(error, 'ERR_INVALID_RECORD') && !isMicrocredError(error, 'ERR_INVALID_CREDENTIAL')) return null;
  const issues = error.details.issues;
  return Array.isArray(issues) ? (issues as RecordIssue[]) : [{ field: '(record)', message: error.message }];
}

/** Builds the issuer service. Nothing here talks to the chain: issuance never waits on it. */
export function createIssuerService(options: IssuerServiceOptions): IssuerService {
  const { store, issuer, loader } = options;
  const now = options.now ?? ((): Date => new Date());
  const randomUUID = options.randomUUID ?? cryptoRandomUUID;
  const randomSalt = options.randomSalt ?? bufferedRandomSalt();
  // Rows of an atomic batch that its precheck validated: not validated again (keyed by the row object, so no caller can claim it).
  const validated = new WeakMap<BatchRowInput, CheckedRecord>();
  const maxLeaves = options.batch?.maxLeaves;
  const signer = options.signer ?? createLocalSigner({ keyring: issuer, loader, now });
  const insertOptions = (actor: string) => ({ actor, ...(maxLeaves === undefined ? {} : { maxLeaves }) });
  const onUnexpected = options.onUnexpected ?? ((error: unknown): void => console.error('microcred: a batch stopped on an unexpected error', error));

  async function secure(credential: Record<string, unknown>, format: CredentialFormat): Promise<{ document: string; credential: Record<string, unknown> | string }> {
    const document = await signer.sign(credential, format);
    return { document, credential: format === 'jose' ? document : (JSON.parse(document) as Record<string, unknown>) };
  }

  /** The credential with its status entries, from a slot drawn beforehand (batches) or drawn now. */
  function withStatus(credential: Record<string, unknown>, format: CredentialFormat, slot: StatusSlot | undefined): { credential: Record<string, unknown>; statusSlot?: StatusSlot } {
    if (options.status === undefined) return { credential };
    if (slot !== undefined) return { credential: options.status.attach(credential, slot), statusSlot: slot };
    const added = options.status.addStatusEntries(credential, format);
    return { credential: added.credential, statusSlot: added.slot };
  }

  /** The record with its module filled from the catalog when it names a moduleId (unchecked), and the module's extras. */
  function resolveModule(input: unknown): { record: unknown; extras?: AchievementExtras } {
    const resolved = options.catalog === undefined ? { record: input } : options.catalog.resolve(input);
    return 'extras' in resolved && resolved.extras !== undefined ? { record: resolved.record, extras: resolved.extras } : { record: resolved.record };
  }

  /** Resolves the catalog module and validates the record, once: ERR_INVALID_RECORD with one issue per field. */
  function validate(input: unknown): CheckedRecord {
    const { record, extras } = resolveModule(input);
    return { record: parseCompletionRecord(record), ...(extras === undefined ? {} : { extras }) };
  }

  /** Builds the credential of a checked record with the id and salt drawn for it. */
  function build(checked: CheckedRecord, uuid: string, salt: string): OpenBadgeCredential {
    const extras = checked.extras === undefined ? {} : { achievementExtras: checked.extras };
    return buildCredentialFromRecord({ record: checked.record, issuer: issuer.profile, now, randomUUID: () => uuid, randomSalt: () => salt, ...extras });
  }

  async function prepare(input: unknown, opts: IssueOptions, slot?: StatusSlot, checked?: CheckedRecord): Promise<PreparedCredential> {
    const format = opts.format ?? 'di';
    // Id and salt are drawn first, for every row, so the signing threads' path (which draws them here too) gives the same bytes.
    const uuid = randomUUID();
    const salt = randomSalt();
    const valid = checked ?? validate(input);
    const built = build(valid, uuid, salt);
    const learner = learnerPiiOf(valid.record);
    const { credential: unsigned, statusSlot } = withStatus(built, format, slot);
    const leaf = credentialLeaf(unsigned);
    const secured = await secure(unsigned, format);
    return {
      credentialId: built.id,
      format,
      ...secured,
      leaf,
      moduleId: built.credentialSubject.achievement.id,
      learnerRef: learnerRefOf(unsigned),
      learner,
      learnerName: learnerNameOf(built),
      actor: opts.actor,
      ...(statusSlot === undefined ? {} : { statusSlot }),
    };
  }

  async function prepareCallerCredential(input: unknown, opts: IssueOptions): Promise<PreparedCredential> {
    const format = opts.format ?? 'di';
    const accepted = acceptCallerCredential(input, issuer, now, randomUUID);
    const { credential: unsigned, statusSlot } = withStatus(accepted.credential, format, undefined);
    const leaf = credentialLeaf(unsigned);
    let secured;
    try {
      secured = await secure(unsigned, format);
    } catch (error) {
      if (isMicrocredError(error, 'ERR_SIGN_FAILED') || isMicrocredError(error, 'ERR_CONTEXT_NOT_BUNDLED')) {
        throw new MicrocredError('ERR_INVALID_CREDENTIAL', `The credential cannot be signed: ${error.message}`, {
          cause: error,
          details: { issues: [{ field: 'credential', message: error.message }] },
        });
      }
      throw error;
    }
    return {
      credentialId: accepted.credential.id as string,
      format,
      ...secured,
      leaf,
      moduleId: accepted.moduleId,
      learnerRef: accepted.learnerRef,
      learner: null,
      learnerName: learnerNameOf(accepted.credential),
      actor: opts.actor,
      ...(statusSlot === undefined ? {} : { statusSlot }),
    };
  }

  function toNewCredential(prepared: PreparedCredential): NewCredential {
    const learnerId = prepared.learner === null ? null : store.upsertLearner(prepared.learner).id;
    return { id: prepared.credentialId, format: prepared.format, document: prepared.document, leaf: prepared.leaf, moduleId: prepared.moduleId, learnerRef: prepared.learnerRef, learnerId };
  }

  function commit(prepared: PreparedCredential): IssuedCredential {
    const inserted = store.transaction(() => {
      const result = store.insertCredentialIntoOpenBatch(toNewCredential(prepared), insertOptions(prepared.actor));
      if (prepared.statusSlot !== undefined) options.status?.bind(prepared.statusSlot, prepared.credentialId);
      return result;
    });
    return { credentialId: prepared.credentialId, format: prepared.format, credential: prepared.credential, leaf: prepared.leaf, batchId: inserted.batchId };
  }

  async function prepareMany(rows: readonly BatchRowInput[], opts: IssueManyOptions): Promise<PreparedBatch> {
    const atomic = opts.atomic === true;
    const rejected: BatchRowResult[] = [];
    const candidates: BatchRowInput[] = [];
    for (const row of rows) {
      if (row.issues !== undefined && row.issues.length > 0) rejected.push({ row: row.row, status: 'invalid', errors: row.issues });
      else candidates.push(row);
    }
    // With atomic and a bad row already known, signing the rest would be wasted work.
    if (atomic && rejected.length > 0) {
      for (const { row } of candidates) rejected.push({ row, status: 'not_issued', reason: 'atomic batch rejected: another row is bad' });
      return { atomic, actor: opts.actor, total: rows.length, rejected, ready: [] };
    }
    const format = opts.format ?? 'di';
    // One transaction draws every row's status slot, rather than one commit per row.
    const slots = options.status?.reserve(format, candidates.length);
    signer.expect?.(candidates.length, format);
    const signed =
      format === 'jose' && signer.offloadsJose?.() === true
        ? await prepareJoseInThreads(candidates, opts, slots)
        : // Data Integrity signing runs on microtasks only: without a yield per row, a 3,000-row batch held the event loop
          // (and every /v1/verify on the same server) for seconds. One setImmediate per row costs microseconds.
          await mapLimit(candidates, Math.max(1, signer.concurrency * 2), async (row, i) => {
            const prepared = await prepare(row.input, opts, slots?.[i], validated.get(row));
            await yieldToEventLoop();
            return prepared;
          });
    const ready: PreparedBatch['ready'] = [];
    let halted = false;
    signed.forEach((result, i) => {
      const row = (candidates[i] as BatchRowInput).row;
      // After an unexpected error the batch stops: what is stored stays a prefix the answer lists row by row.
      if (halted) {
        rejected.push({ row, status: 'not_issued', reason: 'an earlier row failed unexpectedly; send this row again' });
        return;
      }
      if (result.ok) {
        ready.push({ row, prepared: result.value });
        return;
      }
      const issues = issuesOf(result.error);
      const rename = opts.fieldName ?? ((field: string): string => field);
      if (issues !== null) rejected.push({ row, status: 'invalid', errors: issues.map((i) => ({ field: rename(i.field), message: i.message })) });
      else if (isMicrocredError(result.error)) rejected.push({ row, status: 'failed', code: result.error.code, message: result.error.message });
      else {
        onUnexpected(result.error);
        halted = true;
        rejected.push({ row, status: 'failed', code: ISSUE_FAILED, message: 'This row could not be issued because of an internal error; nothing was stored for it. Send it again.' });
      }
    });
    return { atomic, actor: opts.actor, total: rows.length, rejected, ready, ...(halted ? { halted } : {}) };
  }

  /**
   * VC-JOSE rows validated, built, hashed and signed in the signing threads (see runJoseJob): this thread only resolves
   * catalog modules and draws ids, salts and status entries, in row order as prepare does, so the bytes are the same.
   */
  async function prepareJoseInThreads(candidates: readonly BatchRowInput[], opts: IssueManyOptions, slots: StatusSlot[] | undefined): Promise<Array<Settled<PreparedCredential>>> {
    const settled = new Array<Settled<PreparedCredential>>(candidates.length);
    const jobs: JoseJob[] = [];
    const rowOf: number[] = [];
    candidates.forEach((row, i) => {
      const uuid = randomUUID();
      const salt = randomSalt();
      try {
        const checked = validated.get(row);
        const { record, extras } = checked ?? resolveModule(row.input);
        const slot = slots?.[i];
        const statusEntries = slot === undefined ? undefined : options.status?.entriesOf(slot);
        jobs.push({ record, checked: checked !== undefined, uuid, salt, ...(extras === undefined ? {} : { extras }), ...(statusEntries === undefined ? {} : { statusEntries }) });
        rowOf.push(i);
      } catch (error) {
        settled[i] = { ok: false, error };
      }
    });
    const results = jobs.length === 0 ? [] : await (signer.issueJose as NonNullable<CredentialSigner['issueJose']>)(jobs, now());
    results.forEach((result, k) => {
      const i = rowOf[k] as number;
      const slot = slots?.[i];
      settled[i] = result.ok
        ? {
            ok: true,
            value: {
              credentialId: result.credentialId,
              format: 'jose',
              document: result.document,
              credential: result.document,
              leaf: result.leaf,
              moduleId: result.moduleId,
              learnerRef: result.learnerRef,
              learner: result.learner,
              learnerName: result.learnerName,
              actor: opts.actor,
              ...(slot === undefined ? {} : { statusSlot: slot }),
            },
          }
        : { ok: false, error: jobError(result) };
    });
    return settled;
  }

  function commitMany(batch: PreparedBatch): BatchOutcome {
    const results: BatchRowResult[] = [...batch.rejected];
    if (batch.atomic && batch.rejected.length > 0) {
      for (const { row } of batch.ready) results.push({ row, status: 'not_issued', reason: 'atomic batch rejected: another row is bad' });
      return finish(batch.atomic, results);
    }
    const { actor } = batch;
    store.transaction(() => {
      const newRows = batch.ready.map(({ prepared }) => toNewCredential(prepared));
      // One store chunk, so the stored rows get one audit entry (this is one transaction anyway).
      const inserted = store.insertCredentials(newRows, { atomic: batch.atomic, chunkSize: Math.max(1, newRows.length), ...insertOptions(actor) });
      for (const result of inserted) {
        const { row, prepared } = batch.ready[result.index] as PreparedBatch['ready'][number];
        if (result.ok) {
          if (prepared.statusSlot !== undefined) options.status?.bind(prepared.statusSlot, prepared.credentialId);
          results.push({ row, status: 'issued', credentialId: prepared.credentialId, leaf: prepared.leaf, batchId: result.batchId, learnerName: prepared.learnerName, state: 'pending_anchor', credential: prepared.credential });
        } else results.push({ row, status: 'failed', code: result.code, message: result.message });
      }
    });
    return finish(batch.atomic, results);
  }

  function finish(atomic: boolean, results: BatchRowResult[]): BatchOutcome {
    results.sort((a, b) => a.row - b.row);
    const issued = results.filter((r) => r.status === 'issued').length;
    return { atomic, issued, failed: results.length - issued, rows: results };
  }

  /**
   * Validates and builds an atomic batch's row (pure, no signing) so that a bad row is known before any is signed; the
   * checked record is kept for prepare, which then does not validate it again.
   */
  function precheck(row: BatchRowInput, rename: (field: string) => string): BatchRowInput {
    if (row.issues !== undefined && row.issues.length > 0) return row;
    try {
      const checked = validate(row.input);
      build(checked, PRECHECK_UUID, '');
      validated.set(row, checked);
      return row;
    } catch (error) {
      const issues = issuesOf(error);
      return issues === null ? row : { ...row, issues: issues.map((i) => ({ field: rename(i.field), message: i.message })) };
    }
  }

  async function issueMany(input: readonly BatchRowInput[], opts: IssueManyOptions): Promise<BatchOutcome> {
    const total = input.length;
    if (opts.atomic === true) {
      const rename = opts.fieldName ?? ((field: string): string => field);
      const rows: BatchRowInput[] = [];
      for (const row of input) {
        rows.push(precheck(row, rename));
        if (rows.length % PRECHECK_ROWS_PER_TURN === 0) await yieldToEventLoop();
      }
      const outcome = commitMany(await prepareMany(rows, opts));
      opts.onProgress?.({ done: total, total });
      return outcome;
    }
    // Not atomic: each row is validated once, where it is built (a bad row is reported by row, the others are issued).
    const rows = input;
    const format = opts.format ?? 'di';
    signer.expect?.(total, format);
    // VC-JOSE jobs in signing threads: the next chunk is signed there while this thread stores the current one.
    const pipelined = format === 'jose' && signer.offloadsJose?.() === true;
    const chunk = Math.max(1, Math.trunc(opts.chunkSize ?? DEFAULT_ISSUE_CHUNK));
    const all: BatchRowResult[] = [];
    let next: Promise<PreparedBatch> | null = null;
    for (let start = 0; start < total; start += chunk) {
      const slice = rows.slice(start, start + chunk);
      const current = next ?? prepareMany(slice, opts);
      next = null;
      let prepared: PreparedBatch | null = null;
      try {
        prepared = await current;
        if (pipelined && prepared.halted !== true && start + chunk < total) next = prepareMany(rows.slice(start + chunk, start + 2 * chunk), opts);
        all.push(...commitMany(prepared).rows);
      } catch (error) {
        // The chunk's transaction rolled back; earlier chunks are stored and listed with their ids.
        onUnexpected(error);
        for (const { row } of slice) all.push({ row, status: 'failed', code: ISSUE_FAILED, message: 'This row could not be issued because of an internal error; nothing was stored for it. Send it again.' });
      }
      opts.onProgress?.({ done: Math.min(total, start + chunk), total });
      if (prepared === null || prepared.halted === true) {
        for (const { row } of rows.slice(start + chunk)) all.push({ row, status: 'not_issued', reason: 'an earlier row failed unexpectedly; send this row again' });
        break;
      }
    }
    return finish(false, all);
  }

  function view(row: CredentialRow): CredentialView {
    const anchored = anchoredCredential(row);
    const anchorState = anchorStateOf(row);
    const credential = row.format === 'jose' ? row.document : (JSON.parse(row.document) as Record<string, unknown>);
    return {
      id: row.id,
      format: row.format,
      status: row.status,
      anchorState,
      state: credentialStateOf(row.status, anchorState),
      learnerName: learnerNameOf(credential) ?? (row.learnerId === null ? null : (store.getLearner(row.learnerId)?.name ?? null)),
      batchState: row.batchState,
      batchId: row.batchId,
      leaf: row.leaf,
      moduleId: row.moduleId,
      issuedAt: row.issuedAt,
      credential,
      anchored,
      anchorProof: anchored === null ? null : (findAnchorProof(anchored) ?? null),
      statusChanges: store.statusChangesOf(row.id),
    };
  }

  function learnerFilter(learner: string | undefined): Pick<CredentialQuery, 'learnerId' | 'learnerRef'> | null {
    if (learner === undefined || learner === '') return {};
    if (learner.startsWith('did:') || learner.startsWith('sha256$')) return { learnerRef: learner };
    if (learner.includes('@')) {
      const found = store.findLearnerByEmail(learner);
      return found === null ? null : { learnerId: found.id };
    }
    return { learnerId: learner };
  }

  return {
    issuer,
    catalog: options.catalog,
    prepare,
    prepareCallerCredential,
    commit,
    async issue(record, opts) {
      return commit(await prepare(record, opts));
    },
    prepareMany,
    commitMany,
    issueMany,
    planBatch,
    async issueBatch(plan) {
      const outcome = await issueMany(plan.rows, plan.options);
      if (plan.options.atomic && outcome.issued === 0 && outcome.failed > 0) throw batchRejected(outcome);
      return outcome;
    },
    async prepareBatch(plan) {
      const prepared = await prepareMany(plan.rows, plan.options);
      if (plan.options.atomic && prepared.rejected.length > 0) throw batchRejected(commitMany(prepared));
      return prepared;
    },
    requestStatusChange(credentialId, action, reason) {
      return store.requestStatusChange({ credentialId, action, reasonCode: reason.reasonCode, reasonText: reason.reason ?? null, actor: reason.actor });
    },
    getCredentialWithAnchor(credentialId) {
      const row = store.getCredential(credentialId);
      if (row === null) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${credentialId} was issued here.`, { details: { credentialId } });
      return view(row);
    },
    listCredentials(query) {
      const learner = learnerFilter(query.learner);
      if (learner === null) return { items: [], nextCursor: null };
      const page = store.listCredentials({
        ...learner,
        ...(query.module === undefined ? {} : { moduleId: query.module }),
        ...(query.from === undefined ? {} : { issuedFrom: query.from }),
        ...(query.to === undefined ? {} : { issuedTo: query.to }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.batchId === undefined ? {} : { batchId: query.batchId }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        cursor: query.cursor ?? null,
      });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
    close: () => signer.close(),
  };
}

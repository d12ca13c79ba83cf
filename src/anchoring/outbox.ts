// The anchoring outbox worker: seals due batches, anchors them crash-safely, and carries status changes to the chain.
import { EventEmitter } from 'node:events';
import { getAddress } from 'ethers';
import { issuerIdOf } from '../chain';
import { MicrocredError, isMicrocredError } from '../errors';
import type { BatchRow, StatusChangeRow } from '../store';
import { needsOperator, stepBatch } from './batch-step';
import { buildTree } from './merkle';
import type { AnchorerOptions, OutboxContext, OutboxFault, OutboxRunSummary } from './outbox-types';
import { Backoff, DEFAULT_RETRY } from './retry';
import { STATUS_TARGET, stepStatusChange } from './status-worker';

export type { AnchorerOptions, AnchorRegistry, OutboxFault, OutboxLogEntry, OutboxRunSummary } from './outbox-types';

/** Events the anchorer emits, with their payloads. */
export interface AnchorerEvents {
  sealed: [batch: BatchRow];
  anchored: [batch: BatchRow];
  'batch-failed': [batch: BatchRow];
  'status-done': [change: StatusChangeRow];
  'status-failed': [change: StatusChangeRow];
  /** An anchored batch whose anchor a reorganisation removed or moved; it is back to sealed. */
  'anchor-lost': [batch: BatchRow];
  retry: [info: { kind: 'batch' | 'status'; id: number; code: string; message: string; delayMs: number }];
  /** stop() was called; pending whenAnchored() waits reject with ERR_ANCHORER_STOPPED. */
  stopped: [];
}

/** A running (or runnable) outbox worker. */
export interface Anchorer {
  /** Reconciles every unfinished batch and status change with the chain once, then runs every intervalMs. */
  start(): Promise<void>;
  /** Stops the loop and waits for the step in flight; every state it leaves is one a restart can resume. */
  stop(): Promise<void>;
  /** Seals due batches, then drives every unfinished batch and status change one step. Never throws for chain errors. */
  runOnce(): Promise<OutboxRunSummary>;
  /** Seals the open batch now (whatever its size or age), then runs once: `microcred anchor`. */
  anchorNow(): Promise<OutboxRunSummary>;
  /** Resolves with the batch once it is anchored; rejects with ERR_BATCH_FAILED, or ERR_ANCHOR_WAIT_TIMEOUT after timeoutMs. */
  whenAnchored(batchId: number, options?: { timeoutMs?: number }): Promise<BatchRow>;
  /**
   * `microcred anchor --reconcile`: puts every anchored batch whose root the chain does not know (a reorganisation
   * deeper than the periodic re-check) back to sealed, so the loop anchors it again. Returns their ids.
   */
  requeueMissingAnchors(): Promise<number[]>;
  /** Subscribes to an event. */
  on<E extends keyof AnchorerEvents>(event: E, listener: (...args: AnchorerEvents[E]) => void): this;
  /** Unsubscribes. */
  off<E extends keyof AnchorerEvents>(event: E, listener: (...args: AnchorerEvents[E]) => void): this;
}

const MAX_SEALS_PER_RUN = 10_000;

/** Default reorganisation re-check: cheap (at most 16 `anchorOf` reads a minute) and deeper than any usual reorg. */
export const DEFAULT_RECHECK = { recentBatches: 16, everyMs: 60_000 } as const;

function describe(error: unknown): { code: string; message: string } {
  if (isMicrocredError(error)) return { code: error.code, message: error.message };
  return { code: 'ERR_ANCHORING', message: error instanceof Error ? error.message : String(error) };
}

class OutboxWorker extends EventEmitter implements Anchorer {
  private readonly ctx: OutboxContext;
  private readonly backoff: Backoff;
  private readonly intervalMs: number;
  private readonly maxLeaves: number;
  private readonly maxAgeMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private accountAddress: string | undefined;
  private operatorIssuerId: string | undefined;
  private readonly now: () => Date;
  private readonly recheck: { recentBatches: number; everyMs: number } | false;
  private lastRecheck: number | undefined;

  constructor(private readonly options: AnchorerOptions) {
    super();
    if (!Number.isInteger(options.batch.maxLeaves) || options.batch.maxLeaves < 1) {
      throw new MicrocredError('ERR_ANCHORER_OPTIONS', 'batch.maxLeaves must be a positive integer.');
    }
    if (!(options.batch.maxAgeMs >= 0)) throw new MicrocredError('ERR_ANCHORER_OPTIONS', 'batch.maxAgeMs must be zero or more.');
    const now = options.now ?? ((): Date => new Date());
    const log = options.log ?? ((): void => undefined);
    const faultHook = options.faultHook ?? ((): void => undefined);
    this.now = now;
    this.maxLeaves = options.batch.maxLeaves;
    this.maxAgeMs = options.batch.maxAgeMs;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.recheck = options.recheck ?? DEFAULT_RECHECK;
    if (this.recheck !== false && !(Number.isInteger(this.recheck.recentBatches) && this.recheck.recentBatches >= 0 && this.recheck.everyMs >= 0)) {
      throw new MicrocredError('ERR_ANCHORER_OPTIONS', 'recheck.recentBatches must be a non-negative integer and recheck.everyMs zero or more.');
    }
    this.backoff = new Backoff(options.retry ?? DEFAULT_RETRY, now);
    this.ctx = {
      store: options.store,
      registry: options.registry,
      chainId: options.chainId,
      registryAddress: getAddress(options.registryAddress),
      confirmations: options.confirmations ?? 1,
      receiptTimeoutMs: options.receiptTimeoutMs ?? 120_000,
      deliveryChannels: options.deliveryChannels ?? [],
      account: async (): Promise<string> => (this.accountAddress ??= await options.registry.signerAddress()),
      issuerId: async (): Promise<string> => (this.operatorIssuerId ??= await this.lookUpIssuerId()),
      fault: (point: OutboxFault): void => {
        faultHook(point);
      },
      log,
    };
  }

  /** Asks the registry which issuer the signing account operates for; see OutboxContext.issuerId. */
  private async lookUpIssuerId(): Promise<string> {
    const account = await this.ctx.account();
    const id = await this.options.registry.issuerOfOperator(account);
    if (id === null) {
      throw new MicrocredError(
        'ERR_NOT_AN_OPERATOR',
        `The anchoring account ${account} is no issuer's operator in the registry; batches wait until the issuer's admin runs: microcred registry add-operator ${account}`,
        { details: { account } },
      );
    }
    const expected = this.options.issuerDid === undefined ? undefined : issuerIdOf(this.options.issuerDid);
    if (expected !== undefined && id !== expected) {
      throw new MicrocredError(
        'ERR_OPERATOR_OF_OTHER_ISSUER',
        `The anchoring account ${account} operates for issuer ${id} in the registry, not for ${this.options.issuerDid} (${expected}); anchors would not verify. Use this issuer's operator key.`,
        { details: { account, issuerId: id, expected } },
      );
    }
    return id;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.runOnce();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.emit('stopped');
    await this.queue;
  }

  runOnce(): Promise<OutboxRunSummary> {
    return this.exclusive(() => this.run(false));
  }

  anchorNow(): Promise<OutboxRunSummary> {
    return this.exclusive(() => this.run(true));
  }

  whenAnchored(batchId: number, options: { timeoutMs?: number } = {}): Promise<BatchRow> {
    return new Promise<BatchRow>((resolve, reject) => {
      const settle = (batch: BatchRow | null): boolean => {
        if (batch === null || batch.id !== batchId) return false;
        if (batch.state === 'anchored') resolve(batch);
        else if (batch.state === 'failed') reject(new MicrocredError('ERR_BATCH_FAILED', `Batch ${batchId} failed: ${batch.lastError ?? 'see the log'}`, { details: { batchId } }));
        else return false;
        return true;
      };
      if (settle(this.ctx.store.getBatch(batchId))) return;
      const cleanup = (): void => {
        this.off('anchored', onBatch);
        this.off('batch-failed', onBatch);
        this.off('stopped', onStopped);
        if (timeout !== undefined) clearTimeout(timeout);
      };
      const onBatch = (batch: BatchRow): void => {
        if (settle(batch)) cleanup();
      };
      // A waiter must not keep a stopping process alive for its whole timeout.
      const onStopped = (): void => {
        cleanup();
        reject(new MicrocredError('ERR_ANCHORER_STOPPED', `The anchoring worker stopped before batch ${batchId} was anchored; it is anchored after the next start.`, { details: { batchId } }));
      };
      const timeout =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              cleanup();
              reject(new MicrocredError('ERR_ANCHOR_WAIT_TIMEOUT', `Batch ${batchId} was not anchored within ${options.timeoutMs} ms; check the chain and the outbox log.`));
            }, options.timeoutMs);
      this.on('anchored', onBatch);
      this.on('batch-failed', onBatch);
      this.on('stopped', onStopped);
    });
  }

  requeueMissingAnchors(): Promise<number[]> {
    return this.exclusive(async () => {
      const requeued: number[] = [];
      let cursor: string | null = null;
      // Bounded: each page moves the cursor strictly back through batch ids.
      for (let page = 0; page < 100_000; page++) {
        const { items, nextCursor } = this.ctx.store.listBatches({ state: 'anchored', limit: 500, cursor });
        for (const batch of items) {
          if (batch.root !== null && (await this.ctx.registry.anchorOf(await this.ctx.issuerId(), batch.root)) === null) {
            this.ctx.store.requeueBatch(batch.id);
            requeued.push(batch.id);
          }
        }
        if (nextCursor === null) break;
        cursor = nextCursor;
      }
      return requeued;
    });
  }

  // One run at a time: a timer tick, anchorNow() and a test's runOnce() queue up and never interleave their steps.
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => work());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (!this.running) return;
    const next = this.backoff.nextDue();
    const delay = next === undefined ? this.intervalMs : Math.max(10, Math.min(this.intervalMs, next - this.now().getTime()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => this.ctx.log({ level: 'error', event: 'outbox.error', message: describe(error).message }))
        .finally(() => this.schedule());
    }, delay);
    // The loop alone never keeps a process alive; the server or CLI command does.
    this.timer.unref();
  }

  private computeRoot = (leaves: string[]): string => buildTree(leaves).root;

  private async run(sealOpen: boolean): Promise<OutboxRunSummary> {
    const summary: OutboxRunSummary = { sealed: [], anchored: [], failed: [], statusDone: [], statusFailed: [], retrying: 0, reanchoring: [] };
    this.sealDue(summary, sealOpen);
    // Before driving unfinished batches, so a batch put back here is anchored again in this same run.
    await this.recheckRecentAnchors(summary);
    for (const batch of this.ctx.store.unfinishedBatches()) await this.driveBatch(batch, summary);
    await this.driveStatusChanges(summary);
    return summary;
  }

  /**
   * The bounded reorganisation check: for the newest anchored batches, ask the registry who anchored the root and
   * when. Unknown root (the anchor was reorganised away) or another block time (re-included in another block, so the
   * proofs name a stale block): put the batch back to sealed; reconcileWithChain then records the surviving anchor
   * (after its confirmations) or sends it again. RPC errors only postpone the check.
   */
  private async recheckRecentAnchors(summary: OutboxRunSummary): Promise<void> {
    if (this.recheck === false || this.recheck.recentBatches === 0) return;
    const at = this.now().getTime();
    if (this.lastRecheck !== undefined && at - this.lastRecheck < this.recheck.everyMs) return;
    const recent = this.ctx.store.listBatches({ state: 'anchored', limit: this.recheck.recentBatches }).items;
    try {
      for (const batch of recent) {
        if (batch.root === null) continue;
        const anchor = await this.ctx.registry.anchorOf(await this.ctx.issuerId(), batch.root);
        const storedTime = batch.anchoredAt === null ? null : Math.floor(Date.parse(batch.anchoredAt) / 1000);
        if (anchor !== null && anchor.anchoredAt === storedTime) continue;
        const requeued = this.ctx.store.requeueBatch(batch.id);
        summary.reanchoring?.push(batch.id);
        this.ctx.log({
          level: 'warn',
          event: 'batch.anchor-lost',
          message: `Batch ${batch.id}'s anchor (transaction ${batch.txHash}) is ${anchor === null ? 'no longer on chain' : 'now in another block'}, probably a chain reorganisation; anchoring it again.`,
          data: { batchId: batch.id, root: batch.root },
        });
        this.emit('anchor-lost', requeued);
      }
      await this.recheckRecentStatusChanges();
      this.lastRecheck = at;
    } catch (error) {
      const { code, message } = describe(error);
      this.ctx.log({ level: 'warn', event: 'batch.recheck-failed', message: `Re-checking recent anchors failed (${code}: ${message}); trying again next run.`, data: { code } });
    }
  }

  /**
   * The same check for status changes: the newest change of each recently changed credential must still show on chain
   * (status is per issuer and leaf); one that a reorganisation removed goes back to pending and is sent again.
   */
  private async recheckRecentStatusChanges(): Promise<void> {
    if (this.recheck === false) return;
    const issuerId = await this.ctx.issuerId();
    // A credential with a change still in flight is left alone: the chain may already show that newer change.
    const checked = new Set<string>(this.ctx.store.unfinishedStatusChanges().map((change) => change.credentialId));
    for (const change of this.ctx.store.recentDoneStatusChanges(this.recheck.recentBatches * 4)) {
      if (checked.has(change.credentialId)) continue;
      checked.add(change.credentialId);
      const onChain = await this.ctx.registry.leafStateOf(issuerId, change.leaf);
      if (onChain.status === STATUS_TARGET[change.action]) continue;
      this.ctx.store.requeueStatusChange(change.id);
      this.ctx.log({
        level: 'warn',
        event: 'status.lost',
        message: `Status change ${change.id} (${change.action} of ${change.credentialId}) is no longer on chain, probably a chain reorganisation; sending it again.`,
        data: { statusChangeId: change.id, credentialId: change.credentialId },
      });
    }
  }

  private sealDue(summary: OutboxRunSummary, sealOpen: boolean): void {
    const policy = { maxLeaves: this.maxLeaves, maxAgeMs: this.maxAgeMs, computeRoot: this.computeRoot };
    for (let i = 0; i < MAX_SEALS_PER_RUN; i++) {
      const sealed = this.ctx.store.sealBatchIfDue(policy);
      if (sealed === null) break;
      this.onSealed(sealed.batch, summary);
    }
    if (sealOpen) {
      const open = this.ctx.store.openBatch();
      if (open !== null && open.leafCount > 0) this.onSealed(this.ctx.store.sealBatch(open.id, this.computeRoot).batch, summary);
    }
  }

  private onSealed(batch: BatchRow, summary: OutboxRunSummary): void {
    summary.sealed.push(batch.id);
    this.ctx.log({ level: 'info', event: 'batch.sealed', message: `Batch ${batch.id} sealed with ${batch.leafCount} leaves, root ${batch.root}.`, data: { batchId: batch.id } });
    this.emit('sealed', batch);
    this.ctx.fault('after-seal');
  }

  private async driveBatch(batch: BatchRow, summary: OutboxRunSummary): Promise<void> {
    const key = `batch:${batch.id}`;
    if (!this.backoff.due(key)) {
      summary.retrying++;
      return;
    }
    try {
      const outcome = await stepBatch(this.ctx, batch);
      this.backoff.succeeded(key);
      if (outcome.kind === 'anchored') {
        summary.anchored.push(batch.id);
        this.ctx.log({ level: 'info', event: 'batch.anchored', message: `Batch ${batch.id} anchored in block ${outcome.batch.blockNumber}.`, data: { batchId: batch.id } });
        this.emit('anchored', outcome.batch);
      } else if (outcome.kind === 'failed') {
        summary.failed.push(batch.id);
        this.emit('batch-failed', outcome.batch);
      }
    } catch (error) {
      const { code, message } = describe(error);
      if (needsOperator(error)) {
        const failed = this.ctx.store.markBatchFailed(batch.id, `${code}: ${message}`);
        summary.failed.push(batch.id);
        this.ctx.log({ level: 'error', event: 'batch.failed', message: `Batch ${batch.id} needs an operator: ${code}: ${message}`, data: { batchId: batch.id, code } });
        this.emit('batch-failed', failed);
        return;
      }
      this.retryLater('batch', batch.id, key, code, message, summary);
      this.ctx.store.noteBatchError(batch.id, `${code}: ${message}`);
    }
  }

  private async driveStatusChanges(summary: OutboxRunSummary): Promise<void> {
    const blockedCredentials = new Set<string>();
    for (const change of this.ctx.store.unfinishedStatusChanges()) {
      const blocked = blockedCredentials.has(change.credentialId);
      // Whatever happens to this change, later changes of the same credential wait for it.
      blockedCredentials.add(change.credentialId);
      const key = `status:${change.id}`;
      if (!this.backoff.due(key)) {
        summary.retrying++;
        continue;
      }
      try {
        const outcome = await stepStatusChange(this.ctx, change, blocked);
        this.backoff.succeeded(key);
        if (outcome.kind === 'done') {
          blockedCredentials.delete(change.credentialId);
          summary.statusDone.push(change.id);
          this.emit('status-done', outcome.change);
        } else if (outcome.kind === 'failed') {
          summary.statusFailed.push(change.id);
          this.emit('status-failed', outcome.change);
        }
      } catch (error) {
        const { code, message } = describe(error);
        this.retryLater('status', change.id, key, code, message, summary);
        this.ctx.store.noteStatusChangeError(change.id, `${code}: ${message}`);
      }
    }
  }

  private retryLater(kind: 'batch' | 'status', id: number, key: string, code: string, message: string, summary: OutboxRunSummary): void {
    const delayMs = this.backoff.failed(key);
    summary.retrying++;
    this.ctx.log({ level: 'warn', event: `${kind}.retry`, message: `${kind} ${id}: ${code}: ${message}; retrying in ${delayMs} ms.`, data: { id, code, delayMs } });
    this.emit('retry', { kind, id, code, message, delayMs });
  }
}

/** Creates the outbox worker (see docs/anchoring.md for the states and the reconciliation rules). */
export function createAnchorer(options: AnchorerOptions): Anchorer {
  return new OutboxWorker(options);
}

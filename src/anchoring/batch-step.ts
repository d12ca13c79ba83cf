// Drives one sealed or submitted batch one step towards anchored, asking the chain before every send.
import type { MinedTransaction } from '../chain';
import { MicrocredError, isMicrocredError } from '../errors';
import type { BatchRow } from '../store';
import { anchorCreated, encodeAnchorProof } from './anchor-proof';
import { buildTree } from './merkle';
import type { OutboxContext } from './outbox-types';

/** The outcome of one step on a batch. */
export type BatchStepOutcome =
  | { kind: 'anchored'; batch: BatchRow }
  | { kind: 'failed'; batch: BatchRow; code: string }
  /** Nothing final yet (e.g. sent and waiting, or waiting for the account's in-flight transactions). */
  | { kind: 'pending'; batch: BatchRow };

/**
 * Codes of chain answers that no retry will change: the batch is parked as failed for an operator. An issuer that is
 * not registered yet, or suspended, is not among them: the accreditor changes that without touching this database,
 * so its batches wait (with backoff, logging the code) and anchor once it is registered or reinstated.
 */
const OPERATOR_CODES = new Set(['ERR_ZERO_ROOT', 'ERR_BATCH_ROOT_MISMATCH', 'ERR_MISSING_ROLE']);

/** True when an error of a batch step needs an operator rather than a retry. */
export function needsOperator(error: unknown): boolean {
  return isMicrocredError(error) && OPERATOR_CODES.has(error.code);
}

/**
 * Writes the anchored state and every credential's anchor proof in one transaction. The tree is rebuilt from the
 * stored leaves in their stored order and must give the sealed root, so a proof is never written for another root.
 */
export function recordAnchored(ctx: OutboxContext, batch: BatchRow, tx: { hash: string; blockNumber: number; timestamp: number }): BatchRow {
  const root = batch.root!;
  const leaves = ctx.store.leavesOf(batch.id);
  const tree = buildTree(leaves);
  if (tree.root !== root) {
    throw new MicrocredError('ERR_BATCH_ROOT_MISMATCH', `Batch ${batch.id}'s stored leaves give root ${tree.root}, not the sealed ${root}; the database was changed by hand.`, {
      details: { batchId: batch.id },
    });
  }
  // Only ids and leaves are needed; reading them directly avoids loading every signed document of a large batch.
  const rows = ctx.store.credentialLeavesOf(batch.id);
  const created = anchorCreated(tx.timestamp);
  const proofs = new Map<string, string>();
  for (const row of rows) {
    const proof = encodeAnchorProof(
      { chain: `eip155:${ctx.chainId}`, registry: ctx.registryAddress, root, path: tree.proof(row.leaf), transaction: tx.hash, block: tx.blockNumber },
      created,
    );
    proofs.set(row.id, JSON.stringify(proof));
  }
  // Delivery jobs join the same transaction: a credential is never anchored without its webhook and email queued.
  return ctx.store.markAnchored(batch.id, { blockNumber: tx.blockNumber, anchoredAt: new Date(tx.timestamp * 1000), txHash: tx.hash.toLowerCase() }, proofs, ctx.deliveryChannels);
}

/**
 * Asks the chain whether this issuer anchored `root` (through any of its operators, old keys included). Yes: the
 * RootAnchored event gives the transaction, and once it has the configured confirmations the batch is recorded as
 * anchored with that transaction's block. Another issuer anchoring the same bytes changes nothing (anchors are per
 * issuer). Not anchored: returns null and the caller may send.
 */
async function reconcileWithChain(ctx: OutboxContext, batch: BatchRow): Promise<BatchStepOutcome | null> {
  const root = batch.root!;
  const issuerId = await ctx.issuerId();
  const anchor = await ctx.registry.anchorOf(issuerId, root);
  if (anchor === null) return null;
  const events = await ctx.registry.rootAnchoredEvents({ issuer: issuerId, root });
  const event = events[0];
  if (event === undefined) {
    // The anchor is there but its log is not (yet) visible to this node: try again later rather than guess.
    throw new MicrocredError('ERR_ANCHOR_EVENT_NOT_FOUND', `Root ${root} is anchored but its RootAnchored event was not found; retrying.`, { details: { batchId: batch.id } });
  }
  // An anchor found on chain (sent before a crash, or re-included after a reorganisation) is final only at the
  // configured depth, exactly like one just sent: wait for its confirmations before writing proofs.
  const mined = await ctx.registry.waitForReceipt(event.transactionHash, ctx.confirmations, { timeoutMs: ctx.receiptTimeoutMs });
  if (mined === null || mined.status !== 'success') {
    throw new MicrocredError('ERR_ANCHOR_RECEIPT_NOT_FOUND', `Root ${root} is anchored but transaction ${event.transactionHash} has no successful receipt yet; retrying.`, {
      details: { batchId: batch.id },
    });
  }
  ctx.log({ level: 'info', event: 'batch.reconciled', message: `Batch ${batch.id} was already anchored in transaction ${event.transactionHash}.`, data: { batchId: batch.id } });
  return { kind: 'anchored', batch: recordAnchored(ctx, batch, mined) };
}

function afterReceipt(ctx: OutboxContext, batch: BatchRow, mined: MinedTransaction): BatchStepOutcome | null {
  if (mined.status !== 'success') return null;
  ctx.fault('after-receipt');
  return { kind: 'anchored', batch: recordAnchored(ctx, batch, mined) };
}

/**
 * One step for a sealed or submitted batch:
 * 1. submitted: wait for the recorded transaction; mined → anchored.
 * 2. otherwise (sealed, or the transaction is unknown or reverted): the chain decides (see reconcileWithChain).
 * 3. not anchored on chain: unless the account has transactions in flight (one may be this anchor, sent before a crash),
 *    send anchor(root), record it as submitted, wait for the receipt and record anchored.
 * Chain errors propagate; the caller retries with backoff or parks the batch (needsOperator).
 */
export async function stepBatch(ctx: OutboxContext, batch: BatchRow): Promise<BatchStepOutcome> {
  if (batch.state === 'submitted' && batch.txHash !== null) {
    const mined = await ctx.registry.waitForReceipt(batch.txHash, ctx.confirmations, { timeoutMs: ctx.receiptTimeoutMs });
    if (mined !== null) {
      const outcome = afterReceipt(ctx, batch, mined);
      if (outcome !== null) return outcome;
    }
    // Unknown (dropped, replaced, or a reset chain) or reverted: fall through to asking the chain.
  }
  const reconciled = await reconcileWithChain(ctx, batch);
  if (reconciled !== null) return reconciled;

  if (ctx.registry.accountNonces !== undefined) {
    const nonces = await ctx.registry.accountNonces();
    if (nonces.pending > nonces.latest) {
      // A transaction of ours is in flight; it may be this root's anchor sent just before a crash. Wait for it.
      throw new MicrocredError('ERR_ANCHOR_IN_FLIGHT', `The anchoring account has ${nonces.pending - nonces.latest} transaction(s) in flight; waiting before sending batch ${batch.id}.`, {
        details: { batchId: batch.id },
      });
    }
  }

  let sent;
  try {
    sent = await ctx.registry.sendAnchor(batch.root!);
  } catch (error) {
    // The node predicted RootAlreadyAnchored: someone (maybe our crashed run) anchored it since we looked.
    if (isMicrocredError(error, 'ERR_ROOT_ALREADY_ANCHORED')) {
      const again = await reconcileWithChain(ctx, batch);
      if (again !== null) return again;
    }
    throw error;
  }
  ctx.fault('after-send');
  const submitted = ctx.store.markSubmitted(batch.id, { txHash: sent.hash.toLowerCase(), nonce: sent.nonce });
  ctx.log({ level: 'info', event: 'batch.submitted', message: `Batch ${batch.id} sent in transaction ${sent.hash} (nonce ${sent.nonce}).`, data: { batchId: batch.id } });
  ctx.fault('after-submit');
  const mined = await ctx.registry.waitForReceipt(sent.hash, ctx.confirmations, { timeoutMs: ctx.receiptTimeoutMs });
  if (mined !== null) {
    const outcome = afterReceipt(ctx, submitted, mined);
    if (outcome !== null) return outcome;
  }
  return { kind: 'pending', batch: submitted };
}

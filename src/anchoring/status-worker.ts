// Carries one revoke/suspend/reinstate to the registry once its credential's batch is anchored: pending → submitted → done.
import type { LeafStatus } from '../chain';
import { isMicrocredError } from '../errors';
import type { StatusAction, StatusChangeRow } from '../store';
import { buildTree } from './merkle';
import type { OutboxContext } from './outbox-types';
import { statusReasonNumber } from './status-reasons';

/** The outcome of one step on a status change. */
export type StatusStepOutcome =
  | { kind: 'done'; change: StatusChangeRow }
  | { kind: 'failed'; change: StatusChangeRow; code: string }
  /** Waiting: its batch is not anchored yet, an earlier change of the same credential is unfinished, or not mined. */
  | { kind: 'waiting'; change: StatusChangeRow };

/** The leaf status each action leads to on chain. */
export const STATUS_TARGET: Readonly<Record<StatusAction, LeafStatus>> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' };

/** Contract answers that make a change impossible (it needs an operator, not a retry); a suspended issuer waits instead. */
const FINAL_CODES = new Set([
  'ERR_LEAF_REVOKED',
  'ERR_LEAF_ALREADY_SUSPENDED',
  'ERR_LEAF_NOT_SUSPENDED',
  'ERR_ROOT_NOT_ANCHORED',
  'ERR_LEAF_NOT_IN_ROOT',
  'ERR_CONTRACT_REVERTED',
]);

/**
 * The chain already shows the change's target status (an earlier run sent it and crashed before recording):
 * record it done with the transaction of the latest matching event of ours.
 */
async function recordFromChain(ctx: OutboxContext, change: StatusChangeRow): Promise<StatusStepOutcome> {
  const events = (await ctx.registry.leafStatusEvents(await ctx.issuerId(), change.leaf)).filter((event) => event.action === change.action);
  const event = events[events.length - 1];
  if (event === undefined) {
    // The leaf is already in the wanted state without any such transaction of ours (e.g. a reinstate whose
    // suspend never reached the chain): nothing to send.
    const message = `ERR_STATUS_ALREADY_ON_CHAIN: the leaf is already ${STATUS_TARGET[change.action]} on chain; nothing was sent.`;
    return { kind: 'failed', change: ctx.store.noteStatusChangeError(change.id, message, true), code: 'ERR_STATUS_ALREADY_ON_CHAIN' };
  }
  return { kind: 'done', change: ctx.store.markStatusChangeDone(change.id, { txHash: event.transactionHash.toLowerCase(), blockNumber: event.blockNumber }) };
}

/**
 * One step for a pending or submitted status change. Changes of one credential go strictly in request order
 * (`blockedByEarlier` is set by the caller), and only once the batch holding the leaf is anchored.
 */
export async function stepStatusChange(ctx: OutboxContext, change: StatusChangeRow, blockedByEarlier: boolean): Promise<StatusStepOutcome> {
  const batch = ctx.store.getBatch(change.batchId);
  if (blockedByEarlier || batch === null || batch.state !== 'anchored' || batch.root === null) return { kind: 'waiting', change };

  if (change.state === 'submitted' && change.txHash !== null) {
    const mined = await ctx.registry.waitForReceipt(change.txHash, ctx.confirmations, { timeoutMs: ctx.receiptTimeoutMs });
    if (mined !== null && mined.status === 'success') {
      return { kind: 'done', change: ctx.store.markStatusChangeDone(change.id, { txHash: mined.hash.toLowerCase(), blockNumber: mined.blockNumber }) };
    }
    // Unknown or reverted: the chain state below decides whether to send again.
  }

  const state = await ctx.registry.leafStateOf(await ctx.issuerId(), change.leaf);
  if (state.status === STATUS_TARGET[change.action] && (change.action !== 'reinstate' || state.since !== 0)) return recordFromChain(ctx, change);

  const path = buildTree(ctx.store.leavesOf(batch.id)).proof(change.leaf);
  let sent;
  try {
    sent = await ctx.registry.sendStatusChange(change.action, change.leaf, batch.root, path, statusReasonNumber(change.reasonCode));
  } catch (error) {
    if (isMicrocredError(error) && FINAL_CODES.has(error.code)) {
      const message = `${error.code}: ${error.message}`;
      ctx.log({ level: 'error', event: 'status.failed', message, data: { statusChangeId: change.id } });
      return { kind: 'failed', change: ctx.store.noteStatusChangeError(change.id, message, true), code: error.code };
    }
    throw error;
  }
  const submitted = ctx.store.markStatusChangeSubmitted(change.id, { txHash: sent.hash.toLowerCase(), nonce: sent.nonce });
  const mined = await ctx.registry.waitForReceipt(sent.hash, ctx.confirmations, { timeoutMs: ctx.receiptTimeoutMs });
  if (mined !== null && mined.status === 'success') {
    return { kind: 'done', change: ctx.store.markStatusChangeDone(change.id, { txHash: mined.hash.toLowerCase(), blockNumber: mined.blockNumber }) };
  }
  return { kind: 'waiting', change: submitted };
}

// Reconciles the three places a credential's status lives: the database (the record), the published lists, the chain.
import type { LeafStatus } from '../chain';
import { STATUS_PURPOSES, bitFor, statusListId } from '../store';
import type { Store } from '../store';
import { bitstringOf } from '../libraries';
import type { StatusListPublisher } from './publish';

/** One difference found. `repaired` says whether this run fixed it. */
export interface StatusDifference {
  /** `list-bit`: a list bit disagrees with the database; `published`: the signed list is older than the bits;
   * `chain-behind`: the chain lacks a change the database records as carried; `chain-ahead`: the chain shows a status
   * the database never recorded (someone acted on chain directly: an operator must decide). */
  readonly kind: 'list-bit' | 'published' | 'chain-behind' | 'chain-ahead';
  readonly credentialId?: string;
  readonly listId?: string;
  readonly index?: number;
  readonly expected: string;
  readonly found: string;
  readonly repaired: boolean;
  /** One sentence for the operator. */
  readonly message: string;
}

/** What a reconciliation found. */
export interface ReconcileReport {
  readonly credentials: number;
  readonly lists: number;
  readonly chainChecked: number;
  readonly differences: StatusDifference[];
}

/** Options of {@link reconcileStatuses}. */
export interface ReconcileOptions {
  readonly store: Store;
  /** Repair what can be repaired (list bits, stale signed lists, changes the chain lost); false only reports. */
  readonly repair: boolean;
  /** Re-signs stale lists when repairing; without it they are reported only (the next fetch re-signs them anyway). */
  readonly publisher?: StatusListPublisher;
  /** The status the chain records for a leaf; without it the chain is not compared. */
  readonly chainStatus?: (leaf: string) => Promise<LeafStatus>;
  /** `all` (default) compares every anchored credential with the chain; `changed` only those with a status change (cheap, for start-up). */
  readonly chainScope?: 'all' | 'changed';
}

/**
 * Compares and repairs. The database is the issuer's record, so list bits follow it; a change the chain lost goes back
 * to the outbox (pending); a chain status the database never recorded is reported, not copied, because it did not
 * come from this issuer service. Credentials with a change still in flight are not compared with the chain.
 */
export async function reconcileStatuses(options: ReconcileOptions): Promise<ReconcileReport> {
  const { store, repair } = options;
  const differences: StatusDifference[] = [];
  const slots = store.statusLists.boundSlots();

  // Database → list bits, decoded once per list.
  const decoded = new Map<string, { getStatus(i: number): boolean }>();
  const listOf = (id: string): { getStatus(i: number): boolean } | undefined => {
    if (!decoded.has(id)) {
      const row = store.statusLists.get(id);
      if (row !== null) decoded.set(id, bitstringOf(row.bits));
    }
    return decoded.get(id);
  };
  for (const slot of slots) {
    for (const purpose of STATUS_PURPOSES) {
      const id = statusListId(slot.family, slot.listNo, purpose);
      const expected = bitFor(purpose, slot.status);
      const found = listOf(id)?.getStatus(slot.index);
      if (found === expected) continue;
      if (repair) store.statusLists.setBit(id, slot.index, expected);
      differences.push({
        kind: 'list-bit',
        credentialId: slot.credentialId,
        listId: id,
        index: slot.index,
        expected: String(expected),
        found: String(found),
        repaired: repair,
        message: `${slot.credentialId} is ${slot.status} in the database, but its ${purpose} bit in ${id} is ${found ? 'set' : 'clear'}.`,
      });
    }
  }

  // Bits → published (signed) lists.
  const lists = store.statusLists.all();
  for (const row of lists) {
    if (row.signedDocument === null || row.signedRevision === row.revision) continue;
    let repaired = false;
    if (repair && options.publisher) repaired = (await options.publisher.get(row.id)) !== null;
    differences.push({
      kind: 'published',
      listId: row.id,
      expected: `revision ${row.revision}`,
      found: `revision ${row.signedRevision ?? 0}`,
      repaired,
      message: `The signed copy of ${row.id} is older than its bits; ${repaired ? 'it was signed again' : 'the next request signs it again'}.`,
    });
  }

  // Database → chain.
  let chainChecked = 0;
  if (options.chainStatus) {
    const inFlight = new Set(store.unfinishedStatusChanges().map((c) => c.credentialId));
    for (const slot of slots) {
      if (inFlight.has(slot.credentialId)) continue;
      if (options.chainScope === 'changed' && slot.status === 'active' && store.statusChangesOf(slot.credentialId).length === 0) continue;
      const credential = store.getCredential(slot.credentialId);
      if (credential === null || credential.batchState !== 'anchored') continue;
      const onChain = await options.chainStatus(credential.leaf);
      chainChecked += 1;
      if (onChain === credential.status) continue;
      const changes = store.statusChangesOf(credential.id);
      const last = changes[changes.length - 1];
      if (last !== undefined) {
        // A parked (failed) change needs the operator's fix first (see microcred anchor); a done one is simply sent again.
        const repaired = repair && last.state === 'done';
        if (repaired) store.requeueStatusChange(last.id);
        differences.push({
          kind: 'chain-behind',
          credentialId: credential.id,
          expected: credential.status,
          found: onChain,
          repaired,
          message: `${credential.id} is ${credential.status} in the database, but the chain says ${onChain}; ${repaired ? 'the change goes to the chain again' : last.state === 'failed' ? `status change ${last.id} failed: ${last.lastError ?? 'see the audit log'}` : 'run with repair to send it again'}.`,
        });
      } else {
        differences.push({
          kind: 'chain-ahead',
          credentialId: credential.id,
          expected: credential.status,
          found: onChain,
          repaired: false,
          message: `The chain says ${credential.id} is ${onChain}, but this issuer never recorded that; verifiers treat it as ${onChain === 'active' ? credential.status : onChain}. Record the change with microcred ${onChain === 'revoked' ? 'revoke' : onChain === 'suspended' ? 'suspend' : 'reinstate'} if it was intended.`,
        });
      }
    }
  }
  return { credentials: slots.length, lists: lists.length, chainChecked, differences };
}

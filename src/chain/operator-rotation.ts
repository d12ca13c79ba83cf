// Rotates an issuer's anchoring key on chain: the new operator is added before the old one is removed.
import { getAddress } from 'ethers';
import { MicrocredError } from '../errors';
import type { RegistryClient } from './registry-client';
import type { IssuerRef, MinedTransaction } from './types';

/** What {@link rotateOperator} did. */
export interface OperatorRotation {
  readonly issuerId: string;
  readonly added: string;
  readonly removed: string;
  /** The addOperator transaction, or null when the new key already operated for the issuer (a resumed rotation). */
  readonly addTx: MinedTransaction | null;
  /** The removeOperator transaction, or null when the old key was no operator any more (a resumed rotation). */
  readonly removeTx: MinedTransaction | null;
}

/**
 * Replaces operator `oldOperator` of `issuer` with `newOperator`, sent by `admin` (the issuer's admin or an
 * accreditor). Adding comes first, so the issuer is never without an operator; both steps are skipped when already
 * done, so a rotation interrupted between them is finished by running it again. Old credentials stay revocable: any
 * current operator acts for all of the issuer's roots.
 */
export async function rotateOperator(admin: RegistryClient, issuer: IssuerRef, oldOperator: string, newOperator: string): Promise<OperatorRotation> {
  const added = getAddress(newOperator);
  const removed = getAddress(oldOperator);
  if (added === removed) throw new MicrocredError('ERR_ROTATE_SAME_KEY', `The new anchoring key is the current one (${added}); generate a new key to rotate to.`);
  const record = await admin.issuerOf(issuer);
  if (record === null) throw new MicrocredError('ERR_UNKNOWN_ISSUER', `Issuer ${issuer} is not registered in ${admin.address}; an accreditor registers it first.`);
  const addTx = record.operators.includes(added) ? null : await admin.addOperator(record.id, added);
  const removeTx = record.operators.includes(removed) ? await admin.removeOperator(record.id, removed) : null;
  return { issuerId: record.id, added, removed, addTx, removeTx };
}

// The credentialStatus entries a credential carries: one BitstringStatusListEntry per purpose, at its drawn index; pure.
import { BSL_V1_CONTEXT } from '../libraries';
import { VC_V1_CONTEXT } from '../contexts';
import { STATUS_PURPOSES, statusListId, type StatusPurpose, type StatusSlot } from '../store';

/** One W3C Bitstring Status List entry. */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/** The public URL of a list: `{base}/status/{listId}` (the base without a trailing slash). */
export function statusListUrl(baseUrl: string, listId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/status/${listId}`;
}

/** The entries for `slot`: revocation then suspension, both at the slot's index of their list. */
export function statusEntries(baseUrl: string, slot: StatusSlot): BitstringStatusListEntry[] {
  return STATUS_PURPOSES.map((purpose) => {
    const url = statusListUrl(baseUrl, statusListId(slot.family, slot.listNo, purpose));
    return { id: `${url}#${slot.index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(slot.index), statusListCredential: url };
  });
}

/**
 * A copy of `credential` carrying `entries` as its credentialStatus (replacing any the caller set: the issuer owns
 * status). A VC 1.1 credential also gets the status list context, which VC 2.0 already includes.
 */
export function withStatusEntries(credential: Record<string, unknown>, entries: readonly BitstringStatusListEntry[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...credential, credentialStatus: entries.map((e) => ({ ...e })) };
  const contexts = Array.isArray(credential['@context']) ? (credential['@context'] as unknown[]) : [];
  if (contexts[0] === VC_V1_CONTEXT && !contexts.includes(BSL_V1_CONTEXT)) copy['@context'] = [...contexts, BSL_V1_CONTEXT];
  return copy;
}

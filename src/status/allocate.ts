// Gives every credential its status entries: draws slots (committed at once) and binds them when the credential is stored.
import type { CredentialFormat } from '../store';
import type { StatusLists, StatusSlot } from '../store';
import { statusEntries, withStatusEntries, type BitstringStatusListEntry } from './entries';

/** What the issuance path uses to give each credential status entries; one instance per issuer service. */
export interface StatusAllocator {
  /** Draws `count` slots of the format's lists, committed before returning (crash-safe: never given twice). */
  reserve(format: CredentialFormat, count: number): StatusSlot[];
  /** The BitstringStatusListEntry entries for `slot` (revocation and suspension), as attach adds them. */
  entriesOf(slot: StatusSlot): BitstringStatusListEntry[];
  /** The credential with its BitstringStatusListEntry entries for `slot` (revocation and suspension). */
  attach(credential: Record<string, unknown>, slot: StatusSlot): Record<string, unknown>;
  /** Draws one slot and attaches it: what the issuance path calls for every credential it signs. */
  addStatusEntries(credential: Record<string, unknown>, format: CredentialFormat): { credential: Record<string, unknown>; slot: StatusSlot };
  /** Records the slot as the credential's; call inside the transaction that stores the credential. */
  bind(slot: StatusSlot, credentialId: string): void;
}

/** Options of {@link createStatusAllocator}. */
export interface StatusAllocatorOptions {
  readonly lists: StatusLists;
  /** The issuer's public base URL (lists are served at `{base}/status/{id}`); a function, as the local URL is known only once listening. */
  readonly baseUrl: () => string;
}

/** The allocator over the store's status lists. */
export function createStatusAllocator(options: StatusAllocatorOptions): StatusAllocator {
  const { lists, baseUrl } = options;
  const entriesOf = (slot: StatusSlot): BitstringStatusListEntry[] => statusEntries(baseUrl(), slot);
  const attach = (credential: Record<string, unknown>, slot: StatusSlot): Record<string, unknown> => withStatusEntries(credential, entriesOf(slot));
  return {
    reserve: (format, count) => lists.reserve(format, count),
    entriesOf,
    attach,
    addStatusEntries(credential, format) {
      const [slot] = lists.reserve(format, 1) as [StatusSlot];
      return { credential: attach(credential, slot), slot };
    },
    bind: (slot, credentialId) => lists.bind(slot, credentialId),
  };
}

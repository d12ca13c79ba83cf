// Check 9, status list: a `credentialStatus` (Bitstring Status List), checked only with a list obtained without fetching URLs.
import type { LoadedDocument } from '../../contexts';
import { bitstringStatusList, VERIFICATION_SUITES } from '../../libraries';
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

/**
 * Gives the status list credential published at `url`, or undefined when it is not available. Injected so the
 * verifier never fetches a URL a credential names (that would let any credential make the server call anywhere).
 */
export type StatusListFetcher = (url: string) => Promise<Record<string, unknown> | undefined>;

function entriesOf(status: unknown): unknown[] {
  return Array.isArray(status) ? status : [status];
}

/**
 * STATUS_LIST_OK; skipped STATUS_LIST_ABSENT; failed STATUS_LIST_REVOKED / STATUS_LIST_SUSPENDED; error
 * STATUS_LIST_UNSUPPORTED (not a BitstringStatusListEntry), STATUS_LIST_UNAVAILABLE (list not obtainable offline),
 * STATUS_LIST_INVALID (the list credential does not verify or does not match).
 */
export async function statusListCheck(ctx: CredentialContext): Promise<CheckResult> {
  const credential = ctx.parsed.credential;
  const status = credential.credentialStatus;
  if (status === undefined || status === null) return checkResult('status-list', 'skipped', 'STATUS_LIST_ABSENT', 'The credential has no status list entry.');
  const entries = entriesOf(status);
  const urls: string[] = [];
  for (const entry of entries) {
    const e = entry as { type?: unknown; statusListCredential?: unknown } | null;
    if (typeof e !== 'object' || e === null || e.type !== 'BitstringStatusListEntry' || typeof e.statusListCredential !== 'string') {
      return checkResult('status-list', 'error', 'STATUS_LIST_UNSUPPORTED', 'The credential has a status entry of a kind this verifier cannot check (only BitstringStatusListEntry).');
    }
    urls.push(e.statusListCredential);
  }
  const fetcher = ctx.deps.statusListFetcher;
  if (!fetcher) {
    return checkResult('status-list', 'error', 'STATUS_LIST_UNAVAILABLE', 'The credential has a status list, and this verifier does not fetch status lists from the network.', { urls });
  }
  const lists = new Map<string, Record<string, unknown>>();
  for (const url of urls) {
    let list: Record<string, unknown> | undefined;
    try {
      list = await fetcher(url);
    } catch {
      list = undefined;
    }
    if (!list) return checkResult('status-list', 'error', 'STATUS_LIST_UNAVAILABLE', `The status list ${url} is not available to this verifier.`, { urls });
    lists.set(url, list);
  }
  const loader = async (url: string): Promise<LoadedDocument> => {
    const list = lists.get(url);
    if (list) return { contextUrl: null, document: structuredClone(list), documentUrl: url };
    return ctx.deps.loader(url);
  };
  const result = await bitstringStatusList.checkStatus({ credential, documentLoader: loader, suite: VERIFICATION_SUITES, verifyMatchingIssuers: true });
  if (!result.verified) {
    return checkResult('status-list', 'error', 'STATUS_LIST_INVALID', `The status list could not be used: ${result.error?.message ?? 'it does not verify'}.`, { urls });
  }
  for (const r of result.results ?? []) {
    if (!r.status) continue;
    const purpose = r.credentialStatus.statusPurpose;
    const data = { url: r.credentialStatus.statusListCredential, index: r.credentialStatus.statusListIndex, purpose };
    if (purpose === 'revocation') return checkResult('status-list', 'failed', 'STATUS_LIST_REVOKED', 'The issuer’s status list marks this credential as revoked.', data);
    if (purpose === 'suspension') return checkResult('status-list', 'failed', 'STATUS_LIST_SUSPENDED', 'The issuer’s status list marks this credential as suspended.', data);
  }
  return checkResult('status-list', 'passed', 'STATUS_LIST_OK', 'The issuer’s status list does not mark this credential as revoked or suspended.', { urls });
}

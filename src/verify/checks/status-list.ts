// Check 9, status list: the credential's Bitstring Status List entries, read from lists its own issuer signed.
import { isMicrocredError } from '../../errors';
import { decodeBitstring } from '../../libraries';
import type { CredentialContext } from '../context';
import { issuerIdOf, parseInput } from '../input';
import { checkResult, type CheckResult } from '../result';
import { signatureFacts } from '../signature-facts';

/** What a fetcher is told besides the URL: whose credential names the list (its did:web host may be fetched from). */
export interface StatusListFetchContext {
  readonly issuer?: string;
}

/**
 * Gives the status list credential published at `url` (a JSON object, or a compact JWS for VC-JOSE lists), or
 * undefined when it is not available; may throw a MicrocredError saying why. Injected, so the verifier never fetches
 * a URL a credential names except under the egress policy the fetcher enforces (src/status/fetch.ts).
 */
export type StatusListFetcher = (url: string, context: StatusListFetchContext) => Promise<unknown>;

interface Entry {
  readonly purpose: string;
  readonly index: number;
  readonly url: string;
}

import { isObject } from '../../json';
const hasType = (v: Record<string, unknown>, name: string): boolean => v.type === name || (Array.isArray(v.type) && v.type.includes(name));

function entriesOf(status: unknown): Entry[] | undefined {
  const entries: Entry[] = [];
  for (const entry of Array.isArray(status) ? status : [status]) {
    if (!isObject(entry) || entry.type !== 'BitstringStatusListEntry' || typeof entry.statusListCredential !== 'string' || typeof entry.statusPurpose !== 'string') return undefined;
    const index = typeof entry.statusListIndex === 'string' && /^\d{1,10}$/.test(entry.statusListIndex) ? Number(entry.statusListIndex) : NaN;
    if (!Number.isSafeInteger(index)) return undefined;
    entries.push({ purpose: entry.statusPurpose, index, url: entry.statusListCredential });
  }
  return entries;
}

/** A list that could be used: its purpose and a bit reader; or why not, as a check result. */
type ListOutcome = { ok: true; purpose: string; bit: (index: number) => boolean | undefined } | { ok: false; result: CheckResult };

async function openList(ctx: CredentialContext, url: string, raw: unknown, issuer: string | undefined): Promise<ListOutcome> {
  const fail = (code: string, message: string, data: Record<string, unknown> = {}): ListOutcome => ({ ok: false, result: checkResult('status-list', 'error', code, message, { url, ...data }) });
  const parsed = parseInput(raw);
  if (parsed.kind !== 'credential' || !hasType(parsed.credential, 'BitstringStatusListCredential')) {
    return fail('STATUS_LIST_INVALID', `The status list ${url} is not a BitstringStatusListCredential.`);
  }
  const list = parsed.credential;
  const facts = await signatureFacts(parsed, ctx.deps);
  if (!facts.verified || facts.controllerIsIssuer === false) {
    return fail('STATUS_LIST_INVALID', `The status list ${url} is not signed by its issuer: ${facts.message ?? 'the signature does not verify'}.`, { cause: facts.code });
  }
  const listIssuer = issuerIdOf(list);
  if (issuer === undefined || listIssuer !== issuer) {
    return fail('STATUS_LIST_ISSUER_MISMATCH', `The status list ${url} was issued by ${listIssuer ?? 'nobody named'}, not by the credential’s issuer; it is not used.`, { listIssuer });
  }
  if (typeof list.id === 'string' && list.id !== url) {
    return fail('STATUS_LIST_INVALID', `The status list fetched from ${url} says it is ${list.id}.`);
  }
  const now = ctx.deps.now().getTime();
  const skewMs = ctx.deps.policy.clockSkewSeconds * 1000;
  if (typeof list.validUntil === 'string' && Date.parse(list.validUntil) + skewMs < now) {
    return fail('STATUS_LIST_EXPIRED', `The status list ${url} expired on ${list.validUntil}; the issuer has not published a fresh one.`);
  }
  if (typeof list.validFrom === 'string' && Date.parse(list.validFrom) - skewMs > now) {
    return fail('STATUS_LIST_INVALID', `The status list ${url} is not valid before ${list.validFrom}.`);
  }
  const subject = list.credentialSubject;
  if (!isObject(subject) || subject.type !== 'BitstringStatusList' || typeof subject.encodedList !== 'string' || typeof subject.statusPurpose !== 'string') {
    return fail('STATUS_LIST_INVALID', `The status list ${url} has no BitstringStatusList subject with an encodedList.`);
  }
  let decoded: { length: number; getStatus(index: number): boolean };
  try {
    decoded = await decodeBitstring(subject.encodedList);
  } catch {
    return fail('STATUS_LIST_INVALID', `The encodedList of ${url} cannot be decoded.`);
  }
  return { ok: true, purpose: subject.statusPurpose, bit: (index) => (index < decoded.length ? decoded.getStatus(index) : undefined) };
}

/**
 * STATUS_LIST_OK (data {revoked: false, suspended: false}); skipped STATUS_LIST_ABSENT; failed STATUS_LIST_REVOKED /
 * STATUS_LIST_SUSPENDED (data {revoked, suspended, url, index}); error STATUS_LIST_UNSUPPORTED (not a
 * BitstringStatusListEntry), STATUS_LIST_UNAVAILABLE (could not be obtained), STATUS_LIST_NOT_ALLOWED (the egress
 * policy forbids fetching it), STATUS_LIST_INVALID (does not verify or does not match), STATUS_LIST_ISSUER_MISMATCH
 * (signed by another issuer), STATUS_LIST_EXPIRED.
 */
export async function statusListCheck(ctx: CredentialContext): Promise<CheckResult> {
  const credential = ctx.parsed.credential;
  const status = credential.credentialStatus;
  if (status === undefined || status === null) return checkResult('status-list', 'skipped', 'STATUS_LIST_ABSENT', 'The credential has no status list entry.');
  const entries = entriesOf(status);
  if (entries === undefined) {
    return checkResult('status-list', 'error', 'STATUS_LIST_UNSUPPORTED', 'The credential has a status entry of a kind this verifier cannot check (only BitstringStatusListEntry with a numeric index).');
  }
  const urls = [...new Set(entries.map((e) => e.url))];
  const fetcher = ctx.deps.statusListFetcher;
  if (!fetcher) {
    return checkResult('status-list', 'error', 'STATUS_LIST_UNAVAILABLE', 'The credential has a status list, and this verifier was given no way to obtain status lists.', { urls });
  }
  const issuer = issuerIdOf(credential);
  const lists = new Map<string, Extract<ListOutcome, { ok: true }>>();
  for (const url of urls) {
    let raw: unknown;
    try {
      raw = await fetcher(url, issuer === undefined ? {} : { issuer });
    } catch (error) {
      if (isMicrocredError(error, 'ERR_STATUS_LIST_NOT_ALLOWED')) {
        return checkResult('status-list', 'error', 'STATUS_LIST_NOT_ALLOWED', `The status list ${url} was not fetched: ${error.message}`, { url });
      }
      const cause = isMicrocredError(error) ? error.code : undefined;
      return checkResult('status-list', 'error', 'STATUS_LIST_UNAVAILABLE', `The status list ${url} could not be obtained${isMicrocredError(error) ? `: ${error.message}` : '.'}`, { url, cause });
    }
    if (raw === undefined || raw === null) return checkResult('status-list', 'error', 'STATUS_LIST_UNAVAILABLE', `The status list ${url} is not available to this verifier.`, { url });
    const opened = await openList(ctx, url, raw, issuer);
    if (!opened.ok) return opened.result;
    lists.set(url, opened);
  }
  let revoked = false;
  let suspended = false;
  let hit: Entry | undefined;
  for (const entry of entries) {
    const list = lists.get(entry.url)!;
    if (list.purpose !== entry.purpose) {
      return checkResult('status-list', 'error', 'STATUS_LIST_INVALID', `The list ${entry.url} is for ${list.purpose}, but the credential’s entry says ${entry.purpose}.`, { url: entry.url });
    }
    const bit = list.bit(entry.index);
    if (bit === undefined) return checkResult('status-list', 'error', 'STATUS_LIST_INVALID', `Index ${entry.index} is outside the list ${entry.url}.`, { url: entry.url });
    if (!bit) continue;
    if (entry.purpose === 'revocation') revoked = true;
    else if (entry.purpose === 'suspension') suspended = true;
    hit ??= entry;
  }
  const data = { revoked, suspended, urls, ...(hit ? { url: hit.url, index: hit.index } : {}) };
  if (revoked) return checkResult('status-list', 'failed', 'STATUS_LIST_REVOKED', 'The issuer’s status list marks this credential as revoked.', data);
  if (suspended) return checkResult('status-list', 'failed', 'STATUS_LIST_SUSPENDED', 'The issuer’s status list marks this credential as suspended.', data);
  return checkResult('status-list', 'passed', 'STATUS_LIST_OK', 'The issuer’s status list does not mark this credential as revoked or suspended.', data);
}

// Fetches status lists for the verifier under an egress policy: allowed hosts only, SSRF guard, HTTPS, size cap, timeout, cache.
import { lookup as dnsLookup } from 'node:dns/promises';
import { LRUCache } from 'lru-cache';
import { MicrocredError } from '../errors';
import { isPublicAddress } from '../did';
import { didWebUrl } from '../did';
import { fetchPinned, readBodyCapped } from '../did';
import type { StatusListFetchContext, StatusListFetcher } from '../verify';

/** Options of {@link createStatusListFetcher}. */
export interface StatusListEgressOptions {
  /** Hosts lists may come from (`host` or `host:port`), besides the host of the credential issuer's did:web. */
  readonly allowedHosts?: readonly string[];
  /**
   * Development: plain http is allowed, loopback hosts count as allowed and private addresses are not refused. Never
   * in production: a credential could otherwise make the verifier call into its own network.
   */
  readonly development?: boolean;
  /** Fetch allowed hosts even when they resolve to private addresses (an intranet issuer). Default false. */
  readonly allowPrivateAddresses?: boolean;
  /** Abort a fetch (headers and body) after this many ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Refuse lists larger than this many bytes. Default 256 KiB (a 131,072-entry list is about 2 KiB). */
  readonly maxBytes?: number;
  /** Reuse a list for its `ttl`, at most this long. Default 1 hour; 0 disables the cache. */
  readonly maxCacheMs?: number;
  /** Reuse a list that states no `ttl` this long. Default 5 minutes. */
  readonly defaultTtlMs?: number;
  /** Answers for some URLs without any request (the local issuer's own lists); undefined: go on to fetch. */
  readonly local?: (url: string) => Promise<unknown>;
  /** DNS lookup returning every address of a host (default node:dns, all: true). */
  readonly lookup?: (host: string) => Promise<{ address: string }[]>;
  readonly now?: () => Date;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function notAllowed(url: string, why: string): MicrocredError {
  return new MicrocredError('ERR_STATUS_LIST_NOT_ALLOWED', `${why} Add its host to MICROCRED_STATUS_LIST_HOSTS (or --status-list-host) if you trust it.`, { details: { url } });
}

function unavailable(url: string, message: string, cause?: unknown): MicrocredError {
  return new MicrocredError('ERR_STATUS_LIST_FETCH', message, { ...(cause === undefined ? {} : { cause }), details: { url } });
}

/** The host (with port) of the issuer's did:web, or undefined for any other DID. */
function didWebHost(issuer: string | undefined): string | undefined {
  if (issuer === undefined || !issuer.startsWith('did:web:')) return undefined;
  try {
    return didWebUrl(issuer).host;
  } catch {
    return undefined;
  }
}

/** Why `url` may not be fetched, or undefined when the policy allows it. */
function refusal(url: URL, context: StatusListFetchContext, options: StatusListEgressOptions): string | undefined {
  const development = options.development === true;
  if (url.protocol !== 'https:' && !(development && url.protocol === 'http:')) return `Status list ${url.href} is not HTTPS; only HTTPS lists are fetched outside development.`;
  if (url.username !== '' || url.password !== '') return `Status list ${url.href} carries credentials in its URL.`;
  const allowed = options.allowedHosts ?? [];
  if (allowed.includes(url.host) || allowed.includes(url.hostname)) return undefined;
  if (didWebHost(context.issuer) === url.host) return undefined;
  if (development && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `The host ${url.host} of status list ${url.href} is neither on the allow-list nor the host of the issuer's did:web.`;
}

/** A JSON list object, or the compact JWS text of a VC-JOSE list. */
function parseBody(text: string, url: string): unknown {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(trimmed)) return trimmed;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (cause) {
    throw unavailable(url, `The status list ${url} is neither JSON nor a compact JWS.`, cause);
  }
}

/** The list's own `ttl` in ms (credentialSubject.ttl), read without trusting it beyond a number. */
function ttlOf(list: unknown): number | undefined {
  let credential = list;
  if (typeof list === 'string') {
    try {
      credential = JSON.parse(Buffer.from(list.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
  const ttl = (credential as { credentialSubject?: { ttl?: unknown } } | null)?.credentialSubject?.ttl;
  return typeof ttl === 'number' && Number.isFinite(ttl) && ttl >= 0 ? ttl : undefined;
}

/**
 * The verifier's status list fetcher. A URL is fetched only when the policy allows its host (allow-list, the
 * issuer's did:web host, or loopback in development), over HTTPS outside development, from public addresses only
 * (checked, then pinned so DNS cannot change its answer), within a time and size bound; lists are cached for their
 * `ttl`. Throws ERR_STATUS_LIST_NOT_ALLOWED (policy) or ERR_STATUS_LIST_FETCH (could not be fetched).
 */
export function createStatusListFetcher(options: StatusListEgressOptions = {}): StatusListFetcher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const maxCacheMs = options.maxCacheMs ?? 60 * 60 * 1000;
  const defaultTtlMs = options.defaultTtlMs ?? 5 * 60 * 1000;
  const lookup = options.lookup ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const now = options.now ?? ((): Date => new Date());
  const cache = new LRUCache<string, { expires: number; list: unknown }>({ max: 1000 });

  async function fetchList(url: URL): Promise<unknown> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string }[];
    try {
      addresses = await lookup(host);
    } catch (cause) {
      throw unavailable(url.href, `The host ${host} of status list ${url.href} could not be resolved.`, cause);
    }
    const privateOk = options.development === true || options.allowPrivateAddresses === true;
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (addresses.length === 0 || (blocked !== undefined && !privateOk)) {
      throw notAllowed(url.href, `Status list ${url.href} points at a non-public address (${blocked?.address ?? 'none'}).`);
    }
    const read = async (response: Response): Promise<string> => {
      if (response.status !== 200) throw unavailable(url.href, `${url.href} answered HTTP ${response.status}; expected 200 with the status list.`);
      return readBodyCapped(response, maxBytes, () => unavailable(url.href, `The status list ${url.href} is larger than ${maxBytes} bytes.`));
    };
    const init = { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/vc+jwt, application/ld+json, application/json' } };
    try {
      return parseBody(await fetchPinned(url, addresses, init, read), url.href);
    } catch (cause) {
      if (cause instanceof MicrocredError) throw cause;
      const name = (cause as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw unavailable(url.href, `${url.href} did not deliver the status list within ${timeoutMs} ms.`, cause);
      throw unavailable(url.href, `${url.href} could not be fetched.`, cause);
    }
  }

  return async (raw, context) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw notAllowed(raw, `Status list "${raw.slice(0, 200)}" is not a URL.`);
    }
    const local = options.local ? await options.local(url.href) : undefined;
    if (local !== undefined) return local;
    const why = refusal(url, context, options);
    if (why !== undefined) throw notAllowed(url.href, why);
    const t = now().getTime();
    const hit = cache.get(url.href);
    if (hit && hit.expires > t) return structuredClone(hit.list);
    const list = await fetchList(url);
    const keepMs = Math.min(ttlOf(list) ?? defaultTtlMs, maxCacheMs);
    if (keepMs > 0) cache.set(url.href, { expires: t + keepMs, list });
    return structuredClone(list);
  };
}

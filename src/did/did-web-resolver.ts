// Resolves did:web over HTTPS behind a guard: public addresses only (unless allowed), a timeout, a size cap, a cache.
import { lookup as dnsLookup } from 'node:dns/promises';
import { LRUCache } from 'lru-cache';
import { MicrocredError } from '../errors';
import { isPublicAddress } from './address-guard';
import type { DidDocument, DidResolver } from './did-document';
import { resolveDidKey } from './did-key';
import { didWebUrl } from './did-web';
import { fetchPinned, readBodyCapped } from './pinned-fetch';

/** Options for {@link createDidResolver}. */
export interface DidResolverOptions {
  /** Allow did:web hosts that resolve to loopback/private/link-local/unique-local addresses (tests, intranets). Default false. */
  allowPrivateAddresses?: boolean;
  /** Abort a did:web fetch after this many ms. Default 5000. */
  timeoutMs?: number;
  /** Refuse DID documents larger than this many bytes. Default 64 KiB. */
  maxBytes?: number;
  /** Keep resolved did:web documents this long. Default 5 minutes. */
  cacheTtlMs?: number;
  /** Most did:web documents kept (least recently used go first). Default 1,000. */
  cacheMaxEntries?: number;
  /** Most bytes of did:web documents kept (as fetched). Default 8 MiB. */
  cacheMaxBytes?: number;
  /** Known documents served without any request (e.g. the issuer's own DID document). */
  documents?: Record<string, DidDocument>;
  /** Injected fetch (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Injected DNS lookup returning every address of a host (default: node:dns lookup with all: true). */
  lookup?: (host: string) => Promise<{ address: string }[]>;
  now?: () => Date;
}

/** Default most did:web documents the resolver keeps. */
export const DEFAULT_DID_CACHE_MAX_ENTRIES = 1000;
/** Default most bytes of did:web documents the resolver keeps. */
export const DEFAULT_DID_CACHE_MAX_BYTES = 8 * 1024 * 1024;

const defaultLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

function tooLarge(url: string, maxBytes: number): MicrocredError {
  return new MicrocredError('ERR_DID_WEB_TOO_LARGE', `The DID document at ${url} is larger than ${maxBytes} bytes.`, { details: { url } });
}

/** A DID resolver for did:key (offline) and did:web (HTTPS, guarded against private addresses and pinned to the checked ones). */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const lookup = options.lookup ?? defaultLookup;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const ttl = options.cacheTtlMs ?? 5 * 60 * 1000;
  const now = options.now ?? (() => new Date());
  // A bounded LRU of resolved documents (a plain Map grew without limit: 3,000 documents held 181 MiB), plus the
  // fetches in flight so concurrent verifications share one request; those are bounded by the per-verification fan-out.
  const cache = new LRUCache<string, { doc: DidDocument; bytes: number }>({
    max: options.cacheMaxEntries ?? DEFAULT_DID_CACHE_MAX_ENTRIES,
    maxSize: options.cacheMaxBytes ?? DEFAULT_DID_CACHE_MAX_BYTES,
    sizeCalculation: (entry) => Math.max(1, entry.bytes),
    ttl,
    perf: { now: () => now().getTime() },
    ttlResolution: 0,
  });
  const inFlight = new Map<string, Promise<DidDocument>>();

  const fetchDidWeb = async (did: string): Promise<{ doc: DidDocument; bytes: number }> => {
    const url = didWebUrl(did);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // The addresses the guard accepted; the connection is pinned to them (unless a fetch is injected, as tests do).
    let checked: { address: string }[] | undefined;
    if (!options.allowPrivateAddresses) {
      let addresses: { address: string }[];
      try {
        addresses = await lookup(host);
      } catch (cause) {
        throw new MicrocredError('ERR_DID_WEB_DNS', `The host ${host} of ${did} could not be resolved.`, { cause, details: { did } });
      }
      const blocked = addresses.find((a) => !isPublicAddress(a.address));
      if (addresses.length === 0 || blocked) {
        throw new MicrocredError('ERR_DID_WEB_ADDRESS_BLOCKED', `${did} points at a non-public address (${blocked?.address ?? 'none'}); set allowPrivateAddresses to resolve it.`, {
          details: { did, address: blocked?.address },
        });
      }
      checked = addresses;
    }
    const readDocument = async (response: Response): Promise<string> => {
      if (response.status !== 200) {
        throw new MicrocredError('ERR_DID_WEB_HTTP', `${url.href} answered HTTP ${response.status}; expected 200 with the DID document.`, { details: { did, status: response.status } });
      }
      return readBodyCapped(response, maxBytes, () => tooLarge(url.href, maxBytes));
    };
    const init = { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/did+json, application/json' } };
    let text: string;
    try {
      text =
        checked !== undefined && options.fetch === undefined
          ? await fetchPinned(url, checked, init, readDocument)
          : await readDocument(await fetchImpl(url, { ...init, redirect: 'error' }));
    } catch (cause) {
      if (cause instanceof MicrocredError) throw cause;
      const timedOut = (cause as Error).name === 'TimeoutError' || (cause as Error).name === 'AbortError';
      throw new MicrocredError(timedOut ? 'ERR_DID_WEB_TIMEOUT' : 'ERR_DID_WEB_FETCH', timedOut ? `${url.href} did not answer within ${timeoutMs} ms.` : `${url.href} could not be fetched.`, {
        cause,
        details: { did },
      });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (cause) {
      throw new MicrocredError('ERR_DID_WEB_BAD_DOCUMENT', `${url.href} did not return JSON.`, { cause, details: { did } });
    }
    if (typeof doc !== 'object' || doc === null || (doc as { id?: unknown }).id !== did) {
      throw new MicrocredError('ERR_DID_WEB_BAD_DOCUMENT', `${url.href} returned a document whose id is not ${did}.`, { details: { did } });
    }
    return { doc: doc as DidDocument, bytes: Buffer.byteLength(text) };
  };

  return {
    resolve(did: string): Promise<DidDocument> {
      const known = options.documents?.[did];
      if (known) return Promise.resolve(structuredClone(known));
      if (did.startsWith('did:key:')) return resolveDidKey(did);
      if (!did.startsWith('did:web:')) {
        return Promise.reject(new MicrocredError('ERR_DID_METHOD_UNSUPPORTED', `DID method of "${did}" is not supported; use did:key or did:web.`, { details: { did } }));
      }
      const hit = cache.get(did);
      if (hit !== undefined) return Promise.resolve(structuredClone(hit.doc));
      const pending = inFlight.get(did);
      if (pending !== undefined) return pending.then((doc) => structuredClone(doc));
      const doc = fetchDidWeb(did).then((entry) => {
        // A document larger than the whole cache is served but not kept (lru-cache would refuse it anyway).
        if (entry.bytes <= (options.cacheMaxBytes ?? DEFAULT_DID_CACHE_MAX_BYTES)) cache.set(did, entry);
        return entry.doc;
      });
      inFlight.set(did, doc);
      const forget = (): void => void inFlight.delete(did);
      doc.then(forget, forget);
      return doc.then((d) => structuredClone(d));
    },
  };
}

// The verifier's reads of the registry: one lookup per (root, leaf), coalesced, cached, counted, over failover RPC URLs.
import { getAddress } from 'ethers';
import { LRUCache } from 'lru-cache';
import { RegistryClient } from '../chain';
import type { LookupResult } from '../chain';

/** Anything that answers the registry's one-call verifier read (RegistryClient does). */
export interface LookupSource {
  lookup(root: string, leaf: string, path: readonly string[]): Promise<LookupResult>;
}

/** Who anchored a root and when: immutable once the root is anchored. */
export interface RootAnchor {
  readonly anchoredBy: string;
  readonly anchoredAt: number;
}

/** Counters a bulk run or a benchmark reports. */
export interface ChainReadStats {
  /** Lookups actually sent to the chain (each one view call, possibly retried on another URL). */
  readonly reads: number;
  /** Lookups answered from the status cache. */
  readonly cacheHits: number;
  /** Lookups that joined an identical read already in flight. */
  readonly coalesced: number;
}

/** The verifier's view of one registry on one chain. */
export interface ChainReader {
  readonly chainId: number;
  /** The registry address, EIP-55 checksummed. */
  readonly registryAddress: string;
  /** Everything about (root, leaf, path) in one read; throws (ERR_RPC_UNAVAILABLE, …) when it cannot be read. */
  lookup(root: string, leaf: string, path: readonly string[]): Promise<LookupResult>;
  /** The anchor of `root` if an earlier lookup found it anchored (kept, because it never changes). */
  knownAnchor(root: string): RootAnchor | undefined;
  stats(): ChainReadStats;
  close(): void;
}

/** Options of {@link createChainReader}. */
export interface ChainReaderOptions {
  readonly chainId: number;
  readonly registryAddress: string;
  /** The RPC URLs, tried in order with failover; or a ready lookup source (tests, a shared client). */
  readonly rpcUrls?: readonly string[];
  readonly source?: LookupSource;
  /** How long a status answer may be reused. Default {@link DEFAULT_STATUS_TTL_MS}; 0 reads fresh every time. */
  readonly statusTtlMs?: number;
  /** Most entries kept in each cache. Default 10,000. */
  readonly maxEntries?: number;
  /** Per-request RPC timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Clock for the status cache. */
  readonly now?: () => Date;
}

/** Default reuse of a status answer: a few seconds, so a burst of identical requests costs one read. */
export const DEFAULT_STATUS_TTL_MS = 5_000;

/**
 * Builds a reader. Anchors of roots are kept in a bounded LRU for good (a root is anchored once and never changes);
 * full lookups (which carry the mutable leaf status and issuer standing) are reused for `statusTtlMs`; identical
 * reads in flight share one promise. So a run over many credentials makes at most one read per distinct
 * (root, leaf, path). Connecting is lazy, so building a reader never touches the network.
 */
export function createChainReader(options: ChainReaderOptions): ChainReader {
  const registryAddress = getAddress(options.registryAddress);
  const ttl = options.statusTtlMs ?? DEFAULT_STATUS_TTL_MS;
  const now = options.now ?? (() => new Date());
  const max = options.maxEntries ?? 10_000;
  const anchors = new LRUCache<string, RootAnchor>({ max });
  const statuses = new LRUCache<string, { at: number; value: LookupResult }>({ max });
  const inflight = new Map<string, Promise<LookupResult>>();
  let reads = 0;
  let cacheHits = 0;
  let coalesced = 0;
  let client: Promise<RegistryClient> | undefined;

  const source = async (): Promise<LookupSource> => {
    if (options.source) return options.source;
    client ??= RegistryClient.connect({
      address: registryAddress,
      rpcUrls: options.rpcUrls ?? [],
      chainId: options.chainId,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return client;
  };

  return {
    chainId: options.chainId,
    registryAddress,
    async lookup(root, leaf, path) {
      const key = `${root.toLowerCase()}|${leaf.toLowerCase()}|${path.join(',').toLowerCase()}`;
      const cached = statuses.get(key);
      if (cached && now().getTime() - cached.at <= ttl) {
        cacheHits++;
        return cached.value;
      }
      const running = inflight.get(key);
      if (running) {
        coalesced++;
        return running;
      }
      const read = (async () => {
        reads++;
        const value = await (await source()).lookup(root, leaf, path);
        if (value.anchoredBy !== null) anchors.set(root.toLowerCase(), { anchoredBy: value.anchoredBy, anchoredAt: value.anchoredAt });
        if (ttl > 0) statuses.set(key, { at: now().getTime(), value });
        return value;
      })();
      inflight.set(key, read);
      try {
        return await read;
      } finally {
        inflight.delete(key);
      }
    },
    knownAnchor(root) {
      return anchors.get(root.toLowerCase());
    },
    stats() {
      return { reads, cacheHits, coalesced };
    },
    close() {
      if (client) void client.then((c) => c.close(), () => undefined);
    },
  };
}

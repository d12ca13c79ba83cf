// The verifier's reads of the registry: lookups batched into lookupMany calls, coalesced, cached and counted.
import DataLoader from 'dataloader';
import { getAddress } from 'ethers';
import { LRUCache } from 'lru-cache';
import type { RegistryAnswer, RegistryQuery, RegistrySource } from './registry-source';
import { REGISTRY_CONFIG_CODES } from './registry-source';
import { isMicrocredError } from '../errors';

/** When an issuer anchored a root: immutable once anchored, so kept for good. */
export interface RootAnchor {
  readonly anchoredAt: number;
  readonly anchoredBlock: number;
}

/** Counters a bulk run or a benchmark reports. */
export interface ChainReadStats {
  /** Registry calls actually sent (each one `lookupMany` eth_call, however many questions it carried). */
  readonly reads: number;
  /** Questions sent inside those calls. */
  readonly lookups: number;
  /** Questions answered from the cache. */
  readonly cacheHits: number;
  /** Questions that joined an identical one already in flight. */
  readonly coalesced: number;
}

/** The verifier's view of one registry on one chain. */
export interface ChainReader {
  readonly chainId: number;
  /** The registry address, EIP-55 checksummed. */
  readonly registryAddress: string;
  /** Where it reads from, as {@link rpcEndpointLabel}s, for messages that name what to fix; empty when unknown. */
  readonly endpoints: readonly string[];
  /** Most questions in one lookupMany call. */
  readonly batchSize: number;
  /** The answer to one question; questions asked in the same tick share one lookupMany call. Throws when it cannot read. */
  lookup(query: RegistryQuery): Promise<RegistryAnswer>;
  /** Asks many questions at once (in calls of at most `batchSize`) so later lookups are cache hits. Never throws. */
  prefetch(queries: readonly RegistryQuery[]): Promise<void>;
  /** The node's latest block number (reused for a second; asked only when a root is not found). */
  latestBlock(): Promise<number>;
  /** The anchor of (issuer, root) if an earlier read found it (it never changes). */
  knownAnchor(issuerId: string, root: string): RootAnchor | undefined;
  /** Checks once that the address is a registry on this chain; throws ERR_REGISTRY_* (kept) or a read error (retried next time). */
  checkRegistry(): Promise<void>;
  stats(): ChainReadStats;
  close(): void;
}

/** Options of {@link createChainReader}. */
export interface ChainReaderOptions {
  readonly chainId: number;
  readonly registryAddress: string;
  /** Where the answers come from (see registry-client-source.ts for the chain client's). */
  readonly source: RegistrySource;
  /** The RPC URLs the source reads, named (as labels) when the registry cannot be reached. */
  readonly rpcUrls?: readonly string[];
  /** How long a status answer may be reused. Default {@link DEFAULT_STATUS_TTL_MS}; 0 reads fresh every time. */
  readonly statusTtlMs?: number;
  /** Most questions in one lookupMany call. Default {@link DEFAULT_LOOKUP_BATCH}. */
  readonly batchSize?: number;
  /** Most entries kept in each cache. Default 20,000. */
  readonly maxEntries?: number;
  /** Clock for the status cache. */
  readonly now?: () => Date;
}

/** Default reuse of a status answer: a few seconds, so a burst of identical requests costs one read. */
export const DEFAULT_STATUS_TTL_MS = 5_000;
/** Default questions per lookupMany call: a few hundred keeps one eth_call well below a node's gas cap. */
export const DEFAULT_LOOKUP_BATCH = 250;
const HEAD_TTL_MS = 1_000;
const CHECK_RETRY_MS = 5_000;

/**
 * An RPC URL as a message may show it: scheme, host and port only. Hosted nodes put API keys in the path, the query
 * or the user part, and check messages reach the public verifier API and page.
 */
export function rpcEndpointLabel(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an RPC URL that is not a valid URL';
  }
}

/** The cache key of a question. */
export function queryKey(q: RegistryQuery): string {
  return `${q.issuerId}|${q.root}|${q.leaf}|${q.path.join(',')}`.toLowerCase();
}

/**
 * Builds a reader. Questions asked in the same tick are sent together in lookupMany calls of at most `batchSize`
 * (DataLoader does the batching); identical questions in flight share one promise; answers are reused for
 * `statusTtlMs`; anchors are kept for good. Nothing is read until the first question.
 */
export function createChainReader(options: ChainReaderOptions): ChainReader {
  const registryAddress = getAddress(options.registryAddress);
  const ttl = options.statusTtlMs ?? DEFAULT_STATUS_TTL_MS;
  const now = options.now ?? (() => new Date());
  const max = options.maxEntries ?? 20_000;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_LOOKUP_BATCH);
  const { source } = options;
  const anchors = new LRUCache<string, RootAnchor>({ max });
  const answers = new LRUCache<string, { at: number; value: RegistryAnswer }>({ max });
  const inflight = new Map<string, Promise<RegistryAnswer>>();
  let reads = 0;
  let lookups = 0;
  let cacheHits = 0;
  let coalesced = 0;
  let head: { at: number; value: Promise<number> } | undefined;
  let registryChecked: Promise<void> | undefined;
  let unanswered: { at: number; error: Error } | undefined;

  const loader = new DataLoader<RegistryQuery, RegistryAnswer, string>(
    async (queries) => {
      reads++;
      lookups += queries.length;
      const values = await source.lookupMany(queries);
      if (values.length !== queries.length) throw new Error(`lookupMany answered ${values.length} of ${queries.length} questions`);
      return values;
    },
    { maxBatchSize: batchSize, cache: false },
  );

  const remember = (q: RegistryQuery, value: RegistryAnswer): void => {
    if (value.anchoredAt > 0) anchors.set(`${q.issuerId}|${q.root}`.toLowerCase(), { anchoredAt: value.anchoredAt, anchoredBlock: value.anchoredBlock });
    if (ttl > 0) answers.set(queryKey(q), { at: now().getTime(), value });
  };

  const lookup = async (q: RegistryQuery): Promise<RegistryAnswer> => {
    const key = queryKey(q);
    const cached = answers.get(key);
    if (cached && now().getTime() - cached.at <= ttl) {
      cacheHits++;
      return cached.value;
    }
    const running = inflight.get(key);
    if (running) {
      coalesced++;
      return running;
    }
    const read = loader.load(q).then((value) => {
      remember(q, value);
      return value;
    });
    inflight.set(key, read);
    try {
      return await read;
    } finally {
      inflight.delete(key);
    }
  };

  return {
    chainId: options.chainId,
    registryAddress,
    endpoints: (options.rpcUrls ?? []).map(rpcEndpointLabel),
    batchSize,
    lookup,
    async prefetch(queries) {
      // All asked in one tick, so DataLoader cuts them into ceil(n / batchSize) calls.
      await Promise.all(queries.map((q) => lookup(q).catch(() => undefined)));
    },
    latestBlock() {
      const t = now().getTime();
      if (!head || t - head.at > HEAD_TTL_MS) {
        const value = source.latestBlock();
        head = { at: t, value };
        value.catch(() => {
          if (head?.value === value) head = undefined;
        });
      }
      return head.value;
    },
    knownAnchor(issuerId, root) {
      return anchors.get(`${issuerId}|${root}`.toLowerCase());
    },
    checkRegistry() {
      // After a node did not answer, the same answer is given for a while rather than waiting on the node again.
      if (unanswered && now().getTime() - unanswered.at < CHECK_RETRY_MS) return Promise.reject(unanswered.error);
      registryChecked ??= source.checkRegistry().catch((error: unknown) => {
        // A misconfiguration stays one; a node that did not answer may answer next time.
        if (!(isMicrocredError(error) && REGISTRY_CONFIG_CODES.has(error.code))) {
          registryChecked = undefined;
          unanswered = { at: now().getTime(), error: error instanceof Error ? error : new Error(String(error)) };
        }
        throw error;
      });
      return registryChecked;
    },
    stats() {
      return { reads, lookups, cacheHits, coalesced };
    },
    close() {
      source.close?.();
    },
  };
}

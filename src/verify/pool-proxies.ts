// Inside a verification thread: a ChainReader, a DID resolver and a status-list fetcher that ask the calling thread,
// so every thread shares its one chain reader (batched, cached, counted), DID cache and egress policy.
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { resolveDid, OFFLINE_DID_METHODS, type DidDocument, type DidResolver } from '../did';
import type { StatusListFetcher } from './checks';
import { queryKey, type ChainReader, type RootAnchor } from './chain-reader';
import { fromWire, type LookupReply, type PoolWorkerData, type Question } from './pool-protocol';
import type { RegistryAnswer, RegistryQuery } from './registry-source';

/** Sends a question to the calling thread and waits for its answer (rejects with the error it gives). */
export type Ask = (question: Question) => Promise<unknown>;

/**
 * A reader whose lookups go to the calling thread's reader: questions asked in one tick travel in one message of at
 * most `batchSize` (so the calling thread sends them in one lookupMany call); nothing is cached here, so answers are
 * exactly as fresh as the calling thread's reader gives them.
 */
export function createProxyReader(info: NonNullable<PoolWorkerData['reader']>, ask: Ask): ChainReader {
  // The anchors the calling thread knew when a lookup failed: resolveRegistry asks for them right after.
  const known = new LRUCache<string, RootAnchor>({ max: 1_000 });
  let checked = false;
  const loader = new DataLoader<RegistryQuery, RegistryAnswer, string>(
    async (queries) => {
      const replies = (await ask({ op: 'lookups', queries })) as LookupReply[];
      return replies.map((reply, i) => {
        if ('answer' in reply) return reply.answer;
        const q = queries[i]!;
        if (reply.known) known.set(`${q.issuerId}|${q.root}`.toLowerCase(), reply.known);
        return fromWire(reply.error);
      });
    },
    { maxBatchSize: info.batchSize, cache: false },
  );
  const lookup = (q: RegistryQuery): Promise<RegistryAnswer> => loader.load(q);
  return {
    chainId: info.chainId,
    registryAddress: info.registryAddress,
    endpoints: info.endpoints,
    batchSize: info.batchSize,
    lookup,
    async prefetch(queries) {
      await Promise.all(queries.map((q) => lookup(q).catch(() => undefined)));
    },
    latestBlock: () => ask({ op: 'latestBlock' }) as Promise<number>,
    knownAnchor: (issuerId, root) => known.get(`${issuerId}|${root}`.toLowerCase()),
    async checkRegistry() {
      // The calling thread checks once and keeps a success for good; a failure is asked again, as it would be there.
      if (checked) return;
      await ask({ op: 'checkRegistry' });
      checked = true;
    },
    stats: () => ({ reads: 0, lookups: 0, cacheHits: 0, coalesced: 0 }),
    close() {},
  };
}

/**
 * A reader for one bulk job: its prefetch keeps the answers for the job's own verifications, as the single-thread bulk
 * run verifies a chunk from the cache its prefetch filled; other lookups go to `inner`.
 */
export function createPrimedReader(inner: ChainReader): ChainReader {
  const primed = new Map<string, RegistryAnswer>();
  const lookup = (q: RegistryQuery): Promise<RegistryAnswer> => {
    const hit = primed.get(queryKey(q));
    return hit === undefined ? inner.lookup(q) : Promise.resolve(hit);
  };
  return {
    ...inner,
    lookup,
    async prefetch(queries) {
      await Promise.all(
        queries.map((q) =>
          inner.lookup(q).then(
            (answer) => void primed.set(queryKey(q), answer),
            () => undefined,
          ),
        ),
      );
    },
  };
}

/** did:key and did:jwk resolve here (no I/O); every other DID is resolved by the calling thread's resolver and cache. */
export function createProxyDidResolver(ask: Ask): DidResolver {
  return {
    resolve(did: string): Promise<DidDocument> {
      if (OFFLINE_DID_METHODS.some((method) => did.startsWith(`${method}:`))) return resolveDid(did);
      return ask({ op: 'resolveDid', did }) as Promise<DidDocument>;
    },
  };
}

/** Status lists are fetched by the calling thread, under its egress policy. */
export function createProxyStatusListFetcher(ask: Ask): StatusListFetcher {
  return (url, context) => ask({ op: 'statusList', url, context });
}

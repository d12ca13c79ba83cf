// What the verifier needs from a registry v2 on one chain: batched lookups by issuer, the chain head, and a self-check.
import { keccak256, toUtf8Bytes } from 'ethers';
import type { LookupResult } from '../chain';

/** One verifier question, keyed by the issuer's registry id (never by an address carried in the credential). */
export interface RegistryQuery {
  /** `keccak256(bytes(did))` of the credential's own issuer DID. */
  readonly issuerId: string;
  /** The anchored root the proof names, or {@link ZERO_ROOT} when the credential carries no anchor proof. */
  readonly root: string;
  readonly leaf: string;
  readonly path: readonly string[];
}

/**
 * The registry's answer to one {@link RegistryQuery}: the chain client's lookup result without the fields the verifier
 * derives itself (the issuer id it asked with, and `anchored`, which is `anchoredAt > 0`).
 */
export type RegistryAnswer = Omit<LookupResult, 'issuerId' | 'anchored'>;

/** Anything that answers the registry's reads for the verifier (the chain client's adapter, or a test's stand-in). */
export interface RegistrySource {
  /** `lookupMany` in one call: one answer per query, in order. Throws (ERR_RPC_UNAVAILABLE, …) when it cannot read. */
  lookupMany(queries: readonly RegistryQuery[]): Promise<RegistryAnswer[]>;
  /** The number of the node's latest block, to tell a node that is behind from a root that was never anchored. */
  latestBlock(): Promise<number>;
  /**
   * Throws a {@link REGISTRY_CONFIG_CODES} MicrocredError when the node's chain id differs from the expected one, no
   * code is at the address, or the contract there does not say (ERC-165) that it is a registry. Other errors (the node
   * is unreachable) are thrown as they are.
   */
  checkRegistry(): Promise<void>;
  close?(): void;
}

/** Codes of a registry that is misconfigured, not unreachable: an HTTP problem or exit 3, never a verdict. */
export const REGISTRY_CONFIG_CODES: ReadonlySet<string> = new Set(['ERR_REGISTRY_CHAIN_MISMATCH', 'ERR_REGISTRY_NO_CODE', 'ERR_REGISTRY_NOT_A_REGISTRY']);

/** The root of a query for a credential without an anchor proof: it reads the issuer and the leaf status only. */
export const ZERO_ROOT = `0x${'0'.repeat(64)}`;

/** The registry's id of an issuer: `keccak256(bytes(did))`, as the contract's `issuerIdOf` computes it. */
export function registryIssuerId(did: string): string {
  // A bulk run names a handful of issuers thousands of times: each DID is hashed once (bounded in count and DID length).
  if (did.length > 512) return keccak256(toUtf8Bytes(did));
  let id = issuerIds.get(did);
  if (id === undefined) {
    id = keccak256(toUtf8Bytes(did));
    if (issuerIds.size >= ISSUER_ID_MEMO_MAX) issuerIds.clear();
    issuerIds.set(did, id);
  }
  return id;
}

const ISSUER_ID_MEMO_MAX = 10_000;
const issuerIds = new Map<string, string>();

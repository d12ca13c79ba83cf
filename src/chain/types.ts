// Plain data shapes the registry client returns: numbers and strings, no ethers Result objects.

/** A leaf's status as its issuer recorded it. */
export type LeafStatus = 'active' | 'suspended' | 'revoked';

/** The contract's enum order: Active = 0, Suspended = 1, Revoked = 2. */
export const LEAF_STATUSES: readonly LeafStatus[] = ['active', 'suspended', 'revoked'];

/**
 * ERC-165 id of `ICredentialRegistry` (v2): the XOR of its function selectors. A registry answers
 * `supportsInterface(REGISTRY_INTERFACE_ID) == true`; tests/contract checks this constant against the compiled ABI.
 */
export const REGISTRY_INTERFACE_ID = '0x42a71af6';

/**
 * An issuer as the registry names it: either its issuer id (`0x` + 64 hex, `keccak256(bytes(did))`) or its DID.
 * Every client method that takes an issuer accepts both.
 */
export type IssuerRef = string;

/** A registered issuer. Times are Unix seconds from block timestamps. */
export interface IssuerRecord {
  /** `keccak256(bytes(did))`, 0x + 64 lower-case hex. */
  readonly id: string;
  readonly did: string;
  readonly name: string;
  /** The address that adds and removes operators (an accreditor may too). */
  readonly admin: string;
  readonly registeredAt: number;
  readonly active: boolean;
  /** Current operator addresses (checksummed), in the contract's order. */
  readonly operators: readonly string[];
}

/** When an issuer anchored a root: block time (Unix seconds) and block number. */
export interface AnchorRecord {
  readonly anchoredAt: number;
  readonly blockNumber: number;
}

/** A leaf's recorded status; `since` is 0 when it was never changed. */
export interface LeafState {
  readonly status: LeafStatus;
  readonly reason: number;
  readonly since: number;
}

/** One verifier question for {@link RegistryClient.lookupMany}. */
export interface LookupQuery {
  /** The credential's issuer: its DID (as in the credential) or its issuer id. */
  readonly issuer: IssuerRef;
  readonly root: string;
  readonly leaf: string;
  readonly path: readonly string[];
}

/** The verifier's single read: the issuer's anchor of the root, Merkle inclusion, leaf status and the issuer's standing. */
export interface LookupResult {
  /** The issuer id the question was asked for (0x + 64 lower-case hex). */
  readonly issuerId: string;
  /** Whether this issuer anchored the root. */
  readonly anchored: boolean;
  /** Block time of the anchor, Unix seconds; 0 when not anchored. */
  readonly anchoredAt: number;
  /** Block number of the anchor; 0 when not anchored. */
  readonly anchoredBlock: number;
  /** Whether the path leads from the leaf to the root. */
  readonly leafInRoot: boolean;
  /** The issuer's status of the leaf, read whether or not the root is anchored. */
  readonly status: LeafStatus;
  readonly statusReason: number;
  /** Unix seconds of the last status change; 0 when never changed. */
  readonly statusSince: number;
  readonly issuerRegistered: boolean;
  readonly issuerActive: boolean;
  /** The registered DID ('' when not registered); equals the DID asked for when the issuer was given as a DID. */
  readonly issuerDid: string;
  readonly issuerName: string;
}

/** A transaction handed to the node but not yet known to be mined. */
export interface SentTransaction {
  readonly hash: string;
  readonly nonce: number;
}

/** A mined transaction. */
export interface MinedTransaction {
  readonly hash: string;
  readonly blockNumber: number;
  /** Block timestamp, Unix seconds. */
  readonly timestamp: number;
  readonly status: 'success' | 'reverted';
  readonly gasUsed: bigint;
}

/** A `RootAnchored` event as found in the logs; its time is the block's. */
export interface RootAnchoredEvent {
  readonly issuerId: string;
  readonly root: string;
  /** The operator address that sent the anchor. */
  readonly operator: string;
  readonly blockNumber: number;
  readonly transactionHash: string;
}

/** Options for writes. */
export interface WriteOptions {
  /** Blocks to wait for, counting the one that includes the transaction. Default 1. */
  confirmations?: number;
  /** Give up waiting after this long (ERR_RECEIPT_TIMEOUT). Default 5 minutes. */
  timeoutMs?: number;
}

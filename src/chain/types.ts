// Plain data shapes the registry client returns: numbers and strings, no ethers Result objects.

/** A leaf's status as its issuer recorded it. */
export type LeafStatus = 'active' | 'suspended' | 'revoked';

/** The contract's enum order: Active = 0, Suspended = 1, Revoked = 2. */
export const LEAF_STATUSES: readonly LeafStatus[] = ['active', 'suspended', 'revoked'];

/** A registered issuer. Times are Unix seconds from block timestamps. */
export interface IssuerRecord {
  readonly address: string;
  readonly did: string;
  readonly name: string;
  readonly registeredAt: number;
  readonly active: boolean;
}

/** Who anchored a root, and when (Unix seconds). */
export interface AnchorRecord {
  readonly issuer: string;
  readonly anchoredAt: number;
}

/** A leaf's recorded status; `since` is 0 when it was never changed. */
export interface LeafState {
  readonly status: LeafStatus;
  readonly reason: number;
  readonly since: number;
}

/** The verifier's single read: anchor, Merkle inclusion, leaf status and the anchoring issuer's standing. */
export interface LookupResult {
  /** The anchoring issuer, or null when the root was never anchored. */
  readonly anchoredBy: string | null;
  /** Unix seconds; 0 when not anchored. */
  readonly anchoredAt: number;
  /** Whether the path leads from the leaf to the root. */
  readonly leafInRoot: boolean;
  readonly status: LeafStatus;
  readonly statusReason: number;
  /** Unix seconds of the last status change; 0 when never changed. */
  readonly statusSince: number;
  readonly issuerDid: string;
  readonly issuerName: string;
  readonly issuerActive: boolean;
  readonly issuerRegistered: boolean;
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

/** A `RootAnchored` event as found in the logs. */
export interface RootAnchoredEvent {
  readonly root: string;
  readonly issuer: string;
  readonly timestamp: number;
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

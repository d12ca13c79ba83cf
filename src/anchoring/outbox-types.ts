// Shapes shared by the anchoring outbox: the chain port it drives, its options, events and run summaries.
import type { RegistryClient } from '../chain';
import type { DeliveryChannel, OutboxStore } from '../store';
import type { RetryPolicy } from './retry';

/**
 * What the outbox needs from the chain: the RegistryClient methods it calls. A structural type, so tests can wrap
 * a real client (for example to count calls); `accountNonces` is optional and enables the in-flight guard.
 */
export type AnchorRegistry = Pick<
  RegistryClient,
  | 'signerAddress'
  | 'issuerOfOperator'
  | 'sendAnchor'
  | 'waitForReceipt'
  | 'anchorOf'
  | 'rootAnchoredEvents'
  | 'sendStatusChange'
  | 'leafStateOf'
  | 'leafStatusEvents'
> &
  Partial<Pick<RegistryClient, 'accountNonces'>>;

/**
 * Crash points a test can hook (see AnchorerOptions.faultHook). `after-send`: the anchor transaction
 * was broadcast but not recorded; `after-submit`: recorded as submitted, receipt not awaited; `after-receipt`: mined,
 * not yet recorded as anchored; `after-seal`: root written, nothing sent.
 */
export type OutboxFault = 'after-seal' | 'after-send' | 'after-submit' | 'after-receipt';

/** One structured log line from the outbox. */
export interface OutboxLogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
  data?: Record<string, unknown>;
}

/** Options of {@link createAnchorer}. */
export interface AnchorerOptions {
  store: OutboxStore;
  registry: AnchorRegistry;
  /** The chain id written into anchor proofs (`eip155:<chainId>`). */
  chainId: number;
  /** The registry address written into anchor proofs. */
  registryAddress: string;
  /**
   * The issuer DID this service signs as. The registry anchors for whichever issuer the signing account operates
   * for; when given, anchoring waits (ERR_OPERATOR_OF_OTHER_ISSUER, logged) if that issuer is another one.
   */
  issuerDid?: string;
  /** Blocks to wait for, counting the including one. Default 1. */
  confirmations?: number;
  /** When an open batch is sealed: after maxLeaves leaves, or when its first leaf is maxAgeMs old. */
  batch: { maxLeaves: number; maxAgeMs: number };
  /** Backoff after chain errors. Default 1 s doubling to 60 s. */
  retry?: RetryPolicy;
  /** How long one step waits for a receipt before trying again later. Default 120 s. */
  receiptTimeoutMs?: number;
  /**
   * Re-checks the newest `recentBatches` anchored batches at most once every `everyMs` (by `now`): an anchor that a
   * chain reorganisation removed (root unknown) or moved (another block time) is put back to sealed and anchored
   * again in the same run. Covers reorganisations deeper than `confirmations`. Default 16 batches every 60 s;
   * `false` turns it off.
   */
  recheck?: { recentBatches: number; everyMs: number } | false;
  /**
   * Delivery channels (webhook, email) to queue a job on for every credential of a batch, in the transaction that
   * records it anchored (docs/delivery.md). Default none.
   */
  deliveryChannels?: readonly DeliveryChannel[];
  /** Period of the timer loop started by start(). Default 1 s. */
  intervalMs?: number;
  now?: () => Date;
  log?: (entry: OutboxLogEntry) => void;
  /**
   * Called at each crash point (tests: kill the process there, or throw). Production code passes none, and then
   * nothing happens at these points.
   */
  faultHook?: (point: OutboxFault) => void;
}

/** What one runOnce() did. */
export interface OutboxRunSummary {
  sealed: number[];
  anchored: number[];
  failed: number[];
  statusDone: number[];
  statusFailed: number[];
  /** Items that hit a retryable error and wait for their backoff. */
  retrying: number;
  /** Anchored batches whose anchor the chain lost or moved (a reorganisation), put back to be anchored again. */
  reanchoring?: number[];
}

/** Everything the step functions share. */
export interface OutboxContext {
  readonly store: OutboxStore;
  readonly registry: AnchorRegistry;
  readonly chainId: number;
  readonly registryAddress: string;
  readonly confirmations: number;
  readonly receiptTimeoutMs: number;
  /** Delivery jobs queued with each anchored batch. */
  readonly deliveryChannels: readonly DeliveryChannel[];
  /** The anchoring account (the registry client's signer), an operator of the issuer. */
  account(): Promise<string>;
  /**
   * The issuer id the account operates for (cached once known). Throws ERR_NOT_AN_OPERATOR while the account is no
   * issuer's operator, and ERR_OPERATOR_OF_OTHER_ISSUER when it serves another DID than `issuerDid`: both wait.
   */
  issuerId(): Promise<string>;
  fault(point: OutboxFault): void;
  log(entry: OutboxLogEntry): void;
}

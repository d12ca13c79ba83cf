// The narrow views of the store each consumer takes, so a consumer names (and a test provides) only what it uses.
import type { Store } from './store';

/** What the issuer service reads and writes: learners, credentials in the open batch, status changes. */
export type IssuerServiceStore = Pick<
  Store,
  'transaction' | 'upsertLearner' | 'getLearner' | 'findLearnerByEmail' | 'insertCredentialIntoOpenBatch' | 'insertCredentials' | 'getCredential' | 'listCredentials' | 'requestStatusChange' | 'statusChangesOf'
>;

/** The issuer's signing keys (sealed at rest), as the keyring loads, creates and rotates them. */
export type IssuerKeyStore = Pick<Store, 'addIssuerKey' | 'listIssuerKeys' | 'activeIssuerKey' | 'issuerKeyWithPrivate'>;

/** What the anchoring outbox drives: batches through seal → submit → anchor, and status changes to the chain. */
export type OutboxStore = Pick<
  Store,
  | 'openBatch'
  | 'getBatch'
  | 'listBatches'
  | 'unfinishedBatches'
  | 'sealBatch'
  | 'sealBatchIfDue'
  | 'leavesOf'
  | 'credentialLeavesOf'
  | 'markSubmitted'
  | 'markAnchored'
  | 'markBatchFailed'
  | 'noteBatchError'
  | 'requeueBatch'
  | 'unfinishedStatusChanges'
  | 'recentDoneStatusChanges'
  | 'markStatusChangeSubmitted'
  | 'markStatusChangeDone'
  | 'noteStatusChangeError'
  | 'requeueStatusChange'
>;

/** API tokens: checking a presented token, and creating, listing and revoking them. */
export type TokenStore = Pick<Store, 'createToken' | 'verifyToken' | 'listTokens' | 'revokeToken'>;

/** Idempotency-Key records: run a request once per key, and release claims a stopped process left. */
export type IdempotencyStore = Pick<Store, 'withIdempotency' | 'releasePendingIdempotencyClaims'>;

/** What the issuer HTTP app reads beyond its service: tokens, idempotency, the batch list and health. */
export type IssuerAppStore = Pick<Store, 'verifyToken' | 'withIdempotency' | 'listBatches' | 'healthy'>;

/** Moving work back to the outbox when the development chain started empty. */
export type ChainResetStore = Pick<Store, 'requeueForFreshChain'>;

/** What exporting anchored credentials reads: credentials, their batches, and learners (to match a cohort CSV). */
export type ExportStore = Pick<Store, 'getCredential' | 'getBatch' | 'listCredentials' | 'findLearnerByEmail' | 'getLearner'>;
/** What the delivery outbox drives: jobs through pending → sending → sent (or failed), and the credentials and learners they name. */
export type DeliveryStore = Pick<
  Store,
  | 'getDeliveryJob'
  | 'dueDeliveryJobs'
  | 'nextDeliveryDue'
  | 'markDeliverySending'
  | 'markDeliverySent'
  | 'markDeliveryAttemptFailed'
  | 'deliveryJobsLeftSending'
  | 'resumeDeliverySending'
  | 'retryDeliveryJob'
  | 'retryFailedDeliveryJobs'
  | 'listDeliveryJobs'
  | 'getCredential'
  | 'getLearner'
>;
/** What the OID4VCI service uses beyond the issuer service: its offers and nonces, inside the store's transactions. */
export type Oid4vciStore = Pick<Store, 'offers' | 'transaction' | 'getCredential' | 'getLearner'>;
/** The module catalog (modules, versions, images, endorsements). */
export type CatalogStore = Pick<Store, 'modules'>;
/** Share links: a credential's link made on first use, disabled and re-enabled, and found by its id. */
export type ShareLinkStore = Pick<Store, 'shareLinkOf' | 'setShareLinkEnabled' | 'findShareLink' | 'getCredential'>;

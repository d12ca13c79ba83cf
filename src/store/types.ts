// Row and input types of the issuer store; times are ISO-8601 UTC strings.

/** How a credential is secured: Data Integrity proof or VC-JOSE compact JWS. */
export type CredentialFormat = 'di' | 'jose';
/** A credential's status as the issuer last decided it (the chain catches up through status_changes). */
export type CredentialStatus = 'active' | 'revoked' | 'suspended';
/** The outbox states of a batch: written before each step so a restart knows where it stopped. */
export type BatchState = 'open' | 'sealed' | 'submitted' | 'anchored' | 'failed';
/** A requested change of a credential's status. */
export type StatusAction = 'revoke' | 'suspend' | 'reinstate';
/** Progress of a status change towards the chain. */
export type StatusChangeState = 'pending' | 'submitted' | 'done' | 'failed';
/** API token scopes. */
export type TokenScope = 'issue' | 'status' | 'admin';
/** All token scopes, for validation and help text. */
export const TOKEN_SCOPES: readonly TokenScope[] = ['issue', 'status', 'admin'];

/** A credential to store: already signed, with its leaf computed by the anchoring code. */
export interface NewCredential {
  /** `urn:uuid:...` */
  id: string;
  format: CredentialFormat;
  /** The signed document exactly as issued: JSON text (di) or compact JWS (jose). */
  document: string;
  /** keccak256 leaf, 0x + 64 hex (stored lower case). */
  leaf: string;
  moduleId: string;
  /** The subject identity written in the credential: a holder DID or a salted hash; never an email. */
  learnerRef: string;
  /** The learners row holding this learner's PII, when known. */
  learnerId?: string | null;
  /** Defaults to the store clock. */
  issuedAt?: Date;
}

/** A stored credential, with the state of its batch. */
export interface CredentialRow {
  seq: number;
  id: string;
  format: CredentialFormat;
  document: string;
  leaf: string;
  moduleId: string;
  learnerRef: string;
  learnerId: string | null;
  issuedAt: string;
  batchId: number;
  batchState: BatchState;
  status: CredentialStatus;
  /** The anchor proof JSON once the batch is anchored, else null. */
  anchorProof: string | null;
}

/** A batch of leaves and its anchoring progress. */
export interface BatchRow {
  id: number;
  state: BatchState;
  root: string | null;
  leafCount: number;
  openedAt: string;
  /** When an open batch became full and stopped taking leaves. */
  closedAt: string | null;
  sealedAt: string | null;
  txHash: string | null;
  txNonce: number | null;
  submittedAt: string | null;
  blockNumber: number | null;
  anchoredAt: string | null;
  /** Number of times a transaction was recorded as submitted. */
  attempts: number;
  lastError: string | null;
}

/** A sealed batch with its leaves in tree order. */
export interface SealedBatch {
  batch: BatchRow;
  leaves: string[];
}

/** Where a stored credential went: the outbox needs the batch id. */
export interface InsertedCredential {
  credentialId: string;
  batchId: number;
}

/** A person's PII, kept apart from credentials so it can be erased. */
export interface LearnerRow {
  id: string;
  email: string | null;
  name: string | null;
  externalId: string | null;
  createdAt: string;
}

/** An issuer key's public side; the private part is only returned by the methods that say so. */
export interface IssuerKeyRow {
  id: string;
  kid: string;
  controller: string;
  algorithm: string;
  publicKey: Record<string, unknown>;
  active: boolean;
  createdAt: string;
  retiredAt: string | null;
}

/** An issuer key with its decrypted private part. */
export interface IssuerKeyWithPrivate extends IssuerKeyRow {
  privateKey: Record<string, unknown>;
}

/** A status change and the leaf it acts on. */
export interface StatusChangeRow {
  id: number;
  credentialId: string;
  leaf: string;
  batchId: number;
  action: StatusAction;
  reasonCode: string;
  reasonText: string | null;
  state: StatusChangeState;
  txHash: string | null;
  txNonce: number | null;
  blockNumber: number | null;
  attempts: number;
  lastError: string | null;
  actor: string;
  createdAt: string;
  submittedAt: string | null;
  doneAt: string | null;
}

/** An API token's record; the token itself is never stored. */
export interface ApiTokenRow {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** One audit log entry. */
export interface AuditEntry {
  id: number;
  ts: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** A page of results and the opaque cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** How an anchored credential is delivered: a signed webhook to the LMS, or an email to the learner. */
export type DeliveryChannel = 'webhook' | 'email';
/** All delivery channels. */
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['webhook', 'email'];
/** A delivery job's progress: `sending` is written before each send, `failed` after the last try. */
export type DeliveryJobState = 'pending' | 'sending' | 'sent' | 'failed';

/** One delivery of one credential over one channel. */
export interface DeliveryJobRow {
  id: number;
  credentialId: string;
  channel: DeliveryChannel;
  state: DeliveryJobState;
  /** Sends started (each one is written as `sending` first). */
  attempts: number;
  /** Not sent again before this time. */
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sendingAt: string | null;
  sentAt: string | null;
}

/** A credential's share link (`/c/{shareId}`); a disabled link answers 404, like an unknown one. */
export interface ShareLinkRow {
  /** 128 random bits, base64url (22 characters). */
  shareId: string;
  credentialId: string;
  enabled: boolean;
  createdAt: string;
  changedAt: string;
}

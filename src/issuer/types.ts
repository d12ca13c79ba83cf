// Shapes the issuer service takes and returns.
import type { RecordIssue } from '../credential';
import type { CredentialState } from './credential-state';
import type { BatchState, CredentialFormat, CredentialRow, CredentialStatus, StatusChangeRow, StatusSlot } from '../store';

/** How to issue: securing form and who asked (audit actor: `token:<id>`, `cli`, ...; always named, never defaulted). */
export interface IssueOptions {
  format?: CredentialFormat;
  actor: string;
}

/** A credential built and signed but not yet stored (see IssuerService.prepare / commit). */
export interface PreparedCredential {
  credentialId: string;
  format: CredentialFormat;
  /** The secured credential: a Data Integrity object or a compact JWS. */
  credential: Record<string, unknown> | string;
  /** Stored text (JSON or JWS). */
  document: string;
  leaf: string;
  moduleId: string;
  learnerRef: string;
  /** PII for the learners table, never written into the credential. */
  learner: { email?: string; name?: string } | null;
  /** The learner's display name as written into the credential (an IdentityObject of type name), if any. */
  learnerName: string | null;
  actor: string;
  /** The status list slot the credential's entries point at; bound to it when the credential is stored. */
  statusSlot?: StatusSlot;
}

/** One issued credential. */
export interface IssuedCredential {
  credentialId: string;
  format: CredentialFormat;
  credential: Record<string, unknown> | string;
  leaf: string;
  batchId: number;
}

/** One input row of a batch: its number as the user sees it (CSV file row, or 1-based array position) and its data. */
export interface BatchRowInput {
  row: number;
  /** A completion record (unchecked), or the problems already found while reading the row (e.g. a bad CSV cell). */
  input: unknown;
  issues?: RecordIssue[];
}

/** The outcome of one batch row. */
export type BatchRowResult =
  | { row: number; status: 'issued'; credentialId: string; leaf: string; batchId: number; learnerName: string | null; state: 'pending_anchor'; credential: Record<string, unknown> | string }
  | { row: number; status: 'invalid'; errors: RecordIssue[] }
  | { row: number; status: 'failed'; code: string; message: string }
  | { row: number; status: 'not_issued'; reason: string };

/** Options of issueMany. */
export interface IssueManyOptions extends IssueOptions {
  /** All rows or none: any bad row means nothing is issued. */
  atomic?: boolean;
  /** Called as rows are signed and stored. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Rows signed and stored per step when not atomic (default 1000). */
  chunkSize?: number;
  /** Renames record fields in row errors (CSV: `module.name` → `module_name`, see csvColumnOf). */
  fieldName?: (field: string) => string;
}

/** The outcome of a batch. */
export interface BatchOutcome {
  atomic: boolean;
  issued: number;
  failed: number;
  /** Per row, in row order. */
  rows: BatchRowResult[];
}

/** The anchoring state as the API reports it. */
export type AnchorState = 'pending' | 'anchored' | 'failed';

/** A stored credential with its anchor proof and status history. */
export interface CredentialView {
  id: string;
  format: CredentialFormat;
  status: CredentialStatus;
  anchorState: AnchorState;
  /** pending_anchor, anchored, revoked or suspended (see credentialStateOf). */
  state: CredentialState;
  /** The learner's display name: as written in the credential, else from the learners table; null when unknown or erased. */
  learnerName: string | null;
  batchState: BatchState;
  batchId: number;
  leaf: string;
  moduleId: string;
  issuedAt: string;
  /** The credential as issued: an object (di) or a compact JWS (jose). */
  credential: Record<string, unknown> | string;
  /** The anchored form (DI credential with the anchor proof in its proof set, or the JOSE envelope); null while pending. */
  anchored: Record<string, unknown> | null;
  /** The anchor proof object alone; null while pending. */
  anchorProof: Record<string, unknown> | null;
  statusChanges: StatusChangeRow[];
}

/** Maps a stored row to the view (pure). */
export type { CredentialRow };

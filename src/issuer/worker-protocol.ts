// Messages between the worker-pool signer and its signing threads.
import type { ErrorCode } from '../errors';
import type { SerializedKey, IssuerProfile } from '../signing';
import type { JoseJob, JoseJobResult } from './jose-job';

/** What every signing thread starts with: the key, the issuer profile (VC-JOSE jobs build with it) and operator contexts. */
export interface SignWorkerData {
  key: SerializedKey;
  issuer: IssuerProfile;
  extraDocuments?: Record<string, object>;
}

/**
 * Main thread → worker: sign this credential (Data Integrity) with `created` = createdMs; or issue these VC-JOSE jobs
 * (validate, build, status entries, leaf, sign) with the issue time nowMs.
 */
export type SignRequest =
  | { id: number; kind: 'di'; credential: Record<string, unknown>; createdMs: number }
  | { id: number; kind: 'jose'; jobs: JoseJob[]; nowMs: number };

/** Worker → main thread: the signed document as JSON text, the jobs' results in their order, or the error's stable code and message. */
export type SignReply = { id: number; document: string } | { id: number; results: JoseJobResult[] } | { id: number; error: { code: ErrorCode; message: string } };

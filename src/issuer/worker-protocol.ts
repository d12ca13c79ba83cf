// Messages between the worker-pool signer and its signing threads.
import type { ErrorCode } from '../errors';

/** Main thread → worker: sign this credential (Data Integrity) with `created` = createdMs. */
export interface SignRequest {
  id: number;
  credential: Record<string, unknown>;
  createdMs: number;
}

/** Worker → main thread: the signed document as JSON text, or the error's stable code and message. */
export type SignReply = { id: number; document: string } | { id: number; error: { code: ErrorCode; message: string } };

// Messages between the verifier pool (calling thread) and its verification threads, and errors as they cross.
import { MicrocredError, isErrorCode } from '../errors';
import type { RootAnchor } from './chain-reader';
import type { BulkResult } from './bulk';
import type { StatusListFetchContext } from './checks';
import type { RegistryAnswer, RegistryQuery } from './registry-source';
import type { VerificationOutcome, VerifyOptions } from './result';
import type { VerifierSpec } from './verifier-spec';

/** What a thread is started with: the spec, the calling thread's registry (asked through messages), and which adapters exist. */
export interface PoolWorkerData {
  readonly spec: VerifierSpec;
  readonly reader?: { readonly chainId: number; readonly registryAddress: string; readonly endpoints: readonly string[]; readonly batchSize: number };
  readonly didResolver: boolean;
  readonly statusLists: boolean;
}

/** One unit of work: an input (HTTP, stdin) answered with its outcome, or a file answered with its bulk result. */
export type WireTask =
  | { readonly id: number; readonly kind: 'input'; readonly input: unknown; readonly options?: VerifyOptions }
  | { readonly id: number; readonly kind: 'file'; readonly name: string; readonly strictFiles: boolean };

/** An error as it crosses a thread: a MicrocredError keeps its code and details. */
export interface WireError {
  readonly code?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** A question a thread asks the calling thread, which owns the chain reader, the DID resolver and the status lists. */
export type Question =
  | { readonly op: 'lookups'; readonly queries: readonly RegistryQuery[] }
  | { readonly op: 'latestBlock' }
  | { readonly op: 'checkRegistry' }
  | { readonly op: 'resolveDid'; readonly did: string }
  | { readonly op: 'statusList'; readonly url: string; readonly context: StatusListFetchContext };

/** The answer to one query of a `lookups` question; a failed one carries the anchor the calling thread knows. */
export type LookupReply = { readonly answer: RegistryAnswer } | { readonly error: WireError; readonly known?: RootAnchor };

/** Calling thread → thread. `nowMs`: the injected clock's time, when the caller injected one. */
export type ToWorker =
  | { readonly type: 'run'; readonly tasks: readonly WireTask[]; readonly nowMs?: number }
  | { readonly type: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: WireError };

/** Thread → calling thread. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'ask'; readonly id: number; readonly question: Question }
  | { readonly type: 'done'; readonly id: number; readonly outcome?: VerificationOutcome; readonly result?: BulkResult; readonly error?: WireError };

/** An error as data. */
export function toWire(error: unknown): WireError {
  if (error instanceof MicrocredError) return { code: error.code, message: error.message, details: { ...error.details } };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The error again, on the other side: a MicrocredError with the same code, message and details, or a plain Error. */
export function fromWire(wire: WireError): Error {
  if (wire.code !== undefined && isErrorCode(wire.code)) {
    return new MicrocredError(wire.code, wire.message, wire.details === undefined ? {} : { details: wire.details });
  }
  return new Error(wire.message);
}

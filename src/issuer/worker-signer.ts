// A CredentialSigner that spreads Data Integrity signing over worker threads, one per core; VC-JOSE stays local.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentLoader } from '../contexts';
import { MicrocredError } from '../errors';
import type { IssuerKeyring } from '../signing';
import { createLocalSigner, type CredentialSigner } from './signer';
import type { SignReply, SignRequest } from './worker-protocol';

/** Options of {@link createWorkerPoolSigner}. */
export interface WorkerPoolSignerOptions {
  keyring: IssuerKeyring;
  /** Loader for the local (VC-JOSE) path; workers use the bundled offline loader. */
  loader: DocumentLoader;
  now: () => Date;
  /** Worker threads; default: the number of cores. */
  size?: number;
  /** Operator context documents (URL → JSON) the workers' loaders add to the bundled ones. */
  extraDocuments?: ReadonlyMap<string, object>;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  slot: Slot;
  resolve: (document: string) => void;
  reject: (error: Error) => void;
}

const WORKER_ENTRY = path.join(__dirname, 'sign-worker.cjs');

/**
 * Builds the pool. Data Integrity signing (JSON-LD canonicalisation, ~3 ms a credential) runs in `size` worker
 * threads, each holding a copy of the signing key and its own warm context cache; VC-JOSE signing (~0.1 ms) stays on
 * the calling thread, where a message round trip would cost more than the signature. Workers keep the process alive
 * only while a signature is in flight; close() terminates them.
 */
export function createWorkerPoolSigner(options: WorkerPoolSignerOptions): CredentialSigner {
  const size = Math.max(1, Math.trunc(options.size ?? availableParallelism()));
  const local = createLocalSigner({ keyring: options.keyring, loader: options.loader, now: options.now });
  const key = options.keyring.signingKey.serialize();
  const extraDocuments = Object.fromEntries(options.extraDocuments ?? new Map<string, object>());
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const fail = (slot: Slot, error: Error): void => {
    for (const [id, job] of pending) {
      if (job.slot !== slot) continue;
      pending.delete(id);
      job.reject(error);
    }
    slot.inFlight = 0;
  };

  const spawn = (): Slot => {
    // execArgv is not inherited: the entry loads the built body (or tsx from source) itself, and parent flags (preloads, inspectors) stay out.
    const worker = new Worker(WORKER_ENTRY, { workerData: { key, extraDocuments }, execArgv: [] });
    const slot: Slot = { worker, inFlight: 0 };
    worker.unref();
    worker.on('message', (reply: SignReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      pending.delete(reply.id);
      slot.inFlight--;
      if (slot.inFlight === 0) worker.unref();
      if ('document' in reply) job.resolve(reply.document);
      else job.reject(new MicrocredError(reply.error.code, reply.error.message));
    });
    worker.on('error', (error) => fail(slot, new MicrocredError('ERR_SIGN_FAILED', `A signing worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      if (!closed) fail(slot, new MicrocredError('ERR_SIGN_FAILED', `A signing worker stopped (exit code ${code}); try again.`));
      const at = slots.indexOf(slot);
      // A worker that died is replaced on the next request, so one crash does not shrink the pool for good.
      if (at >= 0 && !closed) slots[at] = spawn();
    });
    return slot;
  };

  const slots: Slot[] = Array.from({ length: size }, spawn);

  return {
    concurrency: size,
    sign(credential, format) {
      if (format === 'jose') return local.sign(credential, format);
      if (closed) return Promise.reject(new MicrocredError('ERR_SIGNER_CLOSED', 'The signer was closed; create a new issuer service.'));
      const slot = slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
      const id = nextId++;
      const request: SignRequest = { id, credential, createdMs: options.now().getTime() };
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { slot, resolve, reject });
        if (slot.inFlight === 0) slot.worker.ref();
        slot.inFlight++;
        slot.worker.postMessage(request);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const slot of slots) fail(slot, new MicrocredError('ERR_SIGNER_CLOSED', 'The signer was closed while signing.'));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

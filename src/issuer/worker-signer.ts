// A CredentialSigner that spreads Data Integrity signing and VC-JOSE batch issuance over worker threads, one per core.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentLoader } from '../contexts';
import { MicrocredError } from '../errors';
import type { IssuerKeyring } from '../signing';
import type { JoseJob, JoseJobResult } from './jose-job';
import { createLocalSigner, type CredentialSigner } from './signer';
import type { SignReply, SignRequest, SignWorkerData } from './worker-protocol';

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
  /**
   * Batch size (announced through `expect`) from which the threads start; until then everything signs on the calling
   * thread. Default {@link POOL_START_BATCH}; 0 starts them with the pool.
   */
  startAt?: number;
}

/**
 * The smallest batch (Data Integrity or VC-JOSE) that starts the signing threads. A thread costs about a second of CPU
 * to start (it loads the TypeScript sources), a templated Data Integrity signature ~0.7 ms and a VC-JOSE row (validate,
 * build, leaf, sign) ~0.3 ms, so smaller batches finish sooner on the calling thread; single credentials never wait for
 * a thread. Once started, the threads serve every later batch.
 */
export const POOL_START_BATCH = 1_000;

/**
 * VC-JOSE jobs per message to a thread: enough that the message round trip (~50 µs) is small beside the work (~0.3 ms
 * a job), few enough that both threads get a share of a 1,000-row chunk and its first results come back early.
 */
export const JOSE_JOBS_PER_MESSAGE = 50;

/** How many threads may die under one credential before it fails (a credential that crashes every thread it meets). */
const MAX_ATTEMPTS = 3;

interface Slot {
  worker: Worker;
  inFlight: number;
}

type Answer = Exclude<SignReply, { error: unknown }>;

interface Pending {
  slot: Slot;
  request: SignRequest;
  attempts: number;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

/** The pool's signer, with its live threads visible (diagnostics, and the test that kills one mid-batch). */
export interface WorkerPoolSigner extends CredentialSigner {
  /** The signing threads running now (empty until a batch starts them). */
  workers(): readonly Worker[];
}

const WORKER_ENTRY = path.join(__dirname, 'sign-worker.cjs');

/**
 * Builds the pool. Once a batch of at least `startAt` is announced, `size` worker threads start, each holding a copy of
 * the signing key and its own warm context and template caches: Data Integrity signatures run there one by one, and
 * VC-JOSE batches as jobs (validate, build, leaf, sign; {@link JOSE_JOBS_PER_MESSAGE} a message), so the calling
 * thread only stores. A single VC-JOSE signature (~0.1 ms) stays on the calling thread, where a message round trip
 * would cost about as much. A thread that dies takes nothing with it: its work goes to its replacement (up to
 * {@link MAX_ATTEMPTS} threads each), and every caller gets its own answer, so a batch keeps its input order. Threads
 * keep the process alive only while work is in flight; close() terminates them.
 */
export function createWorkerPoolSigner(options: WorkerPoolSignerOptions): WorkerPoolSigner {
  const size = Math.max(1, Math.trunc(options.size ?? availableParallelism()));
  const startAt = options.startAt ?? POOL_START_BATCH;
  const local = createLocalSigner({ keyring: options.keyring, loader: options.loader, now: options.now });
  const workerData: SignWorkerData = {
    key: options.keyring.signingKey.serialize(),
    issuer: options.keyring.profile,
    extraDocuments: Object.fromEntries(options.extraDocuments ?? new Map<string, object>()),
  };
  const pending = new Map<number, Pending>();
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const leastBusy = (): Slot => slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));

  const dispatch = (id: number, job: Pending): void => {
    const slot = leastBusy();
    job.slot = slot;
    pending.set(id, job);
    if (slot.inFlight === 0) slot.worker.ref();
    slot.inFlight++;
    slot.worker.postMessage(job.request);
  };

  const spawn = (): Slot => {
    // execArgv is not inherited: the entry loads the built body (or tsx from source) itself, and parent flags (preloads, inspectors) stay out.
    const worker = new Worker(WORKER_ENTRY, { workerData, execArgv: [] });
    const slot: Slot = { worker, inFlight: 0 };
    let lastError: Error | undefined;
    worker.unref();
    worker.on('message', (reply: SignReply) => {
      const job = pending.get(reply.id);
      if (job === undefined || job.slot !== slot) return;
      pending.delete(reply.id);
      slot.inFlight--;
      if (slot.inFlight === 0) worker.unref();
      if ('error' in reply) job.reject(new MicrocredError(reply.error.code, reply.error.message));
      else job.resolve(reply);
    });
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      const at = slots.indexOf(slot);
      const orphans = [...pending].filter(([, job]) => job.slot === slot);
      for (const [id] of orphans) pending.delete(id);
      slot.inFlight = 0;
      if (closed) {
        for (const [, job] of orphans) job.reject(new MicrocredError('ERR_SIGNER_CLOSED', 'The signer was closed while signing.'));
        return;
      }
      // A thread that died is replaced at once, and what it held is signed again elsewhere.
      if (at >= 0) slots[at] = spawn();
      for (const [id, job] of orphans) {
        job.attempts++;
        if (job.attempts >= MAX_ATTEMPTS) {
          const reason = lastError ? lastError.message : `exit code ${code}`;
          job.reject(new MicrocredError('ERR_SIGN_FAILED', `Signing this credential stopped ${MAX_ATTEMPTS} signing threads (last: ${reason}); check the credential.`, lastError ? { cause: lastError } : {}));
        } else {
          dispatch(id, job);
        }
      }
    });
    return slot;
  };

  const start = (): void => {
    if (slots.length === 0 && !closed) for (let i = 0; i < size; i++) slots.push(spawn());
  };
  if (startAt <= 0) start();

  const send = (request: SignRequest): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      dispatch(request.id, { slot: slots[0]!, request, attempts: 0, resolve, reject });
    });

  /** One message of VC-JOSE jobs; a failure of the message itself (closed, or it stopped every thread it met) fails each of its rows. */
  const joseMessage = async (jobs: JoseJob[], nowMs: number): Promise<JoseJobResult[]> => {
    try {
      const answer = await send({ id: nextId++, kind: 'jose', jobs, nowMs });
      if ('results' in answer && answer.results.length === jobs.length) return answer.results;
      return jobs.map(() => ({ ok: false, unexpected: 'a signing thread answered a VC-JOSE message with the wrong number of results' }));
    } catch (error) {
      const failure = error instanceof MicrocredError ? { ok: false as const, code: error.code, message: error.message } : { ok: false as const, unexpected: String(error) };
      return jobs.map(() => failure);
    }
  };

  return {
    concurrency: size,
    workers: () => slots.map((slot) => slot.worker),
    expect(count) {
      if (count >= startAt) start();
    },
    async sign(credential, format) {
      if (closed) throw new MicrocredError('ERR_SIGNER_CLOSED', 'The signer was closed; create a new issuer service.');
      if (format === 'jose' || slots.length === 0) return local.sign(credential, format);
      const answer = await send({ id: nextId++, kind: 'di', credential, createdMs: options.now().getTime() });
      if ('document' in answer) return answer.document;
      throw new MicrocredError('ERR_SIGN_FAILED', 'A signing thread answered a Data Integrity request with no document.');
    },
    offloadsJose: () => slots.length > 0 && !closed,
    async issueJose(jobs, now) {
      if (closed) return jobs.map(() => ({ ok: false, code: 'ERR_SIGNER_CLOSED', message: 'The signer was closed; create a new issuer service.' }));
      start();
      const messages: Array<Promise<JoseJobResult[]>> = [];
      for (let at = 0; at < jobs.length; at += JOSE_JOBS_PER_MESSAGE) messages.push(joseMessage(jobs.slice(at, at + JOSE_JOBS_PER_MESSAGE), now.getTime()));
      return (await Promise.all(messages)).flat();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const [id, job] of pending) {
        pending.delete(id);
        job.reject(new MicrocredError('ERR_SIGNER_CLOSED', 'The signer was closed while signing.'));
      }
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

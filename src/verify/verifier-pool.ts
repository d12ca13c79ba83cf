// A Verifier that spreads verification over worker threads, each with its own warm caches, sharing the calling
// thread's one chain reader, DID resolver and status-list fetcher; a thread that dies loses no input.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MicrocredError, isMicrocredError } from '../errors';
import { toBulkResult, type BulkResult, type FileVerifier } from './bulk';
import { decide } from './policy';
import { fromWire, toWire, type FromWorker, type LookupReply, type PoolWorkerData, type Question, type ToWorker, type WireTask } from './pool-protocol';
import { REGISTRY_CONFIG_CODES } from './registry-source';
import { checkResult, type VerificationOutcome, type VerifyOptions } from './result';
import { createVerifierFromSpec, type VerifierSetup } from './verifier-spec';

/** Options of {@link createVerifierPool}. */
export interface VerifierPoolOptions {
  /** The verifier every thread builds (the spec crosses; the adapters stay here and answer the threads). */
  readonly setup: VerifierSetup;
  /** Worker threads. Default: one per core (availableParallelism()). */
  readonly threads?: number;
  /**
   * Start the threads at the first verification (default true); until one is ready, single inputs verify on the calling
   * thread, so no request waits for a thread to load. `false` starts them at once.
   */
  readonly lazy?: boolean;
}

/** The pool: a {@link FileVerifier} (so a Verifier) with its threads visible for diagnostics and tests. */
export interface VerifierPool extends FileVerifier {
  readonly threads: number;
  /** The threads running now (empty until started). */
  workers(): readonly Worker[];
  /** Inputs the threads hold now (sent, not yet answered): a measure of load, and what a test kills a thread under. */
  inFlight(): number;
  /** Starts the threads (if not yet) and resolves when each has loaded. */
  ready(): Promise<void>;
  /** Terminates the threads (inputs still in flight get ERR_VERIFIER_CLOSED), releases the RPC connections, and waits for the threads to exit. */
  stop(): Promise<void>;
}

/** How many threads may die under one input before it gets an error result instead of another try. */
export const MAX_THREAD_ATTEMPTS = 3;

const WORKER_ENTRY = path.join(__dirname, 'pool-worker.cjs');

/** Bulk jobs a thread holds at once (see verifyFiles). */
const JOBS_PER_THREAD = 4;

interface Reply {
  readonly outcome?: VerificationOutcome;
  readonly result?: BulkResult;
  readonly error?: Error;
}

interface Task {
  readonly wire: WireTask;
  attempts: number;
  slot?: Slot;
  settle(reply: Reply): void;
}

interface Slot {
  readonly worker: Worker;
  readonly tasks: Set<Task>;
  ready: boolean;
  exited: boolean;
  /** Running one input alone, because it was on a thread that died. */
  suspect: boolean;
  readonly loaded: Promise<void>;
}

/**
 * Builds the pool. Each thread builds the verifier `setup.spec` describes, with its own document loader and caches;
 * registry lookups, DID resolution (other than did:key / did:jwk) and status lists are asked of this thread, whose
 * one reader batches and caches them across threads. Bulk runs go in jobs of one lookupMany batch of files, read,
 * prefetched and verified in a thread. A thread that dies is replaced; its inputs run again, each alone on a thread,
 * at most {@link MAX_THREAD_ATTEMPTS} times in all, and every input gets exactly one answer. Idle threads do not
 * keep the process alive; close() terminates them.
 */
export function createVerifierPool(options: VerifierPoolOptions): VerifierPool {
  const { spec, adapters } = options.setup;
  const size = Math.max(1, Math.trunc(options.threads ?? availableParallelism()));
  const lazy = options.lazy ?? true;
  const local = createVerifierFromSpec(spec, adapters);
  const reader = local.reader;
  const data: PoolWorkerData = {
    spec,
    ...(reader ? { reader: { chainId: reader.chainId, registryAddress: reader.registryAddress, endpoints: [...reader.endpoints], batchSize: reader.batchSize } } : {}),
    didResolver: adapters.didResolver !== undefined,
    statusLists: adapters.statusListFetcher !== undefined,
  };
  const slots: Slot[] = [];
  const byId = new Map<number, Task>();
  const suspects: Task[] = [];
  const queue: Task[][] = [];
  let nextId = 1;
  let closed = false;
  let everReady = false;
  let startFailures = 0;
  let broken: Error | undefined;

  const closedError = (): Error => new MicrocredError('ERR_VERIFIER_CLOSED', 'The verifier was closed while verifying; start the run again.');

  const answer = async (question: Question): Promise<unknown> => {
    switch (question.op) {
      case 'lookups':
        return Promise.all(
          question.queries.map((q) =>
            reader!.lookup(q).then(
              (value): LookupReply => ({ answer: value }),
              (error: unknown): LookupReply => {
                const known = reader!.knownAnchor(q.issuerId, q.root);
                return { error: toWire(error), ...(known ? { known } : {}) };
              },
            ),
          ),
        );
      case 'latestBlock':
        return reader!.latestBlock();
      case 'checkRegistry':
        await reader!.checkRegistry();
        return null;
      case 'resolveDid':
        return adapters.didResolver!.resolve(question.did);
      case 'statusList':
        return adapters.statusListFetcher!(question.url, question.context);
    }
  };

  const post = (slot: Slot, message: ToWorker): void => {
    if (!slot.exited) slot.worker.postMessage(message);
  };

  const crashOutcome = (reason: string): VerificationOutcome => {
    const failed = checkResult('parse', 'error', 'CHECK_ERROR', 'The input could not be verified because of an unexpected problem; try again or report it.', {
      detail: `it stopped ${MAX_THREAD_ATTEMPTS} verification threads (last: ${reason})`.slice(0, 300),
    });
    return { ...decide([failed], local.policy), kind: 'unknown' };
  };

  const giveUp = (task: Task, reason: string): void => {
    const outcome = crashOutcome(reason);
    task.settle(task.wire.kind === 'file' ? { result: toBulkResult(task.wire.name, outcome, task.wire.strictFiles) } : { outcome });
  };

  const finish = (task: Task, reply: Reply): void => {
    const slot = task.slot!;
    byId.delete(task.wire.id);
    slot.tasks.delete(task);
    if (slot.tasks.size === 0) {
      slot.suspect = false;
      slot.worker.unref();
    }
    task.settle(reply);
    pump();
  };

  const dispatch = (slot: Slot, tasks: readonly Task[]): void => {
    if (slot.tasks.size === 0) slot.worker.ref();
    for (const task of tasks) {
      task.slot = slot;
      slot.tasks.add(task);
      byId.set(task.wire.id, task);
    }
    const nowMs = adapters.now?.().getTime();
    post(slot, { type: 'run', tasks: tasks.map((t) => t.wire), ...(nowMs !== undefined ? { nowMs } : {}) });
  };

  const failAll = (error: Error): void => {
    const pending = [...byId.values(), ...suspects.splice(0), ...queue.splice(0).flat()];
    byId.clear();
    for (const slot of slots) slot.tasks.clear();
    for (const task of new Set(pending)) task.settle({ error });
  };

  const spawn = (): Slot => {
    // execArgv is not inherited: the entry loads the built body (or tsx from source) itself, and parent flags stay out.
    const worker = new Worker(WORKER_ENTRY, { workerData: data, execArgv: [] });
    let markLoaded: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    const slot: Slot = { worker, tasks: new Set(), ready: false, exited: false, suspect: false, loaded };
    let lastError: Error | undefined;
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.ready = true;
        everReady = true;
        startFailures = 0;
        markLoaded();
        pump();
      } else if (message.type === 'ask') {
        answer(message.question).then(
          (value) => post(slot, { type: 'answer', id: message.id, value }),
          (error: unknown) => post(slot, { type: 'answer', id: message.id, error: toWire(error) }),
        );
      } else {
        const task = byId.get(message.id);
        if (task === undefined || task.slot !== slot) return;
        finish(task, message.error !== undefined ? { error: fromWire(message.error) } : { ...(message.outcome ? { outcome: message.outcome } : {}), ...(message.result ? { result: message.result } : {}) });
      }
    });
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      slot.exited = true;
      markLoaded();
      const orphans = [...slot.tasks];
      slot.tasks.clear();
      for (const task of orphans) byId.delete(task.wire.id);
      if (closed) {
        for (const task of orphans) task.settle({ error: closedError() });
        return;
      }
      const reason = lastError ? lastError.message : `exit code ${code}`;
      if (!slot.ready) startFailures++;
      if (!everReady && startFailures >= MAX_THREAD_ATTEMPTS) {
        // The threads cannot load at all (an installation fault): say so once, to every waiting input.
        broken = new MicrocredError('ERR_VERIFIER_THREADS', `The verification threads could not start (${reason}); run with --threads 0 (or MICROCRED_VERIFY_THREADS=0) to verify on one thread, and reinstall.`);
        for (const task of orphans) task.settle({ error: broken });
        failAll(broken);
        return;
      }
      // A thread that died is replaced at once, and what it held runs again, each input alone on a thread.
      const at = slots.indexOf(slot);
      if (at >= 0) slots[at] = spawn();
      for (const task of orphans) {
        task.attempts++;
        if (task.attempts >= MAX_THREAD_ATTEMPTS) giveUp(task, reason);
        else suspects.push(task);
      }
      pump();
    });
    return slot;
  };

  const start = (): void => {
    if (slots.length === 0 && !closed) for (let i = 0; i < size; i++) slots.push(spawn());
  };
  if (!lazy) start();

  /** Inputs that were on a dead thread run alone; other work waits until none is left, so threads drain for them. */
  function pump(): void {
    if (closed || broken) return;
    while (suspects.length > 0) {
      const idle = slots.find((s) => !s.exited && s.tasks.size === 0);
      if (idle === undefined) return;
      idle.suspect = true;
      dispatch(idle, [suspects.shift()!]);
    }
    while (queue.length > 0) {
      const open = slots.filter((s) => !s.exited && !s.suspect);
      if (open.length === 0) return;
      // Loaded threads first, then the least busy: a thread still loading takes work only when none is loaded.
      const best = open.reduce((a, b) => (a.ready !== b.ready ? (a.ready ? a : b) : a.tasks.size <= b.tasks.size ? a : b));
      dispatch(best, queue.shift()!);
    }
  }

  const submit = (wires: readonly WireTask[], settle: (wire: WireTask, reply: Reply) => void): void => {
    if (broken) throw broken;
    if (closed) throw closedError();
    start();
    queue.push(wires.map((wire) => ({ wire, attempts: 0, settle: (reply: Reply) => settle(wire, reply) })));
    pump();
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      closed = true;
      failAll(closedError());
      local.close();
      await Promise.all(slots.map((s) => s.worker.terminate()));
    })());

  const assertRegistry = async (): Promise<void> => {
    try {
      await reader?.checkRegistry();
    } catch (error) {
      if (isMicrocredError(error) && REGISTRY_CONFIG_CODES.has(error.code)) throw error;
    }
  };

  const verifyInThread = (input: unknown, verifyOptions: VerifyOptions): Promise<VerificationOutcome> =>
    new Promise((resolve, reject) => {
      submit([{ id: nextId++, kind: 'input', input, options: verifyOptions }], (_wire, reply) => (reply.error ? reject(reply.error) : resolve(reply.outcome!)));
    });

  const runFiles = (names: readonly string[], strictFiles: boolean, onResult: (result: BulkResult) => void): Promise<void> =>
    new Promise((resolve, reject) => {
      let left = names.length;
      let failed = false;
      submit(
        names.map((name) => ({ id: nextId++, kind: 'file', name, strictFiles })),
        (_wire, reply) => {
          if (failed) return;
          if (reply.error) {
            failed = true;
            reject(reply.error);
            return;
          }
          onResult(reply.result!);
          if (--left === 0) resolve();
        },
      );
    });

  return {
    threads: size,
    policy: local.policy,
    reader,
    checkRegistry: () => local.checkRegistry(),
    prefetch: (inputs) => local.prefetch(inputs),
    workers: () => slots.filter((s) => !s.exited).map((s) => s.worker),
    inFlight: () => byId.size,
    async ready() {
      start();
      await Promise.all(slots.map((s) => s.loaded));
      if (broken) throw broken;
    },
    async verify(input, verifyOptions = {}) {
      await assertRegistry();
      // Until a thread has loaded, a single input is verified here rather than waiting a second for one.
      if (lazy && !slots.some((s) => s.ready)) {
        start();
        return local.verify(input, verifyOptions);
      }
      return verifyInThread(input, verifyOptions);
    },
    async verifyFiles(names, { strictFiles, onResult }) {
      // One job is one lookupMany batch of files, so the registry reads stay one per batch. A registry call takes a
      // node a few hundred ms for a full batch, so each thread holds JOBS_PER_THREAD jobs: while some wait for their
      // answers, it verifies another.
      const jobSize = reader?.batchSize ?? 250;
      const running = new Set<Promise<void>>();
      const launch = (batch: readonly string[]): void => {
        const job = runFiles(batch, strictFiles, onResult);
        running.add(job);
        job.then(
          () => running.delete(job),
          () => running.delete(job),
        );
      };
      let batch: string[] = [];
      for await (const name of names) {
        batch.push(name);
        if (batch.length < jobSize) continue;
        launch(batch);
        batch = [];
        while (running.size >= size * JOBS_PER_THREAD) await Promise.race(running);
      }
      if (batch.length > 0) launch(batch);
      await Promise.all(running);
    },
    stop,
    close() {
      void stop();
    },
  };
}

/**
 * Bulk runs of at least this many files use worker threads by default. A thread costs ~0.8 s of CPU to load from dist/
 * (more from source) and warm its caches; below this, one thread finishes first (measured: scripts/bench-verify-pool.ts).
 */
export const BULK_THREADS_MIN_FILES = 1_000;

/** Threads for a bulk run of `files`: as asked (0 = this thread only), else one per core for large runs on 2+ cores. */
export function bulkThreads(requested: number | undefined, files: number, cores: number = availableParallelism()): number {
  if (requested !== undefined) return requested;
  return cores >= 2 && files >= BULK_THREADS_MIN_FILES ? cores : 0;
}

// Body of a verification thread: a full verifier with its own warm caches; chain, DID and status-list I/O are asked
// of the calling thread. Bulk jobs read their files here, prefetch their registry answers together, then verify.
import { parentPort, workerData } from 'node:worker_threads';
import { eachBounded, readBulkInput, toBulkResult } from './bulk';
import { createPrimedReader, createProxyDidResolver, createProxyReader, createProxyStatusListFetcher, type Ask } from './pool-proxies';
import { fromWire, toWire, type FromWorker, type PoolWorkerData, type ToWorker, type WireTask } from './pool-protocol';
import type { VerificationOutcome } from './result';
import { createVerifier, type Verifier } from './verifier';
import { verifierOptionsOf, type VerifierAdapters } from './verifier-spec';

const port = parentPort;
if (port === null) throw new Error('pool-worker-main must run in a worker thread');
const data = workerData as PoolWorkerData;

/**
 * Verifications running at once in this thread, whatever the jobs: enough to overlap the questions to the calling
 * thread, few enough that hundreds of half-done verifications do not crowd the heap (measured: 350 at once cost ~1.5x
 * the CPU of a few at once).
 */
const MAX_RUNNING = 8;
let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const send = (message: FromWorker): void => {
  try {
    port.postMessage(message);
  } catch {
    // A value structured clone refuses (none expected) still arrives as its JSON form.
    port.postMessage(JSON.parse(JSON.stringify(message)) as FromWorker);
  }
};

let nextAsk = 1;
const asked = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
const ask: Ask = (question) =>
  new Promise((resolve, reject) => {
    const id = nextAsk++;
    asked.set(id, { resolve, reject });
    send({ type: 'ask', id, question });
  });

// The caller's injected clock travels with each run; without one, this thread's clock is the same wall clock.
let clockMs: number | undefined;
const adapters: VerifierAdapters = {
  ...(data.didResolver ? { didResolver: createProxyDidResolver(ask) } : {}),
  ...(data.statusLists ? { statusListFetcher: createProxyStatusListFetcher(ask) } : {}),
  now: () => (clockMs === undefined ? new Date() : new Date(clockMs)),
};
const reader = data.reader === undefined ? undefined : createProxyReader(data.reader, ask);
// The spec's RPC URLs are never dialled from here: the registry is the calling thread's reader.
const { chain: _dialledElsewhere, ...spec } = data.spec;
const options = verifierOptionsOf(spec, adapters, reader ? { reader } : undefined);
const verifier = createVerifier(options);

function runTask(task: WireTask, v: Verifier, read?: string | VerificationOutcome): Promise<void> {
  return slot(() => verifyTask(task, v, read));
}

async function verifyTask(task: WireTask, v: Verifier, read?: string | VerificationOutcome): Promise<void> {
  try {
    if (task.kind === 'input') {
      send({ type: 'done', id: task.id, outcome: await v.verify(task.input, task.options) });
      return;
    }
    const content = read ?? (await readBulkInput(task.name));
    const outcome = typeof content === 'string' ? await v.verify(content) : content;
    send({ type: 'done', id: task.id, result: toBulkResult(task.name, outcome, task.strictFiles) });
  } catch (error) {
    send({ type: 'done', id: task.id, error: toWire(error) });
  }
}

async function runJob(tasks: readonly WireTask[]): Promise<void> {
  if (tasks.length === 1) return runTask(tasks[0]!, verifier);
  // As the single-thread bulk run does per chunk: read, ask the registry about all at once, verify from those answers.
  const jobVerifier = reader === undefined ? verifier : createVerifier({ ...options, chain: { reader: createPrimedReader(reader) } });
  const contents: Array<string | VerificationOutcome | undefined> = new Array<string | VerificationOutcome | undefined>(tasks.length);
  await eachBounded(tasks.length, 16, async (i) => {
    const task = tasks[i]!;
    if (task.kind === 'file') contents[i] = await readBulkInput(task.name);
  });
  const inputs: unknown[] = [];
  tasks.forEach((task, i) => {
    if (task.kind === 'input') inputs.push(task.input);
    else if (typeof contents[i] === 'string') inputs.push(contents[i]);
  });
  await jobVerifier.prefetch(inputs);
  await eachBounded(tasks.length, MAX_RUNNING, async (i) => {
    await runTask(tasks[i]!, jobVerifier, contents[i]);
    contents[i] = undefined;
  });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'answer') {
    const pending = asked.get(message.id);
    if (pending === undefined) return;
    asked.delete(message.id);
    if (message.error !== undefined) pending.reject(fromWire(message.error));
    else pending.resolve(message.value);
    return;
  }
  if (message.nowMs !== undefined) clockMs = message.nowMs;
  void runJob(message.tasks);
});
send({ type: 'ready' });

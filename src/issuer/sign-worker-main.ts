// Body of a signing worker thread: signs Data Integrity credentials and runs VC-JOSE batch jobs with its own key copy and warm caches.
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader, defaultDocumentLoader } from '../contexts';
import { isMicrocredError } from '../errors';
import { signDataIntegrity } from '../signing';
import { SigningKey } from '../signing';
import { runJoseJob, type JoseJobResult } from './jose-job';
import type { SignReply, SignRequest, SignWorkerData } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('sign-worker-main must run in a worker thread');
const data = workerData as SignWorkerData;
const signingKey = SigningKey.load(data.key);
// One loader per thread: jsonld caches processed contexts per thread, so each worker warms its own cache once.
const loader = Object.keys(data.extraDocuments ?? {}).length === 0 ? defaultDocumentLoader() : createDocumentLoader({ extraDocuments: data.extraDocuments ?? {} });

/**
 * Runs a message's VC-JOSE jobs all at once: jose signs through WebCrypto, which hands each signature to libuv's thread
 * pool, and awaiting them one by one left this thread idle for about as long as a job's own work.
 */
function runJose(request: Extract<SignRequest, { kind: 'jose' }>): Promise<JoseJobResult[]> {
  const now = new Date(request.nowMs);
  const context = { issuer: data.issuer, signingKey, now: () => now };
  return Promise.all(request.jobs.map((job) => runJoseJob(job, context)));
}

port.on('message', (request: SignRequest) => {
  if (request.kind === 'jose') {
    void runJose(request).then((results) => port.postMessage({ id: request.id, results } satisfies SignReply));
    return;
  }
  void signDataIntegrity(request.credential, { signingKey, loader, now: () => new Date(request.createdMs) }).then(
    (signed) => port.postMessage({ id: request.id, document: JSON.stringify(signed) } satisfies SignReply),
    (error: unknown) => {
      const code = isMicrocredError(error) ? error.code : 'ERR_SIGN_FAILED';
      const message = error instanceof Error ? error.message : 'The credential could not be signed.';
      port.postMessage({ id: request.id, error: { code, message } } satisfies SignReply);
    },
  );
});

// Body of a signing worker thread: signs Data Integrity credentials with its own key copy and warm context cache.
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader, defaultDocumentLoader } from '../contexts';
import { isMicrocredError } from '../errors';
import { signDataIntegrity } from '../signing';
import { SigningKey, type SerializedKey } from '../signing';
import type { SignReply, SignRequest } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('sign-worker-main must run in a worker thread');
const data = workerData as { key: SerializedKey; extraDocuments?: Record<string, object> };
const signingKey = SigningKey.load(data.key);
// One loader per thread: jsonld caches processed contexts per thread, so each worker warms its own cache once.
const loader = Object.keys(data.extraDocuments ?? {}).length === 0 ? defaultDocumentLoader() : createDocumentLoader({ extraDocuments: data.extraDocuments ?? {} });

port.on('message', (request: SignRequest) => {
  void signDataIntegrity(request.credential, { signingKey, loader, now: () => new Date(request.createdMs) }).then(
    (signed) => port.postMessage({ id: request.id, document: JSON.stringify(signed) } satisfies SignReply),
    (error: unknown) => {
      const code = isMicrocredError(error) ? error.code : 'ERR_SIGN_FAILED';
      const message = error instanceof Error ? error.message : 'The credential could not be signed.';
      port.postMessage({ id: request.id, error: { code, message } } satisfies SignReply);
    },
  );
});

// Body of a signing worker thread: signs Data Integrity credentials with its own key copy and warm context cache.
import { parentPort, workerData } from 'node:worker_threads';
import { defaultDocumentLoader } from '../contexts';
import { isMicrocredError } from '../errors';
import { signDataIntegrity } from '../signing';
import { SigningKey, type SerializedKey } from '../signing';
import type { SignReply, SignRequest } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('sign-worker-main must run in a worker thread');
const signingKey = SigningKey.load((workerData as { key: SerializedKey }).key);
// One loader per thread: jsonld caches processed contexts per thread, so each worker warms its own cache once.
const loader = defaultDocumentLoader();

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

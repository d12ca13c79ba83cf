// Picks the credential signer the configuration asks for: on the main thread, or a pool of signing worker threads.
import { availableParallelism } from 'node:os';
import type { DocumentLoader } from '../contexts';
import type { IssuerKeyring } from '../signing';
import { createLocalSigner, type CredentialSigner } from './signer';
import { createWorkerPoolSigner } from './worker-signer';

/** The signer for `threads` worker threads (0: sign on the calling thread; undefined: one thread per core, started by large batches). */
export function createSigner(options: { keyring: IssuerKeyring; loader: DocumentLoader; now: () => Date; threads: number | undefined; extraDocuments?: ReadonlyMap<string, object> }): CredentialSigner {
  const { threads, extraDocuments, ...rest } = options;
  if (threads === 0) return createLocalSigner(rest);
  return createWorkerPoolSigner({ ...rest, size: threads ?? availableParallelism(), ...(extraDocuments ? { extraDocuments } : {}) });
}

// Picks the credential signer the configuration asks for: on the main thread, or a pool of signing worker threads.
import type { DocumentLoader } from '../contexts';
import type { IssuerKeyring } from '../signing';
import { createLocalSigner, type CredentialSigner } from './signer';
import { createWorkerPoolSigner } from './worker-signer';

/** The signer for `threads` worker threads (0: sign on the calling thread). */
export function createSigner(options: { keyring: IssuerKeyring; loader: DocumentLoader; now: () => Date; threads: number; extraDocuments?: ReadonlyMap<string, object> }): CredentialSigner {
  const { threads, extraDocuments, ...rest } = options;
  return threads > 0 ? createWorkerPoolSigner({ ...rest, size: threads, ...(extraDocuments ? { extraDocuments } : {}) }) : createLocalSigner(rest);
}

// The signer the bench gives the issuer service: what `MICROCRED_SIGNING_THREADS=<cores>` configures, one thread per core.
import { availableParallelism } from 'node:os';
import type { DocumentLoader } from '../src/contexts/loader';
import { createSigner, type CredentialSigner } from '../src/issuer';
import type { IssuerKeyring } from '../src/signing';

/** The signer to give createIssuerService, and a label for the report. */
export function createBenchSigner(options: { keyring: IssuerKeyring; loader: DocumentLoader; now: () => Date }): { signer: CredentialSigner; label: string } {
  const threads = availableParallelism();
  return {
    signer: createSigner({ ...options, threads }),
    label: `MICROCRED_SIGNING_THREADS=${threads}: ${threads} worker threads for Data Integrity and for VC-JOSE batches (validate, build, leaf, sign), storing on the main thread`,
  };
}

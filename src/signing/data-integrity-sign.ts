// Signs a credential with a Data Integrity eddsa-rdfc-2022 proof through @digitalbazaar/vc (canonicalising through cached templates).
import { DataIntegrityProof, vc } from '../libraries';
import { defaultDocumentLoader, type DocumentLoader } from '../contexts';
import { findMicrocredError, MicrocredError } from '../errors';
import type { SigningKey } from './keys';
import { templatedCryptosuite } from './fast-cryptosuite';

/** Options for {@link signDataIntegrity}. */
export interface SignDataIntegrityOptions {
  /** An Ed25519 key bound to the issuer DID (its `id` becomes the proof's verificationMethod). */
  signingKey: SigningKey;
  /** Offline loader; defaults to the process-wide one. */
  loader?: DocumentLoader;
  /** Clock for `proof.created`. */
  now?: () => Date;
}

/** A credential with its proof(s). */
export type SignedCredential = Record<string, unknown> & { proof: unknown };

/** Adds an eddsa-rdfc-2022 DataIntegrityProof, written as a one-proof array (`proof: [...]`); the input is not modified. Throws ERR_SIGN_FAILED / ERR_CONTEXT_NOT_BUNDLED. */
export async function signDataIntegrity(credential: Record<string, unknown>, options: SignDataIntegrityOptions): Promise<SignedCredential> {
  const signer = options.signingKey.dataIntegritySigner();
  const created = (options.now ?? (() => new Date()))();
  // Whole seconds: the proof's `created` is an XSD dateTime and most verifiers print it without milliseconds.
  const documentLoader = options.loader ?? defaultDocumentLoader();
  const suite = new DataIntegrityProof({ signer, date: new Date(Math.floor(created.getTime() / 1000) * 1000), cryptosuite: templatedCryptosuite(documentLoader) });
  try {
    const signed = (await vc.issue({
      credential: structuredClone(credential),
      suite,
      documentLoader,
      now: created,
    })) as SignedCredential;
    // Always a set: the Open Badges 3.0 JSON Schema requires `proof` to be an array, and the anchor proof joins it later.
    return { ...signed, proof: Array.isArray(signed.proof) ? signed.proof : [signed.proof] };
  } catch (error) {
    const known = findMicrocredError(error);
    if (known) throw known;
    throw new MicrocredError('ERR_SIGN_FAILED', `The credential could not be signed: ${(error as Error).message}. Check that every term is defined by its contexts.`, {
      cause: error,
    });
  }
}

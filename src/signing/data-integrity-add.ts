// Adds one more eddsa-rdfc-2022 proof to a secured credential: a member of its proof set, or a link of a proof chain (previousProof).
import { DataIntegrityProof, eddsaRdfc2022, jsigs, overPreviousProofs, setProofOptions } from '../libraries';
import { defaultDocumentLoader, type DocumentLoader } from '../contexts';
import { findMicrocredError, MicrocredError } from '../errors';
import { proofsOf } from './anchor-proof';
import { readProofChain } from './proof-chain';
import type { SignedCredential } from './data-integrity-sign';
import type { SigningKey } from './keys';

/** Options for {@link addDataIntegrityProof}. */
export interface AddProofOptions {
  /** The signer's Ed25519 key, bound to its DID (its `id` becomes the proof's verificationMethod). */
  signingKey: SigningKey;
  /** The new proof's own id (a URL), so that a later proof can name it in its previousProof. */
  id?: string;
  /** The id(s) of the earlier proof(s) this one follows: a proof chain. Absent: an independent member of the proof set. */
  previousProof?: string | readonly string[];
  loader?: DocumentLoader;
  now?: () => Date;
}

/**
 * Returns `secured` with one more DataIntegrityProof (eddsa-rdfc-2022, assertionMethod) appended to its `proof` array;
 * with `previousProof` the new proof signs the document together with the proofs it names (Data Integrity § 4.2).
 * The input is not modified. Throws ERR_DI_PROOF_CHAIN (a named proof is not there), ERR_SIGN_FAILED, ERR_CONTEXT_NOT_BUNDLED.
 */
export async function addDataIntegrityProof(secured: Record<string, unknown>, options: AddProofOptions): Promise<SignedCredential> {
  const existing = proofsOf(secured);
  const previousIds = options.previousProof === undefined ? [] : typeof options.previousProof === 'string' ? [options.previousProof] : [...options.previousProof];
  const draft: Record<string, unknown> = { ...(options.id !== undefined ? { id: options.id } : {}), ...(previousIds.length > 0 ? { previousProof: options.previousProof } : {}) };
  const chain = readProofChain([draft], existing);
  if ('problem' in chain) throw new MicrocredError('ERR_DI_PROOF_CHAIN', `The proof cannot be added: ${chain.problem}`);
  const created = (options.now ?? (() => new Date()))();
  const suite = new DataIntegrityProof({ signer: options.signingKey.dataIntegritySigner(), date: new Date(Math.floor(created.getTime() / 1000) * 1000), cryptosuite: eddsaRdfc2022 });
  setProofOptions(suite, draft);
  const previous = chain.links[0]!.previous;
  try {
    const signed = await jsigs.sign(structuredClone({ ...secured, proof: existing }), {
      suite: previous.length > 0 ? overPreviousProofs(suite, previous) : suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader: options.loader ?? defaultDocumentLoader(),
      // The earlier proofs sign the contexts as they are: adding one here would break them.
      addSuiteContext: false,
    });
    return signed as SignedCredential;
  } catch (error) {
    const known = findMicrocredError(error);
    if (known) throw known;
    throw new MicrocredError('ERR_SIGN_FAILED', `The proof could not be added: ${(error as Error).message}. Check that the credential's contexts define Data Integrity proofs.`, { cause: error });
  }
}

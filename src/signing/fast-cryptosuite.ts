// eddsa-rdfc-2022 with templated canonicalisation: the library's cryptosuite, its canonize step swapped for templateCanonize.
import { verify as cryptoVerify } from 'node:crypto';
import { contextsOwner, type DocumentLoader } from '../contexts';
import { DataIntegrityProof, Ed25519Signature2020, ed25519MultikeyPublic, eddsaRdfc2022, type CanonizeOptions, type Suite } from '../libraries';
import { ed25519PublicKeyObject } from './key-cache';
import { templateCanonize } from './template-canonize';

/**
 * The library's createVerifier (Ed25519Multikey.from, then its verifier), with the node:crypto public key made once per
 * key rather than for every signature: the same crypto.verify over the same SPKI key, ~0.1 ms a credential less.
 */
export async function cachedKeyVerifier({ verificationMethod }: { verificationMethod: object }): Promise<ReturnType<Awaited<ReturnType<typeof ed25519MultikeyPublic>>['verifier']>> {
  const key = await ed25519MultikeyPublic(verificationMethod);
  const verifier = key.verifier();
  const raw = key.publicKey;
  // Anything but 32 key bytes is left to the library's verifier, so it fails exactly as it always did.
  if (!(raw instanceof Uint8Array) || raw.length !== 32) return verifier;
  return {
    algorithm: verifier.algorithm,
    id: verifier.id,
    // A throw becomes a rejection, as from the library's async verify.
    verify: ({ data, signature }) => new Promise<boolean>((resolve) => resolve(cryptoVerify(null, data, ed25519PublicKeyObject(raw), signature))),
  };
}

const cryptosuites = new WeakMap<DocumentLoader, unknown>();
const verificationSuites = new WeakMap<DocumentLoader, readonly Suite[]>();

/** The eddsa-rdfc-2022 cryptosuite for documents loaded by `loader`, its canonize reusing templates of known shapes (same bytes as the library's). */
export function templatedCryptosuite(loader: DocumentLoader): unknown {
  // Keyed by the loader whose contexts it serves: a per-call wrapper (a verification's DID budget) shares templates.
  const owner = contextsOwner(loader);
  let suite = cryptosuites.get(owner);
  if (suite === undefined) {
    suite = { ...(eddsaRdfc2022 as object), canonize: (input: object, options: CanonizeOptions) => templateCanonize(input, options, owner), createVerifier: cachedKeyVerifier };
    cryptosuites.set(owner, suite);
  }
  return suite;
}

/** The verification suites (templated eddsa-rdfc-2022 and Ed25519Signature2020) for documents loaded by `loader`. */
export function templatedVerificationSuites(loader: DocumentLoader): readonly Suite[] {
  const owner = contextsOwner(loader);
  let suites = verificationSuites.get(owner);
  if (suites === undefined) {
    suites = [new DataIntegrityProof({ cryptosuite: templatedCryptosuite(owner) }), new Ed25519Signature2020()];
    verificationSuites.set(owner, suites);
  }
  return suites;
}

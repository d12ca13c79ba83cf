// eddsa-rdfc-2022 with templated canonicalisation: the library's cryptosuite, its canonize step swapped for templateCanonize.
import { contextsOwner, type DocumentLoader } from '../contexts';
import { DataIntegrityProof, Ed25519Signature2020, eddsaRdfc2022, type CanonizeOptions, type Suite } from '../libraries';
import { templateCanonize } from './template-canonize';

const cryptosuites = new WeakMap<DocumentLoader, unknown>();
const verificationSuites = new WeakMap<DocumentLoader, readonly Suite[]>();

/** The eddsa-rdfc-2022 cryptosuite for documents loaded by `loader`, its canonize reusing templates of known shapes (same bytes as the library's). */
export function templatedCryptosuite(loader: DocumentLoader): unknown {
  // Keyed by the loader whose contexts it serves: a per-call wrapper (a verification's DID budget) shares templates.
  const owner = contextsOwner(loader);
  let suite = cryptosuites.get(owner);
  if (suite === undefined) {
    suite = { ...(eddsaRdfc2022 as object), canonize: (input: object, options: CanonizeOptions) => templateCanonize(input, options, owner) };
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

// Typed views of the untyped @digitalbazaar / jsonld-signatures APIs microcred calls (types/digitalbazaar.d.ts says `any`).
import * as vcModule from '@digitalbazaar/vc';
import * as dataIntegrityModule from '@digitalbazaar/data-integrity';
import * as eddsaModule from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as ed2020Module from '@digitalbazaar/ed25519-signature-2020';
import * as ed25519MultikeyModule from '@digitalbazaar/ed25519-multikey';
import * as didMethodKeyModule from '@digitalbazaar/did-method-key';
import * as bitstringStatusListModule from '@digitalbazaar/vc-bitstring-status-list';
import jsigsModule from 'jsonld-signatures';
import type { DocumentLoader } from './jsonld';

/** A jsonld-signatures suite instance (opaque here). */
export interface Suite {
  readonly __suite?: never;
}

/** The parts of @digitalbazaar/vc used here. */
export const vc = vcModule as unknown as {
  issue(input: { credential: object; suite: Suite; documentLoader: DocumentLoader; now?: Date }): Promise<Record<string, unknown>>;
};

/** DataIntegrityProof constructor. */
export const DataIntegrityProof = (dataIntegrityModule as unknown as {
  DataIntegrityProof: new (input: { cryptosuite: unknown; signer?: unknown; date?: Date }) => Suite;
}).DataIntegrityProof;

/** Sets proof options (`id`, `previousProof`) that a DataIntegrityProof suite writes into the next proof it creates. */
export function setProofOptions(suite: Suite, options: Record<string, unknown>): void {
  (suite as unknown as { proof?: Record<string, unknown> }).proof = { ...options };
}

/** The eddsa-rdfc-2022 cryptosuite object. */
export const eddsaRdfc2022: unknown = (eddsaModule as unknown as { cryptosuite: unknown }).cryptosuite;

/** Ed25519Signature2020 suite constructor. */
export const Ed25519Signature2020 = (ed2020Module as unknown as { Ed25519Signature2020: new () => Suite }).Ed25519Signature2020;

/** Ed25519Multikey.from, used by the did:key driver. */
export const ed25519MultikeyFrom: unknown = (ed25519MultikeyModule as unknown as { from: unknown }).from;

/** What Ed25519Multikey.from gives a verifier: the raw public key and the library's own verifier. */
export interface Ed25519MultikeyPublic {
  readonly publicKey?: Uint8Array;
  verifier(): { algorithm: string; id: string; verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
}

/** Ed25519Multikey.from for a verification method, typed (as the eddsa-rdfc-2022 cryptosuite's createVerifier calls it). */
export function ed25519MultikeyPublic(verificationMethod: object): Promise<Ed25519MultikeyPublic> {
  return (ed25519MultikeyFrom as (vm: object) => Promise<Ed25519MultikeyPublic>)(verificationMethod);
}

/** did-method-key driver factory. */
export const didKeyDriverFactory = (didMethodKeyModule as unknown as {
  driver: () => {
    use(input: { multibaseMultikeyHeader: string; fromMultibase: unknown }): void;
    get(input: { did: string }): Promise<unknown>;
  };
}).driver;

/** One proof's result from jsonld-signatures. */
export interface JsigsProofResult {
  verified: boolean;
  proof: unknown;
  error?: unknown;
  verificationMethod?: { id?: string; controller?: string };
  purposeResult?: { controller?: { id?: string } };
}

/** The parts of jsonld-signatures used here. */
export const jsigs = jsigsModule as unknown as {
  verify(document: object, options: { suite: readonly Suite[]; purpose: unknown; documentLoader: DocumentLoader }): Promise<{ verified: boolean; results?: JsigsProofResult[]; error?: unknown }>;
  sign(document: object, options: { suite: Suite; purpose: unknown; documentLoader: DocumentLoader; addSuiteContext?: boolean }): Promise<Record<string, unknown>>;
  purposes: {
    AssertionProofPurpose: new () => unknown;
    AuthenticationProofPurpose: new (options: { challenge: string; domain?: string }) => unknown;
    ControllerProofPurpose: new (options: { term: string }) => unknown;
  };
};

/**
 * The signature suites microcred verifies: eddsa-rdfc-2022 Data Integrity and Ed25519Signature2020. Suites hold no
 * per-call state when verifying, so this one set serves every call (credentials, presentations, status lists).
 */
export const VERIFICATION_SUITES: readonly Suite[] = [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), new Ed25519Signature2020()];

/** What @digitalbazaar/vc-bitstring-status-list's checkStatus answers. */
export interface StatusListResult {
  verified: boolean;
  error?: { message?: string };
  results?: Array<{ credentialStatus: { statusPurpose?: string; statusListCredential?: string; statusListIndex?: string }; status: boolean }>;
}

/** The part of @digitalbazaar/vc-bitstring-status-list used here. */
export const bitstringStatusList = bitstringStatusListModule as unknown as {
  checkStatus(options: { credential: object; documentLoader: DocumentLoader; suite: readonly Suite[]; verifyMatchingIssuers: boolean }): Promise<StatusListResult>;
};

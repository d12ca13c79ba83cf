// Verifies the signature proofs of a Data Integrity credential (eddsa-rdfc-2022, Ed25519Signature2020), as a proof set or a proof chain; never throws.
import { jsigs, overPreviousProofs, VERIFICATION_SUITES, type JsigsProofResult } from '../libraries';
import { defaultDocumentLoader, type DocumentLoader } from '../contexts';
import { findMicrocredError } from '../errors';
import { isAnchorProof, proofsOf } from './anchor-proof';
import { readProofChain, type ChainLink } from './proof-chain';
import { templatedVerificationSuites } from './fast-cryptosuite';

/** Outcome of {@link verifyDataIntegrity}; `code` is set whenever `verified` is false. */
export interface DataIntegrityResult {
  verified: boolean;
  code?: string;
  message?: string;
  /** Verification method that signed (the first signature proof's). */
  verificationMethod?: string;
  /** Controller of that verification method, as its document states. */
  controller?: string;
  /** The credential's issuer id. */
  issuer?: string;
  /** Whether the controller is the issuer (the "issuer key" check reads this; the signature can be valid without it). */
  controllerIsIssuer?: boolean;
  /** Proof type / cryptosuite of the signature proof(s), e.g. `DataIntegrityProof/eddsa-rdfc-2022`. */
  proofTypes?: string[];
}

/** Options for {@link verifyDataIntegrity}. */
export interface VerifyDataIntegrityOptions {
  loader?: DocumentLoader;
}

const PURPOSE = new jsigs.purposes.AssertionProofPurpose();

function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const { issuer } = credential;
  if (typeof issuer === 'string') return issuer;
  if (typeof issuer === 'object' && issuer !== null && typeof (issuer as { id?: unknown }).id === 'string') return (issuer as { id: string }).id;
  return undefined;
}

function proofLabel(proof: unknown): string {
  const p = proof as { type?: unknown; cryptosuite?: unknown };
  return typeof p.cryptosuite === 'string' ? `${String(p.type)}/${p.cryptosuite}` : String(p.type);
}

// XML Schema dateTimeStamp, as the Data Integrity spec requires for `created` and `expires`.
const DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** The first malformed field of a signature proof (Data Integrity § 2.1), or undefined when every field is well-formed. */
function proofFieldProblem(proof: Record<string, unknown>): string | undefined {
  if (typeof proof.type !== 'string' || proof.type === '') return 'Every proof needs a type.';
  if (proof.type === 'DataIntegrityProof' && (typeof proof.cryptosuite !== 'string' || proof.cryptosuite === '')) return 'A DataIntegrityProof needs a cryptosuite.';
  if (typeof proof.proofPurpose !== 'string' || proof.proofPurpose === '') return 'Every proof needs a proofPurpose.';
  if (typeof proof.verificationMethod !== 'string' || !URL_LIKE.test(proof.verificationMethod)) return 'Every proof needs a verificationMethod URL.';
  if (typeof proof.proofValue !== 'string' || proof.proofValue === '') return 'Every proof needs a proofValue.';
  for (const key of ['created', 'expires']) {
    const value = proof[key];
    if (value !== undefined && (typeof value !== 'string' || !DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value)))) {
      return `The proof's ${key} must be a date-time with a time zone.`;
    }
  }
  return undefined;
}

function fail(code: string, message: string, extra: Partial<DataIntegrityResult> = {}): DataIntegrityResult {
  return { verified: false, code, message, ...extra };
}

type Outcome = { verified: boolean; results?: JsigsProofResult[]; error?: unknown };

/**
 * Data Integrity § 4.5: the proofs of a plain set are verified together over the document without proofs; each chained
 * proof alone, over the document whose `proof` is the earlier proofs it names. Results come back in one list.
 */
async function verifyLinks(doc: Record<string, unknown>, links: readonly ChainLink[], loader: DocumentLoader): Promise<Outcome> {
  const purpose = PURPOSE;
  const independent = links.filter((link) => link.previous.length === 0).map((link) => link.proof);
  const chained = links.filter((link) => link.previous.length > 0);
  const calls: Promise<Outcome>[] = [];
  if (independent.length > 0) {
    // Independent proofs take the templated fast path; a chained proof covers earlier proofs, so it takes the library's.
    calls.push(jsigs.verify({ ...doc, proof: independent.length === 1 ? independent[0] : independent }, { suite: templatedVerificationSuites(loader), purpose, documentLoader: loader }));
  }
  for (const link of chained) {
    const suites = VERIFICATION_SUITES.map((suite) => overPreviousProofs(suite, link.previous));
    calls.push(jsigs.verify({ ...doc, proof: link.proof }, { suite: suites, purpose, documentLoader: loader }));
  }
  const outcomes = await Promise.all(calls);
  return {
    verified: outcomes.every((o) => o.verified),
    results: outcomes.flatMap((o) => o.results ?? []),
    error: outcomes.find((o) => !o.verified)?.error,
  };
}

/**
 * Verifies every signature proof of `credential`, as a proof set (each proof independent) or a proof chain (a proof
 * with `previousProof` covers the earlier proofs it names); anchor proofs (`microcred-merkle-anchor-2026`) are not
 * signatures, but at least one signature proof is required. Codes: ERR_DI_MALFORMED, ERR_DI_NO_PROOF,
 * ERR_DI_PROOF_CHAIN, ERR_DI_UNSUPPORTED_PROOF, ERR_DI_SIGNATURE, ERR_CONTEXT_NOT_BUNDLED, ERR_DID_*.
 */
export async function verifyDataIntegrity(credential: unknown, options: VerifyDataIntegrityOptions = {}): Promise<DataIntegrityResult> {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    return fail('ERR_DI_MALFORMED', 'A Data Integrity credential must be a JSON object.');
  }
  const doc = credential as Record<string, unknown>;
  const issuer = issuerIdOf(doc);
  const allProofs = proofsOf(doc);
  const signatureProofs = allProofs.filter((p) => !isAnchorProof(p));
  if (signatureProofs.length === 0) return fail('ERR_DI_NO_PROOF', 'The credential carries no signature proof.', { issuer });
  if (signatureProofs.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    return fail('ERR_DI_MALFORMED', 'Every proof must be a JSON object.', { issuer });
  }
  const fieldProblem = signatureProofs.map((p) => proofFieldProblem(p as Record<string, unknown>)).find((problem) => problem !== undefined);
  const proofTypes = signatureProofs.map(proofLabel);
  if (fieldProblem !== undefined) return fail('ERR_DI_MALFORMED', fieldProblem, { issuer, proofTypes });
  const chain = readProofChain(signatureProofs as Record<string, unknown>[], allProofs);
  if ('problem' in chain) return fail('ERR_DI_PROOF_CHAIN', `The proof chain is broken: ${chain.problem}`, { issuer, proofTypes });
  let outcome: Outcome;
  try {
    outcome = await verifyLinks(doc, chain.links, options.loader ?? defaultDocumentLoader());
  } catch (error) {
    return fromError(error, { issuer, proofTypes });
  }
  const results = outcome.results ?? [];
  if (results.length === 0) {
    const known = findMicrocredError(outcome.error);
    if (known) return fail(known.code, known.message, { issuer, proofTypes });
    return fail('ERR_DI_UNSUPPORTED_PROOF', `No supported signature proof (supported: DataIntegrityProof/eddsa-rdfc-2022, Ed25519Signature2020 with proofPurpose assertionMethod); found ${proofTypes.join(', ')}.`, {
      issuer,
      proofTypes,
    });
  }
  // The issuer's own proof speaks for the credential wherever it sits in the set: an extra valid proof placed first
  // (anyone can add one) must not make a genuine credential look signed by someone else.
  const controllerOf = (r: JsigsProofResult): string | undefined => r.purposeResult?.controller?.id ?? r.verificationMethod?.controller;
  const first = results.find((r) => issuer !== undefined && controllerOf(r) === issuer) ?? results[0]!;
  const verificationMethod = first.verificationMethod?.id ?? (first.proof as { verificationMethod?: string }).verificationMethod;
  const controller = controllerOf(first);
  const facts: Partial<DataIntegrityResult> = { issuer, proofTypes, verificationMethod, controller, controllerIsIssuer: controller !== undefined && controller === issuer };
  if (results.length < signatureProofs.length) {
    return fail('ERR_DI_UNSUPPORTED_PROOF', 'One of the signature proofs has an unsupported type or purpose; every signature proof must verify.', facts);
  }
  const bad = results.find((r) => !r.verified);
  if (bad || !outcome.verified) return fromError(bad?.error ?? outcome.error, facts);
  return { verified: true, ...facts };
}

function fromError(error: unknown, facts: Partial<DataIntegrityResult>): DataIntegrityResult {
  const known = findMicrocredError(error);
  if (known) return fail(known.code, known.message, facts);
  const first = Array.isArray(error) ? (error[0] as unknown) : error;
  const message = first instanceof Error ? first.message.replace(/\.$/, '') : 'the signature does not match the credential';
  return fail('ERR_DI_SIGNATURE', `Signature verification failed: ${message}. The credential was changed after signing or the key is wrong.`, facts);
}

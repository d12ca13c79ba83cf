// Verifies the signature proofs of a Data Integrity credential (eddsa-rdfc-2022, Ed25519Signature2020); never throws.
import { jsigs, type JsigsProofResult } from '../libraries';
import { defaultDocumentLoader, type DocumentLoader } from '../contexts';
import { findMicrocredError } from '../errors';
import { isAnchorProof, proofsOf } from './anchor-proof';
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
  if (proof.previousProof !== undefined) return 'Proof chains (previousProof) are not supported; send each proof as an independent member of the proof set.';
  return undefined;
}

function fail(code: string, message: string, extra: Partial<DataIntegrityResult> = {}): DataIntegrityResult {
  return { verified: false, code, message, ...extra };
}

/**
 * Verifies every signature proof of `credential`; anchor proofs (`microcred-merkle-anchor-2026`) are ignored, but at
 * least one signature proof is required. Codes: ERR_DI_MALFORMED, ERR_DI_NO_PROOF, ERR_DI_UNSUPPORTED_PROOF,
 * ERR_DI_SIGNATURE, ERR_CONTEXT_NOT_BUNDLED, ERR_DID_*.
 */
export async function verifyDataIntegrity(credential: unknown, options: VerifyDataIntegrityOptions = {}): Promise<DataIntegrityResult> {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    return fail('ERR_DI_MALFORMED', 'A Data Integrity credential must be a JSON object.');
  }
  const doc = credential as Record<string, unknown>;
  const issuer = issuerIdOf(doc);
  const signatureProofs = proofsOf(doc).filter((p) => !isAnchorProof(p));
  if (signatureProofs.length === 0) return fail('ERR_DI_NO_PROOF', 'The credential carries no signature proof.', { issuer });
  if (signatureProofs.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    return fail('ERR_DI_MALFORMED', 'Every proof must be a JSON object.', { issuer });
  }
  const fieldProblem = signatureProofs.map((p) => proofFieldProblem(p as Record<string, unknown>)).find((problem) => problem !== undefined);
  if (fieldProblem !== undefined) {
    const code = fieldProblem.startsWith('Proof chains') ? 'ERR_DI_UNSUPPORTED_PROOF' : 'ERR_DI_MALFORMED';
    return fail(code, fieldProblem, { issuer, proofTypes: signatureProofs.map(proofLabel) });
  }
  const proofTypes = signatureProofs.map(proofLabel);
  let outcome: { verified: boolean; results?: JsigsProofResult[]; error?: unknown };
  const documentLoader = options.loader ?? defaultDocumentLoader();
  try {
    outcome = await jsigs.verify(
      { ...doc, proof: signatureProofs.length === 1 ? signatureProofs[0] : signatureProofs },
      { suite: templatedVerificationSuites(documentLoader), purpose: PURPOSE, documentLoader },
    );
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

// Check 3, signature: the Data Integrity proof(s) or the JWS signature verify with the key they name.
import { couldNotCheck } from '../../errors';
import type { CredentialContext } from '../context';
import { checkResult, type CheckResult } from '../result';

const MISSING = new Set(['ERR_DI_NO_PROOF']);
const UNSUPPORTED = new Set(['ERR_DI_UNSUPPORTED_PROOF', 'ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JOSE_TYP', 'ERR_JOSE_B64', 'ERR_COSE_ALG_NOT_ALLOWED', 'ERR_COSE_TYP']);
const MALFORMED = new Set(['ERR_DI_MALFORMED', 'ERR_DI_PROOF_CHAIN', 'ERR_JOSE_MALFORMED', 'ERR_JOSE_KID_MISSING', 'ERR_JOSE_PAYLOAD', 'ERR_COSE_MALFORMED', 'ERR_COSE_PAYLOAD', 'ERR_COSE_KID_MISSING', 'ERR_DID_KEY_INVALID', 'ERR_DID_JWK_INVALID', 'ERR_DID_WEB_INVALID']);
const KEY_NOT_FOUND = new Set(['ERR_DID_VM_NOT_FOUND', 'ERR_JOSE_KEY_MISMATCH', 'ERR_COSE_KEY_MISMATCH', 'ERR_COSE_KID_NOT_ISSUER', 'ERR_COSE_KID_UNKNOWN']);

/**
 * SIGNATURE_VALID, or: failed SIGNATURE_INVALID / SIGNATURE_MISSING / SIGNATURE_UNSUPPORTED / SIGNATURE_MALFORMED /
 * SIGNATURE_KEY_NOT_FOUND; error SIGNATURE_KEY_UNRESOLVED when the key or a context could not be obtained.
 * `data.cause` is the signing layer's ERR_* code.
 */
export async function signatureCheck(ctx: CredentialContext): Promise<CheckResult> {
  const facts = await ctx.signature();
  const data: Record<string, unknown> = {};
  if (facts.verificationMethod !== undefined) data.verificationMethod = facts.verificationMethod;
  if (facts.proofTypes !== undefined) data.proofTypes = facts.proofTypes;
  if (facts.verified) return checkResult('signature', 'passed', 'SIGNATURE_VALID', 'The signature matches the credential’s content.', data);
  const cause = facts.code ?? 'ERR_DI_SIGNATURE';
  data.cause = cause;
  const detail = facts.message ?? '';
  // The catalog says which codes mean "could not check" (keys or contexts out of reach), not "checked and wrong".
  if (couldNotCheck(cause)) {
    return checkResult('signature', 'error', 'SIGNATURE_KEY_UNRESOLVED', `The signature could not be checked: ${detail}`, data);
  }
  if (MISSING.has(cause)) return checkResult('signature', 'failed', 'SIGNATURE_MISSING', 'The credential carries no signature.', data);
  if (UNSUPPORTED.has(cause)) return checkResult('signature', 'failed', 'SIGNATURE_UNSUPPORTED', `The signature is of a kind that is not accepted: ${detail}`, data);
  if (MALFORMED.has(cause)) return checkResult('signature', 'failed', 'SIGNATURE_MALFORMED', `The signature is malformed: ${detail}`, data);
  if (KEY_NOT_FOUND.has(cause)) return checkResult('signature', 'failed', 'SIGNATURE_KEY_NOT_FOUND', `The signing key is not published by its owner: ${detail}`, data);
  return checkResult('signature', 'failed', 'SIGNATURE_INVALID', 'The signature does not match: the credential was changed after it was signed, or signed with another key.', data);
}

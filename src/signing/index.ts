// Keys, issuers and the two securing forms (Data Integrity and VC-JOSE).
export * from './keys';
export * from './issuer';
export * from './anchor-proof';
export * from './data-integrity-sign';
export * from './data-integrity-verify';
export * from './jose-sign';
export * from './jose-verify';

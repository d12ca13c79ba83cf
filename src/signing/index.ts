// Keys, DIDs, issuers and the two securing forms (Data Integrity and VC-JOSE).
export * from '../did/multikey';
export * from './keys';
export * from '../did/did-document';
export * from '../did/did-key';
export * from '../did/did-web';
export * from '../did/did-web-resolver';
export * from '../did/address-guard';
export * from './issuer';
export * from './anchor-proof';
export * from './data-integrity-sign';
export * from './data-integrity-verify';
export * from './jose-sign';
export * from './jose-verify';

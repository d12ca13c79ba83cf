// The independent checks, one per file, in DESIGN.md order.
export * from './guard';
export * from './parse';
export * from './schema';
export * from './signature';
export * from './issuer-key';
export * from './validity-period';
export * from './anchor';
export * from './accredited-issuer';
export * from './revocation';
export * from './status-list';
export * from './presentation';
export * from './presentation-schema';
export * from './holder-binding';
export * from './presentation-jose';
export * from './endorsement';

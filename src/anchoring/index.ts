// The anchoring stage: leaves, Merkle batches, the anchor proof and the crash-safe outbox that anchors them.
export * from './leaf';
export * from './merkle';
export * from './anchor-proof';
export * from './retry';
export * from './status-reasons';
export * from './outbox';
export { createKeccakHash } from './keccak';

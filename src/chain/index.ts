// The chain stage: the registry contract's artifact, typed client, errors, providers and the development chain.
export * from './artifact';
export * from './errors';
export * from './provider';
export * from './failover';
export * from './types';
export * from './issuer-id';
export * from './deploy';
export * from './registry-client';
export * from './dev-accounts';
export * from './devchain';
export * from './dev-registry';
export * from './anchoring-key';
export * from './operator-rotation';
export * from './lookup-many-codec';

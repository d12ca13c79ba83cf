// The verification stage: independent checks, the policy, the chain reader, the verifier and bulk verification.
export * from './result';
export * from './policy';
export * from './policy-presets';
export * from './input';
export * from './credential-shape';
export * from './signature-facts';
export * from './registry-source';
export * from './registry-client-source';
export * from './chain-reader';
export * from './words';
export * from './anchor-state';
export * from './context';
export * from './checks';
export * from './summary';
export * from './verifier';
export * from './bulk';
export * from './bulk-report';

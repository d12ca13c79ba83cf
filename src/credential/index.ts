// The credential stage: completion record → unsigned Open Badges 3.0 credential.
export * from './schema';
export * from './validate';
export * from './types';
export * from './dates';
export * from './identity';
export * from './build';
export * from './vcdm-rules';
export * from './date-range';
export * from './safe-text';
export * from './subject-name';

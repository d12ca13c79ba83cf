// The issuer stage: keyring, secret, CSV import and the service that issues, lists and changes the status of credentials.
export * from './types';
export * from './secret';
export * from './keyring';
export * from './signer';
export * from './csv';
export * from './caller-credential';
export * from './batch-request';
export * from './service';
export * from './worker-signer';
export * from './signer-choice';
export * from './share';

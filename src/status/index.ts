// Bitstring Status Lists: entries at issuance, publishing, fetching under an egress policy, folders, reconciliation.
export * from './entries';
export * from './allocate';
export * from './publish';
export * from './fetch';
export * from './folder';
export * from './reconcile';

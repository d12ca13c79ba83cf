// The runtime: one composition root for the server and the CLI, the composed HTTP app and the log.
export * from './system';
export * from './compose';
export * from './chain-setup';
export * from './dev-extras';
export * from './log';
export * from './issuer-service';
export * from './share-service';

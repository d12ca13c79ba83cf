// Bundled JSON-LD contexts and the offline document loader.
export * from './bundled';
export * from './loader';
export * from './operator';

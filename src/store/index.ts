// The issuer store: SQLite tables, migrations, sealed keys and online backup.
export { openStore, Store, type OpenStoreOptions } from './store';
export type * from './types';
export type * from './ports';
export { TOKEN_SCOPES } from './types';
export type { AuditInput, AuditQuery } from './audit';
export type { ComputeRoot, SealPolicy } from './batches';
export type { BulkInsertOptions, BulkInsertResult, CredentialQuery, InsertOptions } from './credentials';
export type { NewIssuerKey } from './issuer-keys';
export type { LearnerInput } from './learners';
export { normaliseEmail } from './learners';
export type { StatusChangeInput } from './status-changes';
export { hashRequest, DEFAULT_IDEMPOTENCY_LEASE_MS, type IdempotentOutcome, type IdempotentResponse } from './idempotency';
export { hashToken, tokenHasScope, TOKEN_PREFIX } from './tokens';
export { encrypt, decrypt, parseEncrypted, assertUsableSecret, DEFAULT_SCRYPT, MIN_SECRET_LENGTH, type EncryptedBox, type EncryptOptions } from './crypto';
export { migrate, MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration, type MigrationResult } from './migrations';
export { openDatabase, ensurePrivateDir, type OpenDatabaseOptions, type SyncMode } from './sqlite';
export { backupDatabase, backupDatabaseFile, type BackupOptions, type BackupResult } from './backup';
export { resolveDataDir, databasePath, DATABASE_FILE_NAME } from './paths';

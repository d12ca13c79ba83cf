// The one place the issuer's keyring → document loader → signer → service chain is built, for the server and the CLI.
import path from 'node:path';
import type { MicrocredConfig } from '../config';
import { createDocumentLoader, defaultDocumentLoader, loadOperatorContexts, type DocumentLoader } from '../contexts';
import { createIssuerService, createModuleCatalog, createSigner, loadOrCreateIssuerKeyring, type IssuerService } from '../issuer';
import type { IssuerKeyring } from '../signing';
import { createStatusAllocator } from '../status';
import type { CatalogStore, IssuerKeyStore, IssuerServiceStore, Store } from '../store';

/** Options of {@link buildIssuerService}. */
export interface BuildIssuerServiceOptions {
  readonly config: MicrocredConfig;
  readonly store: IssuerServiceStore & IssuerKeyStore & CatalogStore & Pick<Store, 'statusLists'>;
  /** Audit actor recorded when the signing key is created on first use (`system` for the server, `cli` for commands). */
  readonly actor: string;
  /** The issuer's public base URL, signed into every credential's status entries (read when a credential is issued). */
  readonly baseUrl: () => string;
  readonly now?: () => Date;
  /** Told about an unexpected error that stopped a batch (the batch still answers per row). */
  readonly onUnexpected?: (error: unknown) => void;
}

/** The issuer service for the configured issuer, its keyring (`created` when the key was made just now) and its loader. */
export interface BuiltIssuerService {
  readonly service: IssuerService;
  readonly keyring: IssuerKeyring;
  readonly created: boolean;
  readonly loader: DocumentLoader;
}

/** The operator's pinned context files (none unless `contexts.dir` is set); a changed file stops the start. */
export function operatorContexts(config: MicrocredConfig): Map<string, object> {
  const { dir, pins } = config.contexts;
  return dir === undefined ? new Map<string, object>() : loadOperatorContexts({ dir: path.resolve(dir), pins });
}

/** Loads (or creates, on first use) the issuer's keyring and builds the signer and the issuer service around it. */
export function buildIssuerService(options: BuildIssuerServiceOptions): BuiltIssuerService {
  const { config, store, actor } = options;
  const { keyring, created } = loadOrCreateIssuerKeyring(store, {
    didMethod: config.issuer.didMethod,
    ...(config.issuer.didDomain === undefined ? {} : { domain: config.issuer.didDomain }),
    ...(config.issuer.didPath === undefined ? {} : { path: config.issuer.didPath }),
    profile: { name: config.issuer.name, url: config.issuer.url },
    actor,
  });
  const now = options.now ?? (() => new Date());
  // One trusted loader per process: jsonld caches processed contexts process-wide.
  const extraDocuments = operatorContexts(config);
  const loader = extraDocuments.size === 0 ? defaultDocumentLoader() : createDocumentLoader({ extraDocuments });
  const signer = createSigner({ keyring, loader, now, threads: config.issuer.signingThreads, extraDocuments });
  const status = createStatusAllocator({ lists: store.statusLists, baseUrl: options.baseUrl });
  const catalog = createModuleCatalog({ store, baseUrl: options.baseUrl });
  const service = createIssuerService({ store, issuer: keyring, loader, now, signer, batch: { maxLeaves: config.batch.maxLeaves }, status, catalog, ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}) });
  return { service, keyring, created, loader };
}

// The one place the issuer's keyring → document loader → signer → service chain is built, for the server and the CLI.
import type { MicrocredConfig } from '../config';
import { defaultDocumentLoader } from '../contexts';
import { createIssuerService, createSigner, loadOrCreateIssuerKeyring, type IssuerService } from '../issuer';
import type { IssuerKeyring } from '../signing';
import type { IssuerKeyStore, IssuerServiceStore } from '../store';

/** Options of {@link buildIssuerService}. */
export interface BuildIssuerServiceOptions {
  readonly config: MicrocredConfig;
  readonly store: IssuerServiceStore & IssuerKeyStore;
  /** Audit actor recorded when the signing key is created on first use (`system` for the server, `cli` for commands). */
  readonly actor: string;
  readonly now?: () => Date;
}

/** The issuer service for the configured issuer, and its keyring (`created` when the key was made just now). */
export interface BuiltIssuerService {
  readonly service: IssuerService;
  readonly keyring: IssuerKeyring;
  readonly created: boolean;
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
  const loader = defaultDocumentLoader();
  const signer = createSigner({ keyring, loader, now, threads: config.issuer.signingThreads });
  const service = createIssuerService({ store, issuer: keyring, loader, now, signer, batch: { maxLeaves: config.batch.maxLeaves } });
  return { service, keyring, created };
}

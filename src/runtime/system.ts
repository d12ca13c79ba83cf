// Composes the whole system from its configuration: store, keys, chain, outbox, issuer API, verifier API and page.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ZeroAddress } from 'ethers';
import { createAnchorer, type Anchorer } from '../anchoring';
import { publicBaseUrlOf, type MicrocredConfig } from '../config';
import { createDeliveryWorker, createEmailSender, createWebhookSender, deliveryChannelsOf, startMailCatcher, type DeliverySender, type DeliveryWorker, type MailCatcher, type SmtpSettings } from '../delivery';
import { MicrocredError } from '../errors';
import { resolveSecret, type IssuerService, type ShareService } from '../issuer';
import { createDevMailApp, createIssuerApp, createShareApp, createStatusListApp, createVerifierApp, listen, type FetchHandler, type RunningServer } from '../server';
import { createStatusListFetcher, createStatusListPublisher, reconcileStatuses, statusListUrl, type StatusListPublisher } from '../status';
import { issuerDidDocument } from '../signing';
import { createDidResolver } from '../did';
import { databasePath, openStore, type DeliveryChannel, type Store } from '../store';
import { createOid4vciService, type Oid4vciService } from '../oid4vci';
import { createVerifierFromSpec, createVerifierPool, type Verifier, type VerifierSetup } from '../verify';
import { connectIssuerChain, type IssuerChain } from './chain-setup';
import { combineApps, type RoutedApp } from './compose';
import { startIdempotencyPruner } from './idempotency-pruner';
import { buildIssuerService, operatorContexts } from './issuer-service';
import { buildShareService } from './share-service';
import { silentLogger, type Logger } from './log';

/** The issuer half of a running system. */
export interface RunningIssuer {
  readonly store: Store;
  readonly service: IssuerService;
  readonly anchorer: Anchorer;
  readonly chain: IssuerChain;
  readonly dataDir: string;
  /** The delivery outbox worker (webhook, email); started once the server listens. */
  readonly delivery: DeliveryWorker;
  /** The embedded default's local mail catcher (when no SMTP server is configured). */
  readonly mailCatcher?: MailCatcher;
  /** Wallet issuance (OID4VCI): offers for completion records, served at the public base URL. */
  readonly oid4vci: Oid4vciService;
  /** Share links, PDF certificates and LinkedIn URLs; `share.shareUrlOf(credentialId)` gives a credential's public link. */
  readonly share: ShareService;
}

/** A running system: one HTTP server, and whichever halves the role asked for. */
export interface RunningSystem {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly config: MicrocredConfig;
  readonly chainId: number;
  readonly registryAddress: string;
  readonly rpcUrls: readonly string[];
  readonly issuer?: RunningIssuer;
  readonly verifier?: Verifier;
  /** Stops serving, lets the outbox finish its step, and closes the store and the chain. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startSystem}. */
export interface StartSystemOptions {
  readonly config: MicrocredConfig;
  readonly log?: Logger;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
}

/** Closes what was opened so far, newest first, when start-up fails half-way. */
class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];
  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }
  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

/** The public base URL: configured, or the local server's URL once it listens (the embedded default). */
interface BaseUrl {
  value: string;
}

/** A status list body as the verifier's checks take it: a JSON object, or the JWS text. */
function listValue(body: string): unknown {
  return body.startsWith('{') ? (JSON.parse(body) as unknown) : body;
}

/** Reconciles lists with the database, and with the chain for changed credentials; logs what it found. Never throws. */
async function reconcileAtStart(store: Store, chain: IssuerChain, publisher: StatusListPublisher, log: Logger): Promise<void> {
  try {
    const account = await chain.registry.signerAddress();
    const report = await reconcileStatuses({
      store,
      repair: true,
      publisher,
      chainScope: 'changed',
      chainStatus: async (leaf) => (await chain.registry.leafStateOf(account, leaf)).status,
    });
    for (const d of report.differences) log({ level: 'warn', event: `status.reconcile.${d.kind}`, message: d.message, data: { credentialId: d.credentialId, listId: d.listId, repaired: d.repaired } });
  } catch (error) {
    log({ level: 'warn', event: 'status.reconcile-failed', message: `Reconciling status lists failed (${(error as Error).message}); run microcred status reconcile.` });
  }
}

/**
 * The delivery outbox worker with a sender per configured channel. Without an SMTP server, the embedded default
 * starts its local mail catcher (messages kept in `<data>/mail`) and sends there.
 */
async function setUpDelivery(
  config: MicrocredConfig,
  store: Store,
  dataDir: string,
  share: ShareService,
  oid4vci: Oid4vciService,
  channels: readonly DeliveryChannel[],
  options: StartSystemOptions,
  resources: Resources,
): Promise<{ delivery: DeliveryWorker; mailCatcher?: MailCatcher }> {
  const log = options.log ?? silentLogger;
  // The learner and the LMS get the credential's share link (`/c/{shareId}`), made on first use.
  const shareUrlFor = (credentialId: string): Promise<string> => Promise.resolve(share.shareUrlOf(credentialId, 'delivery'));
  // The email is the learner's own channel, so it may carry a wallet offer (single use, no PIN); a resend makes a new one.
  // A credential revoked or suspended before its email goes out gets no offer (ERR_OFFER_REFUSED), the email still goes.
  const walletOfferFor = async (credentialId: string): Promise<string | undefined> => {
    try {
      return (await oid4vci.createOfferForCredential({ credentialId, actor: 'delivery' })).credentialOfferUri;
    } catch (error) {
      if (error instanceof MicrocredError && error.code === 'ERR_OFFER_REFUSED') return undefined;
      throw error;
    }
  };
  const senders: Partial<Record<DeliveryChannel, DeliverySender>> = {};
  const { webhook } = config.delivery;
  if (channels.includes('webhook') && webhook.url !== undefined && webhook.secret !== undefined) {
    senders.webhook = createWebhookSender({ url: webhook.url, secret: webhook.secret, development: config.chain.mode === 'embedded', shareUrlFor, ...(options.now ? { now: options.now } : {}) });
  }
  let mailCatcher: MailCatcher | undefined;
  if (channels.includes('email')) {
    let smtp: SmtpSettings;
    const configured = config.delivery.smtp;
    if (configured.host !== undefined) {
      smtp = { host: configured.host, port: configured.port, secure: configured.secure, from: configured.from, ...(configured.user !== undefined && configured.pass !== undefined ? { user: configured.user, pass: configured.pass } : {}) };
    } else {
      const catcher = await startMailCatcher({ dir: path.join(dataDir, 'mail'), ...(options.now ? { now: options.now } : {}) });
      resources.add(() => catcher.close());
      mailCatcher = catcher;
      smtp = { host: catcher.host, port: catcher.port, secure: false, from: configured.from };
      log({ level: 'info', event: 'mail.catcher', message: `development mail catcher on ${catcher.host}:${catcher.port}; caught mail is listed at /dev/mail` });
    }
    senders.email = createEmailSender({ smtp, shareUrlFor, certificateFor: async (credentialId) => (await share.certificate(credentialId, 'delivery')).bytes, walletOfferFor, ...(options.now ? { now: options.now } : {}) });
  }
  const delivery = createDeliveryWorker({ store, senders, maxAttempts: config.delivery.maxAttempts, log, ...(options.now ? { now: options.now } : {}) });
  resources.add(() => delivery.stop());
  return { delivery, ...(mailCatcher ? { mailCatcher } : {}) };
}

async function startIssuer(
  config: MicrocredConfig,
  options: StartSystemOptions,
  resources: Resources,
  baseUrl: BaseUrl,
): Promise<{ issuer: RunningIssuer; app: RoutedApp; statusApp: FetchHandler; shareApp: FetchHandler; publisher: StatusListPublisher }> {
  const log = options.log ?? silentLogger;
  const dataDir = path.resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A development data folder gets its own random secret; production must bring one (MICROCRED_SECRET or `microcred init`).
  const { secret, source } = resolveSecret({ dataDir, ...(options.env ? { env: options.env } : {}), create: config.chain.mode === 'embedded' });
  const store = openStore({ path: databasePath(dataDir), secret, ...(options.now ? { now: options.now } : {}) });
  resources.add(() => store.close());
  if (source === 'created') log({ level: 'info', event: 'data.secret', message: `created a new data-folder secret in ${dataDir}` });
  // No request of this process runs yet, so a pending claim was left by one that died: let its client's retry through now.
  const released = store.releasePendingIdempotencyClaims();
  if (released > 0) log({ level: 'info', event: 'idempotency.released', message: `released ${released} Idempotency-Key claim(s) left by a stopped process; their retries run again` });
  const pruner = startIdempotencyPruner({ store, ...(options.now ? { now: options.now } : {}), onError: (error) => log({ level: 'error', event: 'idempotency.prune', message: (error as Error).message }) });
  resources.add(() => pruner.stop());

  const onBatchError = (error: unknown): void => log({ level: 'error', event: 'batch.unexpected', message: (error as Error).message });
  const { keyring, created, service, loader } = buildIssuerService({ config, store, actor: 'system', baseUrl: () => baseUrl.value, onUnexpected: onBatchError, ...(options.now ? { now: options.now } : {}) });
  resources.add(() => service.close());
  log({ level: 'info', event: 'issuer.key', message: `${created ? 'created' : 'loaded'} the signing key of ${keyring.did}` });

  const chain = await connectIssuerChain(config, dataDir, store, { did: keyring.did, name: config.issuer.name }, log);
  resources.add(() => chain.close());

  const deliveryChannels = deliveryChannelsOf(config);
  const anchorer = createAnchorer({
    store,
    deliveryChannels,
    registry: chain.registry,
    chainId: chain.chainId,
    registryAddress: chain.registryAddress,
    issuerDid: keyring.did,
    confirmations: config.chain.confirmations,
    batch: { maxLeaves: config.batch.maxLeaves, maxAgeMs: config.batch.maxAgeSeconds * 1000 },
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  await anchorer.start();
  resources.add(() => anchorer.stop());

  const now = options.now ?? (() => new Date());
  if (config.publicBaseUrl === undefined && config.chain.mode === 'external') {
    // The URL is signed into every credential's status entries, so a local address there would strand them.
    log({ level: 'warn', event: 'status.public-url', message: `MICROCRED_PUBLIC_URL is not set: credentials will point at ${baseUrl.value}/status/…; set the issuer's public URL before issuing.` });
  }
  const publisher = createStatusListPublisher({ lists: store.statusLists, keyring, loader, baseUrl: () => baseUrl.value, now });
  await reconcileAtStart(store, chain, publisher, log);


  const oid4vci = createOid4vciService({ store, issuer: service, baseUrl: () => baseUrl.value, ...(options.now ? { now: options.now } : {}) });
  const share = buildShareService({ config, store, baseUrl: () => baseUrl.value, ...(options.now ? { now: options.now } : {}) });
  const { delivery, mailCatcher } = await setUpDelivery(config, store, dataDir, share, oid4vci, deliveryChannels, options, resources);
  const app = createIssuerApp({
    service,
    store,
    anchorer,
    oid4vci,
    share,
    chainHealth: async () => {
      try {
        await chain.registry.issuerOfOperator(ZeroAddress);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
    onUnexpected: (error) => log({ level: 'error', event: 'http.unexpected', message: (error as Error).message }),
  });
  const onUnexpected = (error: unknown): void => log({ level: 'error', event: 'http.unexpected', message: (error as Error).message });
  const statusApp = createStatusListApp({ publisher, onUnexpected });
  const shareApp = createShareApp({ share, registries: [{ chainId: chain.chainId, address: chain.registryAddress }], onUnexpected });
  return { issuer: { store, service, anchorer, chain, dataDir, delivery, oid4vci, share, ...(mailCatcher ? { mailCatcher } : {}) }, app, statusApp, shareApp, publisher };
}

function chainOfVerifier(config: MicrocredConfig, issuer: RunningIssuer | undefined): { rpcUrls: readonly string[]; chainId: number; registryAddress: string } {
  if (issuer !== undefined) return { rpcUrls: issuer.chain.rpcUrls, chainId: issuer.chain.chainId, registryAddress: issuer.chain.registryAddress };
  const { rpcUrls, chainId, registryAddress } = config.chain;
  if (config.chain.mode !== 'external' || chainId === undefined || registryAddress === undefined) {
    throw new MicrocredError('ERR_CONFIG_INVALID', 'A verifier-only process needs an external chain: set MICROCRED_CHAIN=external, MICROCRED_RPC_URLS, MICROCRED_CHAIN_ID and MICROCRED_REGISTRY.');
  }
  return { rpcUrls, chainId, registryAddress };
}

/** Starts the system the configuration describes (role `all`, `issuer` or `verifier`) and serves it on one port. */
export async function startSystem(options: StartSystemOptions): Promise<RunningSystem> {
  const { config } = options;
  const log = options.log ?? silentLogger;
  const resources = new Resources();
  // Until the server listens, the embedded default's URL is its configured address; port 0 is filled in below.
  const baseUrl: BaseUrl = { value: publicBaseUrlOf(config) };
  try {
    const started = config.role === 'verifier' ? undefined : await startIssuer(config, options, resources, baseUrl);
    const issuer = started?.issuer;
    const chain = chainOfVerifier(config, issuer);

    let verifier: Verifier | undefined;
    let verifierApp: FetchHandler | undefined;
    if (config.role !== 'issuer') {
      // The local issuer's own did:web document is known without a request; other did:web issuers are resolved with the SSRF guard.
      const ownDid = issuer?.service.issuer;
      const documents = ownDid !== undefined && ownDid.did.startsWith('did:web:') ? { [ownDid.did]: await issuerDidDocument(ownDid) } : {};
      const didResolver = createDidResolver({ documents });
      const publisher = started?.publisher;
      const development = config.chain.mode === 'embedded' || chain.rpcUrls.every((url) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(url));
      const statusListFetcher = createStatusListFetcher({
        allowedHosts: config.verifier.statusListHosts,
        development,
        // The local issuer's own lists are read from its database, never over the network.
        ...(publisher
          ? {
              local: async (url: string) => {
                const prefix = statusListUrl(baseUrl.value, '');
                const published = url.startsWith(prefix) ? await publisher.get(url.slice(prefix.length)) : null;
                return published === null ? undefined : listValue(published.body);
              },
            }
          : {}),
      });
      const setup: VerifierSetup = {
        spec: {
          chain,
          extraDocuments: Object.fromEntries(operatorContexts(config)),
          policy: { acceptPendingAnchor: config.verifier.acceptPendingAnchor, clockSkewSeconds: config.verifier.clockSkewSeconds },
        },
        adapters: { statusListFetcher, didResolver, ...(options.now ? { now: options.now } : {}) },
      };
      // Requests verify in worker threads (one per core unless configured), so one slow request does not hold the
      // others; the threads start at the first verification, which meanwhile runs here.
      const threads = config.verifier.threads ?? availableParallelism();
      const pool = threads > 0 ? createVerifierPool({ setup, threads }) : undefined;
      verifier = pool ?? createVerifierFromSpec(setup.spec, setup.adapters);
      const running = verifier;
      // Stopping the server terminates the threads and waits for them.
      resources.add(() => (pool ? pool.stop() : running.close()));
      verifierApp = createVerifierApp({
        verifier,
        bodyLimitBytes: config.verifier.bodyLimitBytes,
        rateLimit: { windowMs: 60_000, max: config.verifier.rateLimitPerMinute },
        vcApiTrust: config.verifier.vcApiTrust,
      });
    }

    const catcher = issuer?.mailCatcher;
    const app = combineApps({
      ...(started ? { issuer: started.app, status: started.statusApp, share: started.shareApp } : {}),
      ...(verifierApp ? { verifier: verifierApp } : {}),
      ...(catcher ? { dev: createDevMailApp(catcher) } : {}),
    });
    let server: RunningServer;
    try {
      server = await listen(app, { hostname: config.host, port: config.port });
    } catch (cause) {
      throw new MicrocredError('ERR_PORT_IN_USE', `Cannot listen on ${config.host}:${config.port}; choose another port (MICROCRED_PORT or --port).`, { cause });
    }
    resources.add(() => server.close());
    if (config.publicBaseUrl === undefined) baseUrl.value = server.url;
    log({ level: 'info', event: 'http.listen', message: `serving ${config.role === 'all' ? 'issuer and verifier' : config.role} on ${server.url}` });
    // Links in webhooks and emails name the server's URL, known only now (port 0 in tests). Not awaited work: start()
    // returns at once and sends in the background.
    if (issuer !== undefined) await issuer.delivery.start();

    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      config,
      chainId: chain.chainId,
      registryAddress: chain.registryAddress,
      rpcUrls: chain.rpcUrls,
      ...(issuer ? { issuer } : {}),
      ...(verifier ? { verifier } : {}),
      stop: () => (stopping ??= resources.closeAll()),
    };
  } catch (error) {
    await resources.closeAll();
    throw error;
  }
}

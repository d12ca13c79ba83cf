// Shared plumbing of the issuer-side commands: config + store from --data/--config, chain access, output and exit codes.
import path from 'node:path';
import type { Command } from 'commander';
import { RegistryClient } from '../src/chain/registry-client';
import { accountPrivateKey } from '../src/runtime/anchoring-key';
import { loadConfig, type MicrocredConfig, type RawSettings } from '../src/config';
import { defaultDocumentLoader } from '../src/contexts/loader';
import { MicrocredError, isMicrocredError } from '../src/errors';
import { createIssuerService, createSigner, loadOrCreateIssuerKeyring, resolveSecret, type IssuerService, type SecretSource } from '../src/issuer';
import { databasePath, openStore, type Store } from '../src/store';

/** Exit codes every issuer command documents. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Error codes that mean "fix the command line or its input", answered with exit code 2. */
const USAGE_CODES = new Set(['ERR_USAGE', 'ERR_CONFIG_INVALID', 'ERR_CONFIG_FILE', 'ERR_CSV_INVALID', 'ERR_INVALID_RECORD', 'ERR_TOKEN_SCOPE_INVALID', 'ERR_STORE_INVALID_INPUT', 'ERR_ACCOUNT_KEY_FORMAT', 'ERR_ACCOUNT_KEY_PERMISSIONS', 'ERR_ACCOUNT_KEY_MISSING']);

/** Options every issuer command takes. */
export interface CommonOptions {
  data?: string;
  config?: string;
  json?: boolean;
}

/** Adds --data, --config and --json, and makes commander's own usage errors exit 2. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'data folder (default: config dataDir, $MICROCRED_DATA or ./.data)')
    .option('--config <file>', 'JSON config file (default: $MICROCRED_CONFIG)')
    .option('--json', 'print JSON for scripts', false)
    .addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 usage error (bad arguments or input).')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));
}

/** An error that means the command line is wrong (exit 2). */
export function usageError(message: string): MicrocredError {
  return new MicrocredError('ERR_USAGE', message);
}

/** An opened data folder. */
export interface CliContext {
  config: MicrocredConfig;
  dataDir: string;
  store: Store;
  /** Where the data-folder secret came from (never the secret itself), for `init` to report. */
  secret: { source: SecretSource; file: string };
  close(): void;
}

/** Loads the config (file, environment, --data) and opens the store with the data-folder secret (created if missing). */
export function openContext(options: CommonOptions & { overrides?: RawSettings }): CliContext {
  const overrides: RawSettings = { ...options.overrides, ...(options.data === undefined ? {} : { dataDir: options.data }) };
  const config = loadConfig({ ...(options.config === undefined ? {} : { file: options.config }), overrides });
  const dataDir = path.resolve(config.dataDir);
  const { secret, source, file } = resolveSecret({ dataDir });
  const store = openStore({ path: databasePath(dataDir), secret });
  return { config, dataDir, store, secret: { source, file }, close: () => store.close() };
}

/** The issuer service for the data folder's keyring (creating the key on first use), as `microcred serve` builds it. */
export function issuerServiceOf(ctx: CliContext): IssuerService {
  const { issuer } = ctx.config;
  const { keyring } = loadOrCreateIssuerKeyring(ctx.store, {
    didMethod: issuer.didMethod,
    ...(issuer.didDomain === undefined ? {} : { domain: issuer.didDomain }),
    ...(issuer.didPath === undefined ? {} : { path: issuer.didPath }),
    profile: { name: issuer.name, url: issuer.url },
    actor: 'cli',
  });
  const loader = defaultDocumentLoader();
  const now = () => new Date();
  const signer = createSigner({ keyring, loader, now, threads: ctx.config.issuer.signingThreads });
  return createIssuerService({ store: ctx.store, issuer: keyring, loader, now, signer, batch: { maxLeaves: ctx.config.batch.maxLeaves } });
}

/** Chain options shared by the registry and anchor commands. */
export interface ChainOptions {
  rpc?: string;
  keyFile?: string;
  registry?: string;
}

/** Adds --rpc, --key-file and --registry. */
export function withChainOptions(command: Command): Command {
  return command
    .option('--rpc <url>', 'JSON-RPC URL (default: config chain.rpcUrls, or the embedded chain on loopback)')
    .option('--key-file <file>', 'file holding the signing account private key (hex); default: config anchoringKey')
    .option('--registry <address>', 'registry address (default: config chain.registryAddress)');
}

/**
 * The private key that signs chain writes: --key-file, else the config's anchoringKey. With the `dev` source the
 * well-known Hardhat account `devAccount` is used (#0 administers the registry, #1 anchors for the local issuer).
 */
export function chainKey(config: MicrocredConfig, options: ChainOptions, devAccount: number): string {
  return accountPrivateKey(config, { ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }), devAccount });
}

/** The RPC URLs to use. */
export function rpcUrls(config: MicrocredConfig, options: ChainOptions): string[] {
  if (options.rpc !== undefined) return [options.rpc];
  if (config.chain.rpcUrls.length > 0) return [...config.chain.rpcUrls];
  return [`http://127.0.0.1:${config.chain.embeddedPort}`];
}

/** A registry client that signs with `privateKey`; ERR_USAGE when no registry address is known. */
export async function connectRegistry(config: MicrocredConfig, options: ChainOptions, privateKey: string): Promise<RegistryClient> {
  const address = options.registry ?? config.chain.registryAddress;
  if (address === undefined) throw usageError('No registry address: pass --registry or set chain.registryAddress (MICROCRED_REGISTRY).');
  return RegistryClient.connect({ address, rpcUrls: rpcUrls(config, options), privateKey, ...(config.chain.chainId === undefined ? {} : { chainId: config.chain.chainId }), pollingIntervalMs: 100 });
}

/**
 * Runs a command body: prints `{ok: false, code, message}` (--json) or a one-line message on failure and sets the
 * exit code (2 for usage errors, 1 otherwise). Never prints a stack trace.
 */
export async function runCommand(name: string, json: boolean | undefined, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (error: unknown) {
    const code = isMicrocredError(error) ? error.code : 'ERR_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    if (json === true) console.log(JSON.stringify({ ok: false, code, message, ...(isMicrocredError(error) && Object.keys(error.details).length > 0 ? { details: error.details } : {}) }));
    else console.error(`microcred ${name}: ${message}`);
    process.exitCode = USAGE_CODES.has(code) ? EXIT.usage : EXIT.failure;
  }
}

// Shared plumbing of the issuer-side commands: config + store from --data/--config, chain access, output and exit codes.
import path from 'node:path';
import type { Command } from 'commander';
import { RegistryClient } from '../src/chain';
import { accountPrivateKey, devRegistryAddress } from '../src/chain';
import { loadConfig, publicBaseUrlOf, type MicrocredConfig, type RawSettings } from '../src/config';
import { resolveSecret, type IssuerService, type SecretSource } from '../src/issuer';
import { buildIssuerService } from '../src/runtime';
import { databasePath, openStore, type Store } from '../src/store';
import { EXIT_HELP, usageError } from './runner';

export { EXIT, runCommand, usageError } from './runner';

/** Options every issuer command takes. */
export interface CommonOptions {
  data?: string;
  config?: string;
  json?: boolean;
}

/** Adds --data, --config and --json. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'data folder (default: config dataDir, $MICROCRED_DATA or ./.data)')
    .option('--config <file>', 'JSON config file (default: $MICROCRED_CONFIG)')
    .option('--json', 'print JSON for scripts', false)
    .addHelpText('after', EXIT_HELP);
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
  const base = publicBaseUrlOf(ctx.config);
  return buildIssuerService({ config: ctx.config, store: ctx.store, actor: 'cli', baseUrl: () => base }).service;
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
    .option('--registry <address>', 'registry address (default: config chain.registryAddress, or the embedded development chain\'s fixed address)');
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
  // The embedded development chain's registry has a fixed address; only an external chain needs one configured.
  const address = options.registry ?? config.chain.registryAddress ?? (config.chain.mode === 'embedded' ? devRegistryAddress() : undefined);
  if (address === undefined) throw usageError('No registry address: pass --registry or set chain.registryAddress (MICROCRED_REGISTRY).');
  return RegistryClient.connect({ address, rpcUrls: rpcUrls(config, options), privateKey, ...(config.chain.chainId === undefined ? {} : { chainId: config.chain.chainId }), pollingIntervalMs: 100 });
}

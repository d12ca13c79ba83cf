// `microcred serve` (and `npm start`): runs the issuer and/or verifier on one port, by default on the embedded chain.
import { Command } from 'commander';
import { loadConfig, type MicrocredConfig, type RawSettings } from '../src/config';
import { ensureDevToken, ensureSampleCredential, verificationLink } from '../src/runtime';
import { lineLogger } from '../src/runtime';
import { startSystem, type RunningSystem } from '../src/runtime';
import { EXIT, runCommand } from './context';
import { DEFAULT_RPC_URL } from './verify';

interface ServeOptions {
  data?: string;
  config?: string;
  host?: string;
  port?: string;
  chainPort?: string;
  role?: string;
  sample: boolean;
}

function overridesOf(options: ServeOptions): RawSettings {
  const overrides: RawSettings = {};
  if (options.data !== undefined) overrides.dataDir = options.data;
  if (options.host !== undefined) overrides.host = options.host;
  if (options.port !== undefined) overrides.port = Number(options.port);
  if (options.role !== undefined) overrides.role = options.role;
  if (options.chainPort !== undefined) overrides.chain = { embeddedPort: Number(options.chainPort) };
  return overrides;
}

/** What a newcomer needs after `npm start`: where things are, a token, and commands to copy. */
async function printDevBanner(system: RunningSystem, withSample: boolean, stopping: () => boolean): Promise<void> {
  const issuer = system.issuer;
  const lines = [
    '',
    'microcred is running (embedded development chain: nothing here is a real credential).',
    '',
    `  Verification page   ${system.url}/`,
    `  Issuer API          ${system.url}/v1/credentials   (OpenAPI: ${system.url}/openapi.json)`,
    `  Verifier API        ${system.url}/v1/verify`,
    `  Chain (JSON-RPC)    ${system.rpcUrls.join(', ')}   chain id ${system.chainId}, registry ${system.registryAddress}`,
  ];
  if (issuer !== undefined) {
    const token = ensureDevToken(issuer);
    lines.push(
      `  Issuer DID          ${issuer.service.issuer.did}`,
      `  Data folder         ${issuer.dataDir}`,
      ...(issuer.mailCatcher ? [`  Caught mail         ${system.url}/dev/mail   (credential emails go to the local mail catcher)`] : []),
      '',
      `Development API token (all scopes): ${token}`,
      '',
      'Issue a credential:',
      `  curl -s -X POST ${system.url}/v1/credentials -H "Authorization: Bearer ${token}" \\`,
      `       -H "Content-Type: application/json" --data @examples/sample-record.json`,
      '',
      'Verify it from the command line (after its batch is anchored, within a few seconds):',
      // On the usual port verify's defaults are this chain and its registry; on another port both must be named.
      system.rpcUrls[0] === DEFAULT_RPC_URL
        ? '  node bin/microcred.cjs verify <file>   (the development chain and registry are the defaults)'
        : `  node bin/microcred.cjs verify <file> --rpc ${system.rpcUrls[0] ?? ''} --registry ${system.registryAddress}`,
    );
    if (withSample) {
      try {
        const sample = await ensureSampleCredential(issuer, new Date());
        lines.push('', 'Open the sample credential in the verification page:', `  ${verificationLink(system.url, sample)}`);
      } catch (error) {
        lines.push('', `(The sample credential could not be prepared: ${(error as Error).message})`);
      }
    }
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  if (!stopping()) console.log(lines.join('\n'));
}

/** Builds the `serve` command. Exit codes: 0 stopped cleanly, 1 failed while stopping, 2 bad configuration, 3 could not start. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the issuer API, the verifier API and the verification page (the embedded chain unless configured otherwise).')
    .option('--data <dir>', 'data folder (default: config dataDir, $MICROCRED_DATA or ./.data)')
    .option('--config <file>', 'JSON config file (default: $MICROCRED_CONFIG)')
    .option('--host <address>', 'address to bind (default 127.0.0.1)')
    .option('--port <port>', 'HTTP port (default 8080)')
    .option('--chain-port <port>', 'JSON-RPC port of the embedded chain (default 8545)')
    .option('--role <role>', 'all, issuer or verifier (default all)')
    .option('--no-sample', 'do not issue the sample credential on the embedded chain')
    .addHelpText('after', '\nExample: microcred serve --data ./.data --port 8080   (the embedded development chain; for a real chain see docs/production.md)')
    .addHelpText('after', '\nExit codes: 0 stopped cleanly (Ctrl-C), 1 failed while stopping, 2 bad configuration, 3 could not start (port, chain).')
    .action(async (options: ServeOptions) => {
      await runCommand('serve', false, async () => {
        const config: MicrocredConfig = loadConfig({ ...(options.config === undefined ? {} : { file: options.config }), overrides: overridesOf(options) });
        const system = await startSystem({ config, log: lineLogger() });
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          console.error(`\n${signal}: stopping (finishing the step in flight)...`);
          system.stop().then(
            () => console.error('stopped.'),
            (error: unknown) => {
              console.error(`error while stopping: ${(error as Error).message}`);
              process.exitCode = EXIT.failure;
            },
          );
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
        if (config.chain.mode === 'embedded') await printDevBanner(system, options.sample && config.role !== 'verifier', () => stopping);
        else console.log(`microcred ${config.role} serving on ${system.url}`);
      });
    });
}

// `microcred verify <file|folder|->…`: verifies one credential or thousands; human summary, --json, --csv, exit codes.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { MicrocredError, isMicrocredError } from '../src/errors';
import type { StatusListFetcher, VerificationPolicy, BulkResult, CsvReport } from '../src/verify';
import { EXIT, assertOutputFolder, runCommand, usageError } from './runner';

// Only light modules load at the top: `microcred verify --help` must not load ethers, jsonld or Hardhat. The chain,
// contexts, DID and verification code is imported when the command runs (see run()).

/** The verification policy presets (src/verify POLICY_PRESETS; tests/unit/cli-main.test.ts keeps both equal). */
export const POLICY_PRESET_NAMES = ['default', 'strict', 'lenient'] as const;

/** The RPC endpoint used when no --rpc is given (the development chain). */
export const DEFAULT_RPC_URL = 'http://127.0.0.1:8545';

/** Exit codes (the one table of docs/cli.md, in words of verification). */
export const VERIFY_EXIT = { allValid: EXIT.ok, anyInvalid: EXIT.failure, usage: EXIT.usage, indeterminate: EXIT.couldNotCheck } as const;

interface VerifyFlags {
  rpc?: string[];
  registry?: string;
  chainId?: string;
  policy?: string;
  acceptPending: boolean;
  concurrency: string;
  threads?: string;
  json: boolean;
  csv?: string;
  quiet: boolean;
  strictFiles: boolean;
  statusLists?: string;
  statusListHost?: string[];
}

async function loadPolicy(value: string | undefined): Promise<VerificationPolicy> {
  const { POLICY_PRESETS, policyFromJson } = await import('../src/verify/index.js');
  if (value === undefined) return POLICY_PRESETS.default!;
  // Own keys only: "constructor" or "__proto__" would otherwise name an Object.prototype member, not a preset.
  const preset = Object.hasOwn(POLICY_PRESETS, value) ? POLICY_PRESETS[value] : undefined;
  if (preset) return preset;
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch {
    throw usageError(`--policy "${value}" is neither a preset (${POLICY_PRESET_NAMES.join(', ')}) nor a readable JSON file.`);
  }
  try {
    return policyFromJson(JSON.parse(text));
  } catch (error) {
    throw usageError(`--policy ${value}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function positiveInt(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw usageError(`${name} must be a whole number from 1 to ${max}.`);
  return Number(value);
}

/** Status-list options shared by `verify` and `audit`. */
export interface StatusListFlags {
  statusLists?: string;
  statusListHost?: string[];
}

/**
 * The status-list source of a command: lists saved beforehand (`--status-lists`, fetching nothing), or fetched under
 * the egress policy with `--status-list-host` as the allow-list (loopback and http allowed when every RPC URL is local).
 */
export async function statusListFetcherFor(flags: StatusListFlags, rpcUrls: readonly string[]): Promise<StatusListFetcher> {
  const { createStatusListFetcher, statusListFolderFetcher } = await import('../src/status/index.js');
  try {
    return flags.statusLists !== undefined
      ? statusListFolderFetcher(flags.statusLists)
      : createStatusListFetcher({ allowedHosts: flags.statusListHost ?? [], development: rpcUrls.every((url) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(url)) });
  } catch (error) {
    throw usageError(`--status-lists ${flags.statusLists}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Adds `--status-lists` and `--status-list-host` to a command. */
export function withStatusListOptions(command: Command): Command {
  return command
    .option('--status-lists <folder>', 'check status lists against the lists saved in this folder (microcred status export), fetching nothing')
    .option('--status-list-host <host>', 'a host (host or host:port) status lists may be fetched from, besides the issuer\'s did:web host; repeatable', (value: string, previous: string[] = []) => [...previous, value]);
}

async function run(inputs: string[], flags: VerifyFlags): Promise<0 | 1 | 2 | 3> {
  assertOutputFolder('--csv', flags.csv);
  const [{ detectChainId, devRegistryAddress }, { createDidResolver }, verify, { SingleBar, Presets }] = await Promise.all([
    import('../src/chain/index.js'),
    import('../src/did/index.js'),
    import('../src/verify/index.js'),
    import('cli-progress'),
  ]);
  const { REGISTRY_CONFIG_CODES, assertPathsExist, bulkThreads, countInputs, createVerifierFromSpec, createVerifierPool, openCsvReport, resultLine, summaryLines, verifyInputs } = verify;
  const policy = await loadPolicy(flags.policy);
  const concurrency = positiveInt(flags.concurrency, '--concurrency', 256)!;
  if (flags.threads !== undefined && !/^\d+$/.test(flags.threads)) throw usageError('--threads must be a whole number from 0 to 64.');
  const requestedThreads = flags.threads === undefined ? undefined : Number(flags.threads);
  if (requestedThreads !== undefined && requestedThreads > 64) throw usageError('--threads must be a whole number from 0 to 64.');
  const rpcUrls = flags.rpc !== undefined && flags.rpc.length > 0 ? flags.rpc : [DEFAULT_RPC_URL];
  for (const url of rpcUrls) if (!/^https?:\/\//.test(url)) throw usageError(`--rpc ${url} must be an http(s) URL.`);
  // On the development chain (the default --rpc) the registry sits at its fixed address: no --registry needed there.
  const registry = flags.registry ?? policy.trustedRegistries[0]?.address ?? (flags.rpc === undefined || flags.rpc.length === 0 ? devRegistryAddress() : undefined);
  if (registry === undefined) throw usageError('Give --registry <address> (or a --policy file listing trustedRegistries).');
  if (!/^0x[0-9a-fA-F]{40}$/.test(registry)) throw usageError(`--registry ${registry} must be a 0x address.`);
  let chainId = positiveInt(flags.chainId, '--chain-id', Number.MAX_SAFE_INTEGER) ?? (flags.registry === undefined ? policy.trustedRegistries[0]?.chainId : undefined);
  await assertPathsExist(inputs);
  const fileCount = await countInputs(inputs);
  if (fileCount === 0) throw usageError(`No files to verify in ${inputs.join(', ')} (names starting with "." are skipped).`, { inputs });
  if (chainId === undefined) {
    try {
      chainId = await detectChainId(rpcUrls, { timeoutMs: 5_000 });
    } catch (cause) {
      throw new MicrocredError('ERR_RPC_UNAVAILABLE', `No RPC endpoint answered at ${rpcUrls.join(', ')}, so the chain id is unknown and nothing on chain can be checked. Check --rpc (default ${DEFAULT_RPC_URL}), or pass --chain-id to verify the rest anyway.`, {
        cause,
        ...(isMicrocredError(cause) ? { details: { cause: cause.message } } : {}),
      });
    }
  }
  const trusted = [...policy.trustedRegistries];
  if (!trusted.some((r) => r.chainId === chainId && r.address.toLowerCase() === registry.toLowerCase())) trusted.push({ chainId, address: registry });
  const didResolver = createDidResolver();
  const statusListFetcher = await statusListFetcherFor(flags, rpcUrls);
  const setup = {
    spec: {
      // Statuses are read once per run: the run is a snapshot, and re-reading a leaf would only cost chain reads.
      // One call carries a few hundred lookups, which a busy node may take several seconds to answer.
      chain: { rpcUrls, chainId, registryAddress: registry, statusTtlMs: 3_600_000, timeoutMs: 30_000 },
      policy: { ...policy, trustedRegistries: trusted, ...(flags.acceptPending ? { acceptPendingAnchor: true } : {}) },
    },
    adapters: { statusListFetcher, didResolver },
  };
  // Large runs spread over worker threads (one per core); a few files finish sooner on this thread than threads start.
  const threads = bulkThreads(requestedThreads, fileCount);
  const verifier = threads > 0 ? createVerifierPool({ setup, threads, lazy: false }) : createVerifierFromSpec(setup.spec, setup.adapters);

  // A wrong --registry or --chain-id is a configuration error, said once, never a verdict on the credentials.
  try {
    await verifier.checkRegistry();
  } catch (error) {
    if (isMicrocredError(error) && REGISTRY_CONFIG_CODES.has(error.code)) {
      verifier.close();
      console.error(`microcred verify: ${error.message} (${error.code})`);
      return VERIFY_EXIT.indeterminate;
    }
    // A missing compiled contract is an installation fault, not the node's: say that, and stop.
    if (isMicrocredError(error, 'ERR_ARTIFACT_MISSING')) {
      verifier.close();
      throw error;
    }
    // An unreachable node is reported credential by credential (could not check); the URL is said once, here.
    console.error(`microcred verify: the registry could not be read at ${rpcUrls.join(', ')} (${error instanceof Error ? error.message : String(error)}); check --rpc. Checks that need the chain are reported as could not check.`);
  }

  // Progress goes to stderr and only to a terminal; --quiet trims stdout, not the progress bar.
  const showBar = process.stderr.isTTY === true;
  const bar = showBar ? new SingleBar({ stream: process.stderr, format: 'Verifying [{bar}] {value}/{total} files', hideCursor: true }, Presets.shades_classic) : undefined;
  if (bar) bar.start(fileCount, 0);
  let csv: CsvReport | undefined;
  try {
    csv = flags.csv === undefined ? undefined : openCsvReport(flags.csv);
  } catch (error) {
    verifier.close();
    throw usageError(`--csv ${flags.csv}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const notValid: BulkResult[] = [];
  const all: BulkResult[] = [];
  try {
    const summary = await verifyInputs(inputs, {
      verifier,
      concurrency,
      strictFiles: flags.strictFiles,
      onResult: (result) => {
        bar?.increment();
        csv?.write(result);
        if (flags.json) all.push(result);
        else if (result.category !== 'valid') notValid.push(result);
      },
    });
    bar?.stop();
    if (csv) {
      try {
        await csv.close();
      } catch (error) {
        throw new MicrocredError('ERR_REPORT_WRITE', `--csv ${flags.csv}: the report could not be written (${error instanceof Error ? error.message : String(error)}).`, { details: { path: flags.csv } });
      }
    }
    const byFile = (a: BulkResult, b: BulkResult) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
    if (flags.json) {
      console.log(JSON.stringify({ summary, results: all.sort(byFile) }, null, 2));
    } else {
      if (!flags.quiet) for (const result of notValid.sort(byFile)) console.log(resultLine(result));
      for (const line of summaryLines(summary)) console.log(line);
    }
    if (summary.total > 0 && summary.notCredential === summary.total) {
      console.error(`microcred verify: none of the ${summary.total} file(s) is a credential; check the path (${inputs.join(', ')}).`);
      return VERIFY_EXIT.usage;
    }
    return summary.exitCode;
  } finally {
    bar?.stop();
    verifier.close();
  }
}

/**
 * Builds the `verify` command. Exit codes: 0 all valid, 1 any invalid, 2 usage error, 3 could not check some and none
 * invalid, or the registry is misconfigured (no code at --registry, not a registry, wrong --chain-id).
 */
export function verifyCommand(): Command {
  return withStatusListOptions(new Command('verify'))
    .description('Verify credentials: files, folders (recursively) or - for standard input.')
    .argument('<inputs...>', 'credential files (.json, .jwt, .jws, .txt), folders, or - for stdin')
    .option('--rpc <url>', `JSON-RPC endpoint; repeat for failover (default ${DEFAULT_RPC_URL})`, (value: string, previous: string[] = []) => [...previous, value])
    .option('--registry <address>', 'the trusted registry contract (default without --rpc: the development chain\'s registry)')
    .option('--chain-id <id>', 'the chain id (asked from the RPC endpoint when omitted)')
    .option('--policy <file|preset>', `a policy JSON file or a preset: ${POLICY_PRESET_NAMES.join(', ')}`)
    .option('--accept-pending', 'accept credentials whose batch is not anchored yet (flagged pending-anchor)', false)
    .option('--concurrency <n>', 'files verified at once (on one thread)', '8')
    .option('--threads <n>', 'worker threads that verify (default: one per core for runs of 1,000 files or more; 0: this thread only)')
    .option('--json', 'print a JSON report (summary and one result per file) instead of text', false)
    .option('--csv <report>', 'also write a CSV report to this file')
    .option('--quiet', 'print only the summary (the progress bar on a terminal stays)', false)
    .addOption(new Option('--strict-files', 'count files that are not credentials as invalid').default(false))
    .addHelpText('after', '\nExample: microcred verify --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 ./credentials --csv report.csv\n\nExit codes: 0 all valid, 1 any invalid, 2 usage error (also: no files, or no file is a credential), 3 some could not be checked (e.g. RPC unreachable) and none invalid, or --registry/--chain-id do not name a registry on that chain.\nFiles that are not credentials are reported and counted apart; they do not change the exit code unless --strict-files.')
    .action(async (inputs: string[], flags: VerifyFlags) => runCommand('verify', flags.json, () => run(inputs, flags)));
}

// `microcred audit <inputs…> --policy <file>`: verifies a folder of CPD credentials and decides each licensee's compliance.
import { access, constants, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { auditCsv, auditHtml, auditLines, loadAuditPolicy, loadRoster, runAudit, type AuditPolicy } from '../src/audit';
import { detectChainId } from '../src/chain';
import { createDocumentLoader } from '../src/contexts';
import { MicrocredError } from '../src/errors';
import { createDidResolver } from '../src/did';
import { POLICY_PRESETS, assertPathsExist, countInputs, createVerifier } from '../src/verify';
import { EXIT_HELP, runCommand, usageError } from './runner';
import { statusListFetcherFor, withStatusListOptions, type StatusListFlags } from './verify';

interface AuditFlags extends StatusListFlags {
  policy: string;
  roster?: string;
  rpc?: string[];
  concurrency: string;
  json: boolean;
  csv?: string;
  html?: string;
  quiet: boolean;
}

/** Fails before any work when an output file's folder is missing or not writable. */
async function assertWritable(file: string | undefined, flag: string): Promise<void> {
  if (file === undefined) return;
  const folder = path.dirname(path.resolve(file));
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw usageError(`${flag} ${file}: the folder ${folder} does not exist or is not writable; create it or choose another path.`);
  }
}

async function verifierFor(policy: AuditPolicy, rpcFlags: string[], flags: StatusListFlags): Promise<ReturnType<typeof createVerifier>> {
  const rpcUrls = rpcFlags.length > 0 ? rpcFlags : ['http://127.0.0.1:8545'];
  for (const url of rpcUrls) if (!/^https?:\/\//.test(url)) throw usageError(`--rpc ${url} must be an http(s) URL.`);
  const [registry] = policy.acceptedRegistries;
  let nodeChainId: number;
  try {
    nodeChainId = await detectChainId(rpcUrls, { timeoutMs: 5_000 });
  } catch {
    throw new MicrocredError('ERR_RPC_UNAVAILABLE', `No RPC endpoint answered at ${rpcUrls.join(', ')}, so no credential can be checked on chain. Check --rpc and that the node is running.`, { details: { rpcUrls } });
  }
  if (nodeChainId !== registry!.chainId) {
    throw new MicrocredError('ERR_AUDIT_WRONG_CHAIN', `The RPC endpoint ${rpcUrls[0]} serves chain ${nodeChainId}, but the policy's accepted registry is on chain ${registry!.chainId}. Point --rpc at a node of chain ${registry!.chainId}.`, { details: { nodeChainId, policyChainId: registry!.chainId } });
  }
  const didResolver = createDidResolver();
  return createVerifier({
    statusListFetcher: await statusListFetcherFor(flags, rpcUrls),
    loader: createDocumentLoader({ didResolver }),
    didResolver,
    chain: { rpcUrls, chainId: registry!.chainId, registryAddress: registry!.address, statusTtlMs: 3_600_000, timeoutMs: 10_000 },
    policy: { ...POLICY_PRESETS.default!, trustedRegistries: policy.acceptedRegistries },
  });
}

async function run(inputs: string[], flags: AuditFlags): Promise<0 | 1 | 3> {
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw usageError('--concurrency must be a whole number from 1 to 256.');
  const policy = await loadAuditPolicy(flags.policy);
  const roster = flags.roster === undefined ? undefined : await loadRoster(flags.roster);
  await assertPathsExist(inputs);
  await assertWritable(flags.csv, '--csv');
  await assertWritable(flags.html, '--html');
  const total = await countInputs(inputs);
  if (total === 0) throw usageError(`No files found in ${inputs.join(', ')}: give the folder or files that hold the credentials.`);

  const verifier = await verifierFor(policy, flags.rpc ?? [], flags);
  // Progress goes to stderr whatever --quiet says: --quiet only trims what goes to stdout.
  const bar = process.stderr.isTTY === true ? new SingleBar({ stream: process.stderr, format: 'Auditing [{bar}] {value}/{total} files', hideCursor: true }, Presets.shades_classic) : undefined;
  bar?.start(total, 0);
  try {
    const result = await runAudit(inputs, { policy, ...(roster ? { roster } : {}), verifier, concurrency, onFile: () => bar?.increment() });
    bar?.stop();
    if (flags.csv !== undefined) await writeFile(flags.csv, auditCsv(result), 'utf8');
    if (flags.html !== undefined) await writeFile(flags.html, auditHtml(result, policy, new Date()), 'utf8');
    if (flags.json) console.log(JSON.stringify({ policy: { name: policy.name, cycle: policy.cycle, requiredCredits: policy.requiredCredits, creditUnit: policy.creditUnit }, ...result }, null, 2));
    else {
      const lines = auditLines(result, policy);
      for (const line of flags.quiet ? lines.slice(-1) : lines) console.log(line);
    }
    return result.exitCode;
  } finally {
    bar?.stop();
    verifier.close();
  }
}

/** Builds the `audit` command. Exit codes (docs/cli.md): 0 every licensee compliant, 1 any not compliant, 2 usage error, 3 could not check. */
export function auditCommand(): Command {
  return withStatusListOptions(new Command('audit'))
    .description('Decide CPD compliance: verify every credential in files or folders and count the credits each licensee earned under a policy.')
    .argument('<inputs...>', 'credential files and folders (searched recursively)')
    .requiredOption('--policy <file>', 'the audit policy JSON (cycle, required credits, categories, accepted registries and issuers); see docs/audit.md')
    .option('--roster <csv>', 'licensees to decide for: columns licenseeId,name,email,did (without it, one licensee per subject DID)')
    .option('--rpc <url>', 'JSON-RPC endpoint of the policy\'s registry chain; repeat for failover (default: http://127.0.0.1:8545)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--concurrency <n>', 'files verified at once', '8')
    .option('--json', 'print the whole decision as JSON (errors too)', false)
    .option('--csv <file>', 'also write one CSV row per credential, with each licensee\'s decision')
    .option('--html <file>', 'also write a printable HTML report (print it to PDF from a browser)')
    .option('--quiet', 'print only the closing summary line (progress still goes to stderr)', false)
    .addHelpText('after', `\nExample:\n  microcred audit portfolios/ --policy cpd-2025.json --roster licensees.csv --csv audit.csv --html audit.html\n${EXIT_HELP}\nFor audit: 0 every licensee compliant, 1 any licensee not compliant, 2 usage error (bad policy, roster, paths, no credentials), 3 could not check and nobody found not compliant.`)
    .action(async (inputs: string[], flags: AuditFlags) => runCommand('audit', flags.json, () => run(inputs, flags)));
}

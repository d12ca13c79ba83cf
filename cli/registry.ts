// `microcred registry …`: accreditor and issuer-admin operations on the registry (v2): issuers, operators, reads.
import { Command } from 'commander';
import { Wallet } from 'ethers';
import { deployRegistry, makeRpcProvider, detectChainId, RegistryClient, type IssuerRecord } from '../src/chain';
import { loadConfig } from '../src/config';
import { MicrocredError } from '../src/errors';
import { chainKey, connectRegistry, rpcUrls, runCommand, usageError, withChainOptions, withCommonOptions, type ChainOptions, type CommonOptions } from './context';
import { DEV_ACCREDITOR_ACCOUNT as DEV_ADMIN_ACCOUNT, devRegistryAddress } from '../src/chain';

type Options = CommonOptions & ChainOptions;

function configOf(options: Options) {
  return loadConfig({ ...(options.config === undefined ? {} : { file: options.config }), ...(options.data === undefined ? {} : { overrides: { dataDir: options.data } }) });
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ISSUER_ID = /^0x[0-9a-fA-F]{64}$/;

function requireAddress(value: string, what: string): string {
  if (!ADDRESS.test(value)) throw usageError(`${value} is not a 0x address (${what}).`);
  return value;
}

/** Development default: account #0 deploys the embedded registry, accredits and administers the local issuer. */
async function withRegistry(options: Options, body: (registry: RegistryClient) => Promise<void>): Promise<void> {
  const config = configOf(options);
  const registry = await connectRegistry(config, options, chainKey(config, options, DEV_ADMIN_ACCOUNT));
  try {
    await body(registry);
  } finally {
    registry.close();
  }
}

/**
 * The issuer an argument names: a DID or an issuer id as they are, and an operator address (the v1 way to name an
 * issuer) as the issuer it operates for. ERR_NOT_AN_OPERATOR when an address operates for nobody.
 */
async function issuerArgument(registry: RegistryClient, value: string): Promise<string> {
  if (ISSUER_ID.test(value) || !ADDRESS.test(value)) return value;
  const id = await registry.issuerOfOperator(value);
  if (id === null) throw new MicrocredError('ERR_NOT_AN_OPERATOR', `${value} is no issuer's operator; name the issuer by its DID or issuer id.`, { details: { operator: value } });
  return id;
}

/** A read-only client: show-issuer needs no key. */
async function withReader(options: Options, body: (registry: RegistryClient) => Promise<void>): Promise<void> {
  const config = configOf(options);
  // The embedded development chain's registry has a fixed address, as for the commands that sign (connectRegistry).
  const address = options.registry ?? config.chain.registryAddress ?? (config.chain.mode === 'embedded' ? devRegistryAddress() : undefined);
  if (address === undefined) throw usageError('No registry address: pass --registry or set chain.registryAddress (MICROCRED_REGISTRY).');
  const registry = await RegistryClient.connect({ address, rpcUrls: rpcUrls(config, options), ...(config.chain.chainId === undefined ? {} : { chainId: config.chain.chainId }) });
  try {
    await body(registry);
  } finally {
    registry.close();
  }
}

function issuerJson(record: IssuerRecord) {
  return { issuerId: record.id, did: record.did, name: record.name, admin: record.admin, active: record.active, registeredAt: new Date(record.registeredAt * 1000).toISOString(), operators: record.operators };
}

/** A registry subcommand with the common and chain options, and its example in `--help`. */
function command(name: string, description: string, example: string): Command {
  return withChainOptions(withCommonOptions(new Command(name).description(description).addHelpText('after', `\nExample: microcred registry ${name} ${example}`)));
}

/** The DID the examples use. */
const EXAMPLE_DID = 'did:web:credentials.example.edu';

function deployCommand(): Command {
  return command('deploy', 'Deploy a new registry; the signing account becomes its admin and first accreditor; prints the address.', '--rpc https://rpc.example-network.org --key-file admin.key').action(async (options: Options) =>
    runCommand('registry deploy', options.json, async () => {
      const config = configOf(options);
      const urls = rpcUrls(config, options);
      const chainId = config.chain.chainId ?? (await detectChainId(urls));
      const provider = makeRpcProvider(urls[0] as string, chainId, { pollingIntervalMs: 100 });
      try {
        const wallet = new Wallet(chainKey(config, options, DEV_ADMIN_ACCOUNT), provider);
        const address = await deployRegistry(wallet, wallet.address);
        if (options.json) console.log(JSON.stringify({ ok: true, address, chainId, admin: wallet.address }));
        else console.log(address);
      } finally {
        provider.destroy();
      }
    }),
  );
}

type AddIssuerOptions = Options & { did?: string; name: string; admin?: string; operator: string[] };

function addIssuerCommand(): Command {
  return command('add-issuer', "Register an issuer's DID (accreditor); --operator adds its anchoring accounts in the same run.", `${EXAMPLE_DID} --name "St Example Teaching Hospital" --operator 0x70997970C51812dc3A010C7d01b50e0d17dc79C8`)
    .argument('<did>', "the issuer's DID, exactly as in its credentials (v1 form: an operator address, with --did)")
    .requiredOption('--name <name>', "the institution's name")
    .option('--admin <address>', "the account that manages the issuer's operators (default: the signing account)")
    .option('--operator <address>', 'an anchoring account to add as operator (repeatable)', (value: string, list: string[]) => [...list, value], [] as string[])
    .option('--did <did>', 'v1 form: the DID, when the argument is an operator address')
    .action(async (argument: string, options: AddIssuerOptions) =>
      runCommand('registry add-issuer', options.json, async () => {
        // v1 form `add-issuer <address> --did <did>`: the address becomes the issuer's first operator.
        const did = options.did ?? argument;
        const operators = [...options.operator, ...(options.did === undefined ? [] : [requireAddress(argument, 'with --did, the argument is an operator address')])];
        operators.forEach((operator) => requireAddress(operator, '--operator'));
        if (options.admin !== undefined) requireAddress(options.admin, '--admin');
        if (did.startsWith('0x')) throw usageError(`${did} is not a DID: register the issuer by its DID (add-issuer <did> --operator <address>).`);
        await withRegistry(options, async (registry) => {
          const admin = options.admin ?? (await registry.signerAddress());
          const tx = await registry.registerIssuer(did, options.name, admin, operators);
          if (options.json) console.log(JSON.stringify({ ok: true, issuerId: tx.issuerId, did, name: options.name, admin, operators, tx: tx.hash, block: tx.blockNumber }));
          else console.log(`Registered ${did} (${options.name}) as issuer ${tx.issuerId} in block ${tx.blockNumber}; admin ${admin}; operators: ${operators.join(', ') || 'none yet'}.`);
        });
      }),
    );
}

function issuerStandingCommand(name: 'suspend-issuer' | 'reinstate-issuer'): Command {
  const suspend = name === 'suspend-issuer';
  const description = suspend
    ? "Suspend an issuer (accreditor): a suspended issuer's operators can neither anchor nor change statuses."
    : 'Reinstate a suspended issuer (accreditor): its operators may anchor and change statuses again; credentials it anchored before stay as they were.';
  const built = command(name, description, suspend ? `${EXAMPLE_DID} --reason 1` : EXAMPLE_DID).argument('<issuer>', "the issuer's DID or issuer id (or one of its operator addresses)");
  // Only a suspension records a reason; reinstating takes none.
  if (suspend) built.option('--reason <code>', 'numeric reason code recorded in the event', '0');
  return built.action(async (value: string, options: Options & { reason?: string }) =>
      runCommand(`registry ${name}`, options.json, async () => {
        const reason = Number(options.reason ?? '0');
        if (!Number.isInteger(reason) || reason < 0 || reason > 65_535) throw usageError('--reason must be an integer from 0 to 65535.');
        await withRegistry(options, async (registry) => {
          const issuer = await issuerArgument(registry, value);
          const tx = suspend ? await registry.suspendIssuer(issuer, reason) : await registry.reinstateIssuer(issuer);
          const record = await registry.issuerOf(issuer);
          if (options.json) console.log(JSON.stringify({ ok: true, issuerId: record?.id ?? null, did: record?.did ?? null, active: record?.active ?? null, tx: tx.hash, block: tx.blockNumber }));
          else console.log(`${suspend ? 'Suspended' : 'Reinstated'} ${record?.did ?? value} in block ${tx.blockNumber}.`);
        });
      }),
    );
}

function operatorCommand(name: 'add-operator' | 'remove-operator'): Command {
  const add = name === 'add-operator';
  return command(
    name,
    add
      ? "Add an anchoring account as the issuer's operator (issuer admin or accreditor); it may then anchor and change statuses for all of the issuer's roots."
      : "Remove an operator (issuer admin or accreditor): it loses every power at once, e.g. after its key was stolen.",
    `0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --issuer ${EXAMPLE_DID}`,
  )
    .argument('<address>', 'the operator account')
    .requiredOption('--issuer <issuer>', "the issuer's DID or issuer id")
    .action(async (address: string, options: Options & { issuer: string }) =>
      runCommand(`registry ${name}`, options.json, async () => {
        requireAddress(address, 'the operator');
        await withRegistry(options, async (registry) => {
          const tx = add ? await registry.addOperator(options.issuer, address) : await registry.removeOperator(options.issuer, address);
          const record = await registry.issuerOf(options.issuer);
          if (options.json) console.log(JSON.stringify({ ok: true, operator: address, issuerId: record?.id ?? null, operators: record?.operators ?? [], tx: tx.hash, block: tx.blockNumber }));
          else console.log(`${add ? 'Added' : 'Removed'} operator ${address} ${add ? 'to' : 'from'} ${record?.did ?? options.issuer} in block ${tx.blockNumber}; operators now: ${record?.operators.join(', ') || 'none'}.`);
        });
      }),
    );
}

function showIssuerCommand(): Command {
  return command('show-issuer', "Show an issuer: id, DID, name, admin, standing and operators (read-only; no key needed).", `${EXAMPLE_DID}   (development setup: no --rpc or --registry needed)`)
    .argument('<issuer>', "the issuer's DID or issuer id, or one of its operator addresses")
    .action(async (value: string, options: Options) =>
      runCommand('registry show-issuer', options.json, async () => {
        await withReader(options, async (registry) => {
          const record = await registry.issuerOf(await issuerArgument(registry, value));
          if (record === null) throw new MicrocredError('ERR_UNKNOWN_ISSUER', `No issuer ${value} is registered in ${registry.address}; an accreditor registers it with \`microcred registry add-issuer\`.`);
          if (options.json) {
            console.log(JSON.stringify({ ok: true, ...issuerJson(record) }));
            return;
          }
          console.log(`${record.did}  (${record.name})`);
          console.log(`  issuer id   ${record.id}`);
          console.log(`  standing    ${record.active ? 'active' : 'SUSPENDED'} since registration ${issuerJson(record).registeredAt}`);
          console.log(`  admin       ${record.admin}`);
          console.log(`  operators   ${record.operators.join(', ') || 'none'}`);
        });
      }),
    );
}

/**
 * Builds the `registry` command group. Exit codes (docs/cli.md): 0 done; 1 the chain refused (e.g. the key lacks
 * ACCREDITOR_ROLE, or is not the issuer's admin); 2 usage error (bad address, missing registry address); 3 the RPC
 * endpoint could not be reached.
 */
export function registryCommand(): Command {
  const group = new Command('registry').description('Deploy the registry, accredit issuers and manage their operators.');
  group.addCommand(deployCommand());
  group.addCommand(addIssuerCommand());
  group.addCommand(issuerStandingCommand('suspend-issuer'));
  group.addCommand(issuerStandingCommand('reinstate-issuer'));
  group.addCommand(operatorCommand('add-operator'));
  group.addCommand(operatorCommand('remove-operator'));
  group.addCommand(showIssuerCommand());
  return group;
}

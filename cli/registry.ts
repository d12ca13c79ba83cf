// `microcred registry deploy|add-issuer|suspend-issuer|reinstate-issuer`: accreditor operations on the registry contract.
import { Command } from 'commander';
import { Wallet } from 'ethers';
import { deployRegistry } from '../src/chain';
import { makeRpcProvider, detectChainId } from '../src/chain';
import type { RegistryClient } from '../src/chain';
import { loadConfig } from '../src/config';
import { chainKey, connectRegistry, rpcUrls, runCommand, usageError, withChainOptions, withCommonOptions, type ChainOptions, type CommonOptions } from './context';
import { DEV_ACCREDITOR_ACCOUNT as DEV_ADMIN_ACCOUNT } from '../src/chain';

type Options = CommonOptions & ChainOptions;

function configOf(options: Options) {
  return loadConfig({ ...(options.config === undefined ? {} : { file: options.config }), ...(options.data === undefined ? {} : { overrides: { dataDir: options.data } }) });
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

async function withRegistry(options: Options, body: (registry: RegistryClient) => Promise<void>): Promise<void> {
  const config = configOf(options);
  const registry = await connectRegistry(config, options, chainKey(config, options, DEV_ADMIN_ACCOUNT));
  try {
    await body(registry);
  } finally {
    registry.close();
  }
}

function command(name: string, description: string): Command {
  return withChainOptions(withCommonOptions(new Command(name).description(description)));
}

/**
 * Builds the `registry` command group. Exit codes (docs/cli.md): 0 done; 1 the chain refused (e.g. the key lacks
 * ACCREDITOR_ROLE); 2 usage error (bad address, missing registry address); 3 the RPC endpoint could not be reached.
 */
export function registryCommand(): Command {
  const group = new Command('registry').description('Deploy the registry and accredit issuers (needs an accreditor key).');
  group.addCommand(
    command('deploy', 'Deploy a new registry; the signing account becomes its admin and first accreditor; prints the address.').action(async (options: Options) =>
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
    ),
  );
  group.addCommand(
    command('add-issuer', 'Register an issuer account with its DID and name.')
      .argument('<address>', "the issuer's anchoring account")
      .requiredOption('--did <did>', "the issuer's DID")
      .requiredOption('--name <name>', "the institution's name")
      .action(async (address: string, options: Options & { did: string; name: string }) =>
        runCommand('registry add-issuer', options.json, async () => {
          if (!ADDRESS.test(address)) throw usageError(`${address} is not a 0x address.`);
          await withRegistry(options, async (registry) => {
            const tx = await registry.registerIssuer(address, options.did, options.name);
            if (options.json) console.log(JSON.stringify({ ok: true, address, did: options.did, name: options.name, tx: tx.hash, block: tx.blockNumber }));
            else console.log(`Registered ${address} as ${options.did} (${options.name}) in block ${tx.blockNumber}.`);
          });
        }),
      ),
  );
  for (const [name, verb] of [['suspend-issuer', 'Suspend'], ['reinstate-issuer', 'Reinstate']] as const) {
    group.addCommand(
      command(name, `${verb} an issuer: a suspended issuer cannot anchor.`)
        .argument('<address>', "the issuer's anchoring account")
        .action(async (address: string, options: Options) =>
          runCommand(`registry ${name}`, options.json, async () => {
            if (!ADDRESS.test(address)) throw usageError(`${address} is not a 0x address.`);
            await withRegistry(options, async (registry) => {
              const tx = name === 'suspend-issuer' ? await registry.suspendIssuer(address) : await registry.reinstateIssuer(address);
              const record = await registry.getIssuer(address);
              if (options.json) console.log(JSON.stringify({ ok: true, address, active: record?.active ?? null, tx: tx.hash, block: tx.blockNumber }));
              else console.log(`${verb === 'Suspend' ? 'Suspended' : 'Reinstated'} ${address} in block ${tx.blockNumber}.`);
            });
          }),
        ),
    );
  }
  return group;
}

// Connects the issuer to its chain: the embedded development chain (deployed and replayed) or an external network.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RegistryClient, startDevChain, type DevChain } from '../chain';
import type { MicrocredConfig } from '../config';
import { MicrocredError } from '../errors';
import type { ChainResetStore } from '../store';
import { accountPrivateKey } from '../chain';
import { setUpDevRegistry } from '../chain';
import type { Logger } from './log';

/** The chain side of a running issuer. */
export interface IssuerChain {
  readonly registry: RegistryClient;
  readonly chainId: number;
  readonly registryAddress: string;
  readonly rpcUrls: readonly string[];
  /** Set when this process runs the embedded development chain. */
  readonly devChain?: DevChain;
  close(): Promise<void>;
}

/** File in the data folder remembering where the embedded registry lives, so a restart can check it did not move. */
const DEV_CHAIN_FILE = 'devchain.json';

function rememberedDevRegistry(dataDir: string): string | undefined {
  try {
    const saved = JSON.parse(readFileSync(path.join(dataDir, DEV_CHAIN_FILE), 'utf8')) as { registryAddress?: unknown };
    return typeof saved.registryAddress === 'string' ? saved.registryAddress : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the embedded chain, deploys the registry at its fixed address, registers the local issuer, and puts every
 * batch and status change the database already carried back in the outbox: the chain starts empty on every start,
 * so the roots are anchored again and credentials issued before the restart keep verifying.
 */
async function embeddedChain(config: MicrocredConfig, dataDir: string, store: ChainResetStore, issuer: { did: string; name: string }, log: Logger): Promise<IssuerChain> {
  const devChain = await startDevChain({ port: config.chain.embeddedPort });
  try {
    const dev = await setUpDevRegistry(devChain, issuer, rememberedDevRegistry(dataDir));
    writeFileSync(path.join(dataDir, DEV_CHAIN_FILE), `${JSON.stringify({ chainId: devChain.chainId, registryAddress: dev.address }, null, 2)}\n`, { mode: 0o600 });
    const replay = store.requeueForFreshChain('system');
    if (replay.batches + replay.statusChanges > 0) {
      log({ level: 'info', event: 'chain.replay', message: `re-anchoring ${replay.batches} batch(es) and replaying ${replay.statusChanges} status change(s) on the fresh development chain` });
    }
    const registry = await RegistryClient.connect({ address: dev.address, rpcUrls: [devChain.url], chainId: devChain.chainId, privateKey: dev.issuerPrivateKey, pollingIntervalMs: 100 });
    return {
      registry,
      chainId: devChain.chainId,
      registryAddress: dev.address,
      rpcUrls: [devChain.url],
      devChain,
      async close() {
        registry.close();
        await devChain.close();
      },
    };
  } catch (error) {
    await devChain.close();
    throw error;
  }
}

/** Connects to an external network and warns, with the fix, when this issuer is not registered and active there. */
async function externalChain(config: MicrocredConfig, issuer: { did: string }, log: Logger): Promise<IssuerChain> {
  const { rpcUrls, chainId, registryAddress, confirmations } = config.chain;
  if (chainId === undefined || registryAddress === undefined) {
    throw new MicrocredError('ERR_CONFIG_INVALID', 'An external chain needs chain.chainId and chain.registryAddress.');
  }
  const registry = await RegistryClient.connect({ address: registryAddress, rpcUrls: [...rpcUrls], chainId, privateKey: accountPrivateKey(config) });
  const account = await registry.signerAddress();
  try {
    const record = await registry.getIssuer(account);
    const fix = `ask the accreditor to run: microcred registry add-issuer ${account} --did ${issuer.did} --name "<institution>"`;
    if (record === null) log({ level: 'warn', event: 'chain.issuer', message: `anchoring account ${account} is not registered in ${registryAddress}; batches wait until it is: ${fix}` });
    else if (!record.active) log({ level: 'warn', event: 'chain.issuer', message: `issuer ${account} is suspended in the registry; batches wait until it is reinstated` });
    else if (record.did !== issuer.did) log({ level: 'warn', event: 'chain.issuer', message: `the registry binds ${account} to ${record.did}, but this issuer signs as ${issuer.did}; verifiers will report ISSUER_DID_MISMATCH` });
  } catch (error) {
    log({ level: 'warn', event: 'chain.unreachable', message: `could not read the registry yet (${(error as Error).message}); issuing goes on and anchoring retries` });
  }
  log({ level: 'info', event: 'chain.external', message: `anchoring to ${registryAddress} on chain ${chainId} with ${confirmations} confirmation(s)` });
  return {
    registry,
    chainId,
    registryAddress,
    rpcUrls,
    close() {
      registry.close();
      return Promise.resolve();
    },
  };
}

/** The issuer's chain per the configuration. */
export function connectIssuerChain(config: MicrocredConfig, dataDir: string, store: ChainResetStore, issuer: { did: string; name: string }, log: Logger): Promise<IssuerChain> {
  return config.chain.mode === 'embedded' ? embeddedChain(config, dataDir, store, issuer, log) : externalChain(config, issuer, log);
}

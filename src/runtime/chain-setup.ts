// Connects the issuer to its chain: the embedded development chain (deployed and replayed) or an external network.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RegistryClient, issuerIdOf, startDevChain, type DevChain } from '../chain';
import type { MicrocredConfig } from '../config';
import { MicrocredError } from '../errors';
import type { Store } from '../store';
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
/** File in the data folder remembering the external registry anchored to last, so a new registry is noticed. */
const EXTERNAL_CHAIN_FILE = 'chain.json';

function rememberedExternalRegistry(dataDir: string): { chainId: number; registryAddress: string } | undefined {
  try {
    const saved = JSON.parse(readFileSync(path.join(dataDir, EXTERNAL_CHAIN_FILE), 'utf8')) as { chainId?: unknown; registryAddress?: unknown };
    return typeof saved.chainId === 'number' && typeof saved.registryAddress === 'string' ? { chainId: saved.chainId, registryAddress: saved.registryAddress } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A registry (or chain) other than the one this database anchored to last lacks every root: put every batch and
 * status change back in the outbox, which asks the new registry before sending, so nothing is anchored twice there.
 * Anchor proofs are rewritten with the new registry as each batch is anchored again. A data folder that never
 * remembered its registry (made before this file existed) is judged by its newest anchored root: if the registry
 * does not know it, the registry is new. Unreachable: nothing is decided, and the next start asks again.
 */
async function reanchorOnNewRegistry(dataDir: string, store: Store, registry: RegistryClient, issuerDid: string, log: Logger): Promise<void> {
  const { chainId, address: registryAddress } = registry;
  const before = rememberedExternalRegistry(dataDir);
  const same = before !== undefined && before.chainId === chainId && before.registryAddress.toLowerCase() === registryAddress.toLowerCase();
  if (same) return;
  let isNew = before !== undefined;
  if (before === undefined) {
    const newest = store.listBatches({ state: 'anchored', limit: 1 }).items[0];
    if (newest?.root != null) {
      try {
        isNew = (await registry.anchorOf(issuerDid, newest.root)) === null;
      } catch {
        return;
      }
    }
  }
  if (isNew) {
    const replay = store.requeueForFreshChain('system');
    log({
      level: 'warn',
      event: 'chain.new-registry',
      message: `registry ${registryAddress} on chain ${chainId} lacks this issuer's anchors (it was ${before === undefined ? 'not remembered' : `${before.registryAddress} on chain ${before.chainId}`}): re-anchoring ${replay.batches} batch(es) and replaying ${replay.statusChanges} status change(s)`,
    });
  }
  writeFileSync(path.join(dataDir, EXTERNAL_CHAIN_FILE), `${JSON.stringify({ chainId, registryAddress }, null, 2)}\n`, { mode: 0o600 });
}

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
async function embeddedChain(config: MicrocredConfig, dataDir: string, store: Store, issuer: { did: string; name: string }, log: Logger): Promise<IssuerChain> {
  const devChain = await startDevChain({ port: config.chain.embeddedPort }).catch((cause: unknown) => {
    // Name the setting to change: the chain's own error only knows the port.
    throw new MicrocredError(
      'ERR_DEVCHAIN_START',
      `Could not start the development chain on 127.0.0.1:${config.chain.embeddedPort} (is the port in use?): choose another port with MICROCRED_CHAIN_PORT (config chain.embeddedPort), or stop what holds it.`,
      { cause, details: { port: config.chain.embeddedPort, setting: 'MICROCRED_CHAIN_PORT' } },
    );
  });
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

/**
 * Connects to an external network, re-anchors everything when the registry is not the one used last, and warns, with
 * the fix, when this issuer is not registered and active there or the anchoring account is not its operator.
 */
async function externalChain(config: MicrocredConfig, dataDir: string, store: Store, issuer: { did: string }, log: Logger): Promise<IssuerChain> {
  const { rpcUrls, chainId, registryAddress, confirmations } = config.chain;
  if (chainId === undefined || registryAddress === undefined) {
    throw new MicrocredError('ERR_CONFIG_INVALID', 'An external chain needs chain.chainId and chain.registryAddress.');
  }
  const registry = await RegistryClient.connect({ address: registryAddress, rpcUrls: [...rpcUrls], chainId, privateKey: accountPrivateKey(config) });
  const account = await registry.signerAddress();
  try {
    await reanchorOnNewRegistry(dataDir, store, registry, issuer.did, log);
    const record = await registry.issuerOf(issuer.did);
    const serves = await registry.issuerOfOperator(account);
    const register = `ask the accreditor to run: microcred registry add-issuer ${issuer.did} --name "<institution>" --admin <admin address> --operator ${account}`;
    const addOperator = `ask the issuer's admin to run: microcred registry add-operator ${account} --issuer ${issuer.did}`;
    if (record === null) log({ level: 'warn', event: 'chain.issuer', message: `issuer ${issuer.did} is not registered in ${registryAddress}; batches wait until it is: ${register}` });
    else if (!record.active) log({ level: 'warn', event: 'chain.issuer', message: `issuer ${issuer.did} is suspended in the registry; batches wait until it is reinstated` });
    if (record !== null && serves === null) log({ level: 'warn', event: 'chain.operator', message: `anchoring account ${account} is not an operator of ${issuer.did}; batches wait until it is: ${addOperator}` });
    else if (serves !== null && serves !== issuerIdOf(issuer.did)) log({ level: 'warn', event: 'chain.operator', message: `anchoring account ${account} operates for another issuer (${serves}); use an operator key of ${issuer.did}` });
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
export function connectIssuerChain(config: MicrocredConfig, dataDir: string, store: Store, issuer: { did: string; name: string }, log: Logger): Promise<IssuerChain> {
  return config.chain.mode === 'embedded' ? embeddedChain(config, dataDir, store, issuer, log) : externalChain(config, dataDir, store, issuer, log);
}

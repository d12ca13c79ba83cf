// A real `hardhat node` with a registry v2 on it and one registered issuer whose operator is dev account #1.
import { JsonRpcProvider, Wallet } from 'ethers';
import { DEV_CHAIN_ID, RegistryClient, deployRegistry, hardhatDevAccounts, providerOptions } from '../../src/chain';
import { startHardhatNode, type HardhatNode } from './hardhat-node';

/** The node, the registry's address, and a client signing as the issuer's operator. */
export interface RegistryNode {
  readonly node: HardhatNode;
  readonly registry: string;
  /** Signs as dev account #1, the registered issuer's operator (anchor, revoke, suspend). */
  readonly issuerClient: RegistryClient;
  /** One client per extra issuer registered (`others`), signing as dev account #2, #3, … (its operator). */
  readonly otherClients: readonly RegistryClient[];
  /** Closes the clients and stops the node. */
  stop(): Promise<void>;
}

/**
 * Starts a hardhat node, deploys the registry (admin: dev account #0) and registers `did` as `name`, and each of
 * `others` (for example an accrediting body) with its own operator.
 */
export async function startRegistryNode(did: string, name: string, others: ReadonlyArray<{ did: string; name: string }> = []): Promise<RegistryNode> {
  const accounts = hardhatDevAccounts(2 + others.length);
  const node = await startHardhatNode();
  const clients: RegistryClient[] = [];
  try {
    const provider = new JsonRpcProvider(node.url, DEV_CHAIN_ID, providerOptions(DEV_CHAIN_ID));
    const registry = await deployRegistry(new Wallet(accounts[0]!.privateKey, provider), accounts[0]!.address);
    provider.destroy();
    const connect = async (key: string) => {
      const client = await RegistryClient.connect({ address: registry, rpcUrls: [node.url], chainId: DEV_CHAIN_ID, pollingIntervalMs: 50, privateKey: key });
      clients.push(client);
      return client;
    };
    const admin = await connect(accounts[0]!.privateKey);
    await admin.registerIssuer(did, name, accounts[0]!.address, [accounts[1]!.address]);
    const issuerClient = await connect(accounts[1]!.privateKey);
    const otherClients: RegistryClient[] = [];
    for (const [i, other] of others.entries()) {
      await admin.registerIssuer(other.did, other.name, accounts[0]!.address, [accounts[2 + i]!.address]);
      otherClients.push(await connect(accounts[2 + i]!.privateKey));
    }
    const stop = async (): Promise<void> => {
      for (const client of clients) client.close();
      await node.stop();
    };
    return { node, registry, issuerClient, otherClients, stop };
  } catch (error) {
    for (const client of clients) client.close();
    await node.stop();
    throw error;
  }
}

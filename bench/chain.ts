// The bench's chain: a real `hardhat node` process with the registry deployed and the bench issuer registered.
import { Wallet } from 'ethers';
import { RegistryClient, deployRegistry, hardhatDevAccounts, makeRpcProvider } from '../src/chain';
import { startHardhatNode } from '../tests/helpers/hardhat-node';

/** Hardhat's chain id. */
export const BENCH_CHAIN_ID = 31337;

/** A running node with a registry on it. */
export interface BenchChain {
  readonly url: string;
  readonly chainId: number;
  readonly registryAddress: string;
  /** Development key of the account that anchors for the bench issuer (a public, well-known Hardhat key). */
  readonly issuerPrivateKey: string;
  stop(): Promise<void>;
}

/** Starts `hardhat node`, deploys the registry from account #0 and registers account #1 as the issuer with DID `did`. */
export async function startBenchChain(issuer: { did: string; name: string }): Promise<BenchChain> {
  const node = await startHardhatNode();
  try {
    const [admin, anchoring] = hardhatDevAccounts(2) as [{ address: string; privateKey: string }, { address: string; privateKey: string }];
    const provider = makeRpcProvider(node.url, BENCH_CHAIN_ID);
    let registryAddress: string;
    try {
      registryAddress = await deployRegistry(new Wallet(admin.privateKey, provider), admin.address);
    } finally {
      provider.destroy();
    }
    const client = await RegistryClient.connect({ address: registryAddress, rpcUrls: [node.url], chainId: BENCH_CHAIN_ID, privateKey: admin.privateKey, pollingIntervalMs: 20 });
    try {
      await client.registerIssuer(issuer.did, issuer.name, admin.address, [anchoring.address]);
    } finally {
      client.close();
    }
    return { url: node.url, chainId: BENCH_CHAIN_ID, registryAddress, issuerPrivateKey: anchoring.privateKey, stop: () => node.stop() };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** A registry client that signs as the bench issuer, polling fast (the node mines each transaction at once). */
export function issuerClient(chain: { url: string; chainId: number; registryAddress: string }, privateKey: string): Promise<RegistryClient> {
  return RegistryClient.connect({ address: chain.registryAddress, rpcUrls: [chain.url], chainId: chain.chainId, privateKey, pollingIntervalMs: 20, timeoutMs: 30_000 });
}

// The verifier's RegistrySource over the chain client: lookupMany, the chain head and the registry self-check.
import { getAddress } from 'ethers';
import { FailoverReader } from '../chain';
import { makeRpcProvider } from '../chain';
import { RegistryClient } from '../chain';
import { REGISTRY_INTERFACE_ID } from '../chain';
import { MicrocredError } from '../errors';
import type { RegistryAnswer, RegistryQuery, RegistrySource } from './registry-source';

/** Options of {@link createRegistryClientSource}. */
export interface RegistryClientSourceOptions {
  readonly rpcUrls: readonly string[];
  readonly chainId: number;
  readonly registryAddress: string;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Builds the source. Connecting is lazy: nothing is sent until the first read. */
export function createRegistryClientSource(options: RegistryClientSourceOptions): RegistrySource {
  const address = getAddress(options.registryAddress);
  const rpc = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  let client: Promise<RegistryClient> | undefined;
  let head: FailoverReader | undefined;
  const connect = (): Promise<RegistryClient> =>
    (client ??= RegistryClient.connect({ address, rpcUrls: options.rpcUrls, chainId: options.chainId, ...rpc }));
  const where = `${address} on chain ${options.chainId}`;

  return {
    async lookupMany(queries: readonly RegistryQuery[]): Promise<RegistryAnswer[]> {
      // The reader already cut the questions to its batch size: one call for all of them.
      const results = await (await connect()).lookupMany(
        queries.map((q) => ({ issuer: q.issuerId, root: q.root, leaf: q.leaf, path: q.path })),
        Math.max(1, queries.length),
      );
      return results.map((r) => ({
        anchoredAt: r.anchored ? r.anchoredAt : 0,
        anchoredBlock: r.anchored ? r.anchoredBlock : 0,
        leafInRoot: r.leafInRoot,
        status: r.status,
        statusReason: r.statusReason,
        statusSince: r.statusSince,
        issuerRegistered: r.issuerRegistered,
        issuerActive: r.issuerActive,
        issuerDid: r.issuerDid,
        issuerName: r.issuerName,
      }));
    },
    async latestBlock() {
      head ??= new FailoverReader(options.rpcUrls.map((url) => makeRpcProvider(url, options.chainId, rpc)));
      try {
        return await head.run((provider) => provider.getBlockNumber());
      } catch (cause) {
        throw new MicrocredError('ERR_RPC_UNAVAILABLE', 'Reading the latest block failed: no RPC endpoint answered; check the RPC URL(s) and retry', { cause });
      }
    },
    async checkRegistry() {
      const c = await connect();
      // Asked of the node itself: the providers are pinned to the configured chain id and would never notice.
      const nodeChainId = await c.nodeChainId();
      if (nodeChainId !== options.chainId) {
        throw new MicrocredError('ERR_REGISTRY_CHAIN_MISMATCH', `The RPC node is on chain ${nodeChainId}, not chain ${options.chainId}: check --chain-id and --rpc (registry ${address}).`, {
          details: { address, chainId: options.chainId, nodeChainId },
        });
      }
      if (!(await c.hasCode())) {
        throw new MicrocredError('ERR_REGISTRY_NO_CODE', `There is no contract at ${where}: check --registry, and that the RPC node is the chain the registry was deployed on.`, {
          details: { address, chainId: options.chainId },
        });
      }
      if (!(await c.supportsInterface(REGISTRY_INTERFACE_ID))) {
        throw new MicrocredError('ERR_REGISTRY_NOT_A_REGISTRY', `The contract at ${where} is not a microcred registry (v2): it does not support interface ${REGISTRY_INTERFACE_ID}. Check --registry.`, {
          details: { address, chainId: options.chainId, interfaceId: REGISTRY_INTERFACE_ID },
        });
      }
    },
    close() {
      head?.destroy();
      if (client) void client.then((c) => c.close(), () => undefined);
    },
  };
}

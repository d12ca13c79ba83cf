// The verifier's RegistrySource over JSON-RPC: lookupMany, the chain head and the registry self-check, with failover.
import { Contract, Interface, getAddress, type JsonRpcProvider } from 'ethers';
import { FailoverReader } from '../chain/failover';
import { makeRpcProvider } from '../chain/provider';
import { toChainError } from '../chain/errors';
import { LEAF_STATUSES, type LeafStatus } from '../chain/types';
import { MicrocredError } from '../errors';
import type { RegistryAnswer, RegistryQuery, RegistrySource } from './registry-source';

/** The registry v2 reads the verifier makes, and ERC-165. */
const ABI = [
  'function lookupMany((bytes32 issuerId, bytes32 root, bytes32 leaf, bytes32[] path)[] queries) view returns ((uint64 anchoredAt, uint64 anchoredBlock, bool leafInRoot, uint8 status, uint16 statusReason, uint64 statusSince, bool issuerRegistered, bool issuerActive, string issuerDid, string issuerName)[])',
  'function supportsInterface(bytes4 interfaceId) view returns (bool)',
];

/** The ICredentialRegistry (v2) ERC-165 interface id: the XOR of its function selectors. */
export const REGISTRY_V2_FUNCTIONS = [
  'registerIssuer(string,string,address)',
  'setIssuerAdmin(bytes32,address)',
  'suspendIssuer(bytes32,uint16)',
  'reinstateIssuer(bytes32)',
  'addOperator(bytes32,address)',
  'removeOperator(bytes32,address)',
  'anchor(bytes32)',
  'revoke(bytes32,bytes32,bytes32[],uint16)',
  'suspend(bytes32,bytes32,bytes32[],uint16)',
  'reinstate(bytes32,bytes32,bytes32[],uint16)',
  'issuerIdOf(string)',
  'issuerOf(bytes32)',
  'issuerOfOperator(address)',
  'anchorOf(bytes32,bytes32)',
  'leafStateOf(bytes32,bytes32)',
  'lookup(bytes32,bytes32,bytes32,bytes32[])',
  'lookupMany((bytes32,bytes32,bytes32,bytes32[])[])',
] as const;

/** ERC-165 id of a list of function signatures. */
export function interfaceIdOf(signatures: readonly string[]): string {
  const iface = new Interface(signatures.map((s) => `function ${s}`));
  let id = 0;
  for (const s of signatures) id ^= Number.parseInt(iface.getFunction(s)!.selector.slice(2), 16);
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

/** The registry's ERC-165 interface id. */
export const REGISTRY_INTERFACE_ID = interfaceIdOf(REGISTRY_V2_FUNCTIONS);

interface LookupTuple {
  anchoredAt: bigint;
  anchoredBlock: bigint;
  leafInRoot: boolean;
  status: bigint;
  statusReason: bigint;
  statusSince: bigint;
  issuerRegistered: boolean;
  issuerActive: boolean;
  issuerDid: string;
  issuerName: string;
}

const statusName = (value: bigint): LeafStatus => LEAF_STATUSES[Number(value)] ?? 'active';

/** Options of {@link createRegistryClientSource}. */
export interface RegistryClientSourceOptions {
  readonly rpcUrls: readonly string[];
  readonly chainId: number;
  readonly registryAddress: string;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Builds the source. Nothing is sent until the first read. */
export function createRegistryClientSource(options: RegistryClientSourceOptions): RegistrySource {
  const address = getAddress(options.registryAddress);
  const iface = new Interface(ABI);
  let reader: FailoverReader | undefined;
  const run = async <T>(action: string, read: (provider: JsonRpcProvider) => Promise<T>): Promise<T> => {
    reader ??= new FailoverReader(options.rpcUrls.map((url) => makeRpcProvider(url, options.chainId, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {})));
    try {
      return await reader.run(read);
    } catch (error) {
      throw toChainError(error, iface, action);
    }
  };
  const where = `${address} on chain ${options.chainId}`;

  return {
    async lookupMany(queries: readonly RegistryQuery[]): Promise<RegistryAnswer[]> {
      const tuples = await run('Reading the registry', async (provider) => {
        const contract = new Contract(address, iface, provider);
        return (await contract.getFunction('lookupMany')(queries.map((q) => [q.issuerId, q.root, q.leaf, [...q.path]]))) as LookupTuple[];
      });
      return tuples.map((t) => ({
        anchoredAt: Number(t.anchoredAt),
        anchoredBlock: Number(t.anchoredBlock),
        leafInRoot: t.leafInRoot,
        status: statusName(t.status),
        statusReason: Number(t.statusReason),
        statusSince: Number(t.statusSince),
        issuerRegistered: t.issuerRegistered,
        issuerActive: t.issuerActive,
        issuerDid: t.issuerDid,
        issuerName: t.issuerName,
      }));
    },
    latestBlock() {
      return run('Reading the latest block', (provider) => provider.getBlockNumber());
    },
    async checkRegistry() {
      // Asked of the node itself: the providers are pinned to the configured chain id and would never notice.
      const nodeChainId = await run('Reading the chain id', async (provider) => Number(BigInt((await provider.send('eth_chainId', [])) as string)));
      if (nodeChainId !== options.chainId) {
        throw new MicrocredError('ERR_REGISTRY_CHAIN_MISMATCH', `The RPC node is on chain ${nodeChainId}, not chain ${options.chainId}: check --chain-id and --rpc for registry ${address}.`, {
          details: { address, chainId: options.chainId, nodeChainId },
        });
      }
      const code = await run('Reading the registry code', (provider) => provider.getCode(address));
      if (code === '0x') {
        throw new MicrocredError('ERR_REGISTRY_NO_CODE', `There is no contract at ${where}: check --registry (and that the node is the chain the registry was deployed on).`, {
          details: { address, chainId: options.chainId },
        });
      }
      let supported: boolean;
      try {
        supported = await run('Asking the contract for its interface', async (provider) => (await new Contract(address, iface, provider).getFunction('supportsInterface')(REGISTRY_INTERFACE_ID)) as boolean);
      } catch (error) {
        // A contract without ERC-165 reverts or answers garbage: that is "not a registry"; an unreachable node is not.
        if (error instanceof MicrocredError && error.code === 'ERR_RPC_UNAVAILABLE') throw error;
        supported = false;
      }
      if (!supported) {
        throw new MicrocredError('ERR_REGISTRY_NOT_A_REGISTRY', `The contract at ${where} is not a microcred registry (v2): it does not support interface ${REGISTRY_INTERFACE_ID}. Check --registry.`, {
          details: { address, chainId: options.chainId, interfaceId: REGISTRY_INTERFACE_ID },
        });
      }
    },
    close() {
      reader?.destroy();
    },
  };
}

// Starts Hardhat's EVM inside this process with a JSON-RPC endpoint on loopback: the development and test chain.
import type { EventEmitter } from 'node:events';
import type { HardhatUserConfig } from 'hardhat/types';
import { MicrocredError } from '../errors';
import { hardhatDevAccounts } from './dev-accounts';
import type { DevAccount } from './dev-accounts';

/** Options for {@link startDevChain}. */
export interface DevChainOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; loopback by default, and it should stay that way. */
  hostname?: string;
  /** Chain id; Hardhat's 31337 by default. */
  chainId?: number;
  /** Time of the genesis block; the current time by default. */
  initialDate?: Date;
}

/** A running in-process chain. */
export interface DevChain {
  /** JSON-RPC endpoint, e.g. `http://127.0.0.1:8545`. */
  readonly url: string;
  /** The chain id it answers with. */
  readonly chainId: number;
  /** Funded development accounts (Hardhat's well-known keys). */
  readonly accounts: readonly DevAccount[];
  /** Stops the JSON-RPC server; the chain's state is gone afterwards. */
  close(): Promise<void>;
}

/** Hardhat's default chain id for its own network. */
export const DEV_CHAIN_ID = 31337;

/**
 * Starts Hardhat's network in this process, built from its internals so no config file is needed,
 * and serves it over HTTP JSON-RPC on loopback.
 */
export async function startDevChain(options: DevChainOptions = {}): Promise<DevChain> {
  // Hardhat is loaded here, not at the top, so that importing src/chain stays light for verifiers.
  const { resolveConfig } = await import('hardhat/internal/core/config/config-resolution.js');
  const { createProvider } = await import('hardhat/internal/core/providers/construction.js');
  const { JsonRpcServer } = await import('hardhat/internal/hardhat-network/jsonrpc/server.js');
  const chainId = options.chainId ?? DEV_CHAIN_ID;
  const hostname = options.hostname ?? '127.0.0.1';
  const userConfig: HardhatUserConfig = {
    networks: {
      hardhat: {
        chainId,
        hardfork: 'cancun',
        ...(options.initialDate ? { initialDate: options.initialDate.toISOString() } : {}),
      },
    },
  };
  // Hardhat only needs an existing file to anchor its paths (used for fork caches, which we never use); this
  // module's own file serves, so the project's hardhat.config.ts is neither read nor required.
  const config = resolveConfig(__filename, userConfig);
  const provider = await createProvider(config, 'hardhat');
  const server = new JsonRpcServer({ hostname, port: options.port ?? 0, provider });
  // Hardhat's listen() never rejects: a taken port surfaces as an 'error' event on its (private) HTTP server, which
  // its WebSocket server re-emits on itself, where nobody listens, so the process would crash while listen() hangs.
  const internals = server as unknown as { _wsServer: EventEmitter };
  let address: { address: string; port: number };
  try {
    address = await new Promise((resolve, reject) => {
      internals._wsServer.once('error', reject);
      server.listen().then(resolve, reject);
    });
    internals._wsServer.removeAllListeners('error');
  } catch (cause) {
    throw new MicrocredError('ERR_DEVCHAIN_START', `Could not start the development chain on ${hostname}:${options.port ?? 0}; choose another port`, {
      cause,
    });
  }
  let closed = false;
  return {
    url: `http://${hostname}:${address.port}`,
    chainId,
    accounts: hardhatDevAccounts(),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}

// JSON-RPC providers with settings that suit a local or remote node: no batching, no cache, a fixed network.
import { FetchRequest, JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from 'ethers';
import { MicrocredError } from '../errors';
import { RpcUnavailableError } from './errors';

/** Transport settings shared by every provider microcred makes. */
export interface RpcOptions {
  /** Per-request timeout; a black-holed endpoint fails after this and the next URL is tried. Default 10 s. */
  timeoutMs?: number;
  /** How often to poll for new blocks while waiting for receipts. Default 250 ms. */
  pollingIntervalMs?: number;
}

/**
 * The provider options TOOLCHAIN.md measured: one request per HTTP call (batching made local nodes ~4x slower),
 * no response cache (a cached `pending` nonce was reused), and the network fixed up front so a dead URL never
 * sends ethers into its endless "failed to detect network" retry loop.
 */
export function providerOptions(chainId: number, options: RpcOptions = {}) {
  return {
    staticNetwork: Network.from(chainId),
    batchMaxCount: 1,
    cacheTimeout: -1,
    pollingInterval: options.pollingIntervalMs ?? 250,
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * ethers' JsonRpcProvider with its `_send` doing the same request in native code: ethers turns the JSON text into UTF-8
 * bytes and the answer back into text in JavaScript, which for a lookupMany call (~100 KB each way) cost ~0.2 ms a
 * credential in bulk verification. Same bytes on the wire (JSON.stringify never leaves a lone surrogate), same header;
 * an answer that is not UTF-8 JSON is handed to ethers' own reader, so it fails with ethers' error as before.
 */
export class RpcProvider extends JsonRpcProvider {
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const request = this._getConnection();
    request.body = Buffer.from(JSON.stringify(payload), 'utf8');
    request.setHeader('content-type', 'application/json');
    const response = await request.send();
    response.assertOk();
    let answer: unknown;
    try {
      const body = response.body;
      answer = JSON.parse(body === null ? '' : UTF8.decode(body));
    } catch {
      answer = response.bodyJson;
    }
    return (Array.isArray(answer) ? answer : [answer]) as JsonRpcResult[];
  }
}

/** A JsonRpcProvider for `url` on chain `chainId`, with {@link providerOptions} and a request timeout. */
export function makeRpcProvider(url: string, chainId: number, options: RpcOptions = {}): JsonRpcProvider {
  const request = new FetchRequest(url);
  request.timeout = options.timeoutMs ?? 10_000;
  return new RpcProvider(request, Network.from(chainId), providerOptions(chainId, options));
}

/** Asks each URL in turn for `eth_chainId` and returns the first answer; throws ERR_RPC_UNAVAILABLE if none answers. */
export async function detectChainId(urls: readonly string[], options: RpcOptions = {}): Promise<number> {
  if (urls.length === 0) throw new MicrocredError('ERR_NO_RPC_URL', 'No RPC URL was given: configure at least one');
  const failures: string[] = [];
  for (const url of urls) {
    try {
      const request = new FetchRequest(url);
      request.timeout = options.timeoutMs ?? 10_000;
      request.body = { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] };
      const response = await request.send();
      response.assertOk();
      const body = response.bodyJson as { result?: unknown };
      if (typeof body.result === 'string') return Number(BigInt(body.result));
      failures.push(`${url}: no chain id in the answer`);
    } catch (error) {
      failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new RpcUnavailableError('ERR_RPC_UNAVAILABLE', `No RPC endpoint answered eth_chainId; check the RPC URL(s): ${failures.join('; ')}`, {
    details: { urls: [...urls] },
  });
}

// A JSON-RPC proxy on 127.0.0.1 that counts every method called through it and can pretend the node is behind.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy in front of one JSON-RPC node. */
export interface RpcProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Calls seen per method (a JSON-RPC batch counts each call). */
  counts(): Record<string, number>;
  /** `eth_call`s seen whose data starts with `selector` (0x + 8 hex). */
  callsTo(selector: string): number;
  /** Forgets the counts. */
  reset(): void;
  /**
   * Hides every block above `block` (undefined: hides none): `eth_blockNumber` answers `block`, and reads at
   * `latest` or `pending` are sent at `block`, as a node that has not caught up would answer.
   */
  hideBlocksAbove(block: number | undefined): void;
  close(): Promise<void>;
}

interface RpcCall {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

const TAGGED_READS: Readonly<Record<string, number>> = { eth_call: 1, eth_getCode: 1, eth_getBalance: 1, eth_getTransactionCount: 1, eth_getBlockByNumber: 0 };

/** Starts a proxy to `target` (an http URL). */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const counts: Record<string, number> = {};
  const selectors: Record<string, number> = {};
  let ceiling: number | undefined;

  const rewrite = (call: RpcCall): RpcCall | { answer: unknown } => {
    const method = call.method ?? '';
    counts[method] = (counts[method] ?? 0) + 1;
    if (method === 'eth_call') {
      const data = (call.params?.[0] as { data?: string; input?: string } | undefined)?.data ?? (call.params?.[0] as { input?: string } | undefined)?.input ?? '';
      const selector = data.slice(0, 10).toLowerCase();
      selectors[selector] = (selectors[selector] ?? 0) + 1;
    }
    if (ceiling === undefined) return call;
    if (method === 'eth_blockNumber') return { answer: `0x${ceiling.toString(16)}` };
    const at = TAGGED_READS[method];
    if (at !== undefined && Array.isArray(call.params)) {
      const params = [...call.params];
      const tag = params[at];
      if (tag === undefined || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') params[at] = `0x${ceiling.toString(16)}`;
      return { ...call, params };
    }
    return call;
  };

  const forward = async (calls: RpcCall[]): Promise<unknown[]> => {
    const out: unknown[] = new Array<unknown>(calls.length);
    const pass: Array<{ index: number; call: RpcCall }> = [];
    calls.forEach((call, index) => {
      const next = rewrite(call);
      if ('answer' in next) out[index] = { jsonrpc: '2.0', id: call.id, result: next.answer };
      else pass.push({ index, call: next });
    });
    if (pass.length > 0) {
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pass.map((p) => p.call)) });
      const answers = (await response.json()) as Array<{ id?: unknown }>;
      for (const p of pass) out[p.index] = answers.find((a) => a.id === p.call.id) ?? { jsonrpc: '2.0', id: p.call.id, error: { code: -32603, message: 'no answer' } };
    }
    return out;
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcCall | RpcCall[];
          const answers = await forward(Array.isArray(body) ? body : [body]);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
        } catch (error) {
          response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(String(error));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    callsTo: (selector) => selectors[selector.toLowerCase()] ?? 0,
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
      for (const key of Object.keys(selectors)) delete selectors[key];
    },
    hideBlocksAbove(block) {
      ceiling = block;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

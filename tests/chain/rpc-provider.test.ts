// RpcProvider's native JSON-RPC transport against ethers' own: the same bytes on the wire, the same answers and errors.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRpcProvider, providerOptions } from '../../src/chain/provider';

interface Seen {
  contentType: string | undefined;
  body: Buffer;
}

/** What the node answers for the next request: raw bytes (`{id}` is replaced by the request's id) and a status. */
let answer: { status: number; body: Buffer } = { status: 200, body: Buffer.alloc(0) };
const seen: Seen[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ contentType: request.headers['content-type'], body });
      const id = String((JSON.parse(body.toString('utf8')) as { id: number }).id);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(Buffer.from(answer.body.toString('latin1').replace('{id}', id), 'latin1'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ethersProvider = () => {
  const request = new FetchRequest(url);
  request.timeout = 10_000;
  return new JsonRpcProvider(request, Network.from(31337), providerOptions(31337));
};

type Outcome = { ok: true; value: unknown; request: Seen } | { ok: false; code: unknown; message: string; request: Seen };

async function run(provider: JsonRpcProvider, method: string, params: unknown[]): Promise<Outcome> {
  seen.length = 0;
  try {
    const value: unknown = await provider.send(method, params);
    return { ok: true, value, request: seen[0]! };
  } catch (error) {
    const e = error as { code?: unknown; shortMessage?: string; message: string };
    return { ok: false, code: e.code, message: e.shortMessage ?? e.message, request: seen[0]! };
  } finally {
    provider.destroy();
  }
}

const json = (text: string) => Buffer.from(text, 'utf8');
// [name, answer, whether ethers accepts it]
const CASES: Array<[string, { status: number; body: Buffer }, boolean]> = [
  ['a hex result', { status: 200, body: json('{"jsonrpc":"2.0","id":{id},"result":"0x00ff"}') }, true],
  ['a unicode result', { status: 200, body: json('{"jsonrpc":"2.0","id":{id},"result":"did:web:h\u00e9llo.example \ud83d\ude00 \u2028"}') }, true],
  ['a revert with data', { status: 200, body: json('{"jsonrpc":"2.0","id":{id},"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}}') }, false],
  ['a JSON-RPC error', { status: 200, body: json('{"jsonrpc":"2.0","id":{id},"error":{"code":-32000,"message":"header not found"}}') }, false],
  ['an answer that is not UTF-8', { status: 200, body: Buffer.concat([json('{"jsonrpc":"2.0","id":{id},"result":"'), Buffer.from([0xc3, 0x28]), json('"}')]) }, false],
  ['an answer with a byte order mark', { status: 200, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json('{"jsonrpc":"2.0","id":{id},"result":"0x"}')]) }, false],
  ['an answer that is not JSON', { status: 200, body: json('<html>bad gateway</html>') }, false],
  ['an empty answer', { status: 200, body: Buffer.alloc(0) }, false],
  ['an HTTP error', { status: 502, body: json('{"message":"bad gateway"}') }, false],
];

describe('RpcProvider', () => {
  it.each(CASES)('%s: the same request bytes and the same answer or error as ethers', async (_name, reply, accepted) => {
    answer = reply;
    const params = [{ to: '0x5fbdb2315678afecb367f032d93f642f64180aa3', data: `0x1b8d3cda${'00'.repeat(64)}` }, 'latest'];
    const theirs = await run(ethersProvider(), 'eth_call', params);
    const ours = await run(makeRpcProvider(url, 31337), 'eth_call', params);
    expect(ours.request.contentType).toBe(theirs.request.contentType);
    expect(ours.request.body.equals(theirs.request.body)).toBe(true);
    const { request: _a, ...ourAnswer } = ours;
    const { request: _b, ...theirAnswer } = theirs;
    expect(ourAnswer).toEqual(theirAnswer);
    expect(theirs.ok).toBe(accepted);
  });

  it('sends text with non-ASCII characters and lone surrogates as the same bytes', async () => {
    answer = { status: 200, body: json('{"jsonrpc":"2.0","id":{id},"result":true}') };
    const params = ['h\u00e9llo \ud83d\ude00 \u2028', { lone: '\ud800x\udfff', nul: '\u0000' }];
    const theirs = await run(ethersProvider(), 'x_echo', params);
    const ours = await run(makeRpcProvider(url, 31337), 'x_echo', params);
    expect(theirs.ok).toBe(true);
    expect(ours.request.body.equals(theirs.request.body)).toBe(true);
    expect(ours.ok && ours.value).toBe(true);
  });
});

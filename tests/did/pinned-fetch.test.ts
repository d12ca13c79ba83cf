// did:web fetches connect only to the addresses the SSRF guard checked: no second DNS answer can redirect them.
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchPinned, pinnedLookup } from '../../src/did/pinned-fetch';

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ host: request.headers.host }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const init = () => ({ signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });

describe('fetchPinned', () => {
  it('connects to the checked address without asking DNS, and still sends the real host name', async () => {
    const lookups = vi.spyOn(dns, 'lookup');
    try {
      // A name that no resolver knows (RFC 6761): the request can only succeed through the pinned address.
      const url = new URL(`http://issuer.did-pinning.invalid:${port}/.well-known/did.json`);
      const body = await fetchPinned(url, [{ address: '127.0.0.1' }], init(), (response) => response.json());
      expect(body).toEqual({ host: `issuer.did-pinning.invalid:${port}` });
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
  });

  it('refuses to connect when no address was checked', async () => {
    const url = new URL(`http://issuer.did-pinning.invalid:${port}/`);
    await expect(fetchPinned(url, [], init(), (response) => response.text())).rejects.toThrow();
  });
});

describe('pinnedLookup', () => {
  it('answers every name with the checked addresses, in both callback forms', () => {
    const lookup = pinnedLookup([{ address: '203.0.113.7' }, { address: '2001:db8::7' }]);
    const all = vi.fn();
    lookup('anything.example', { all: true }, all);
    expect(all).toHaveBeenCalledWith(null, [
      { address: '203.0.113.7', family: 4 },
      { address: '2001:db8::7', family: 6 },
    ]);
    const one = vi.fn();
    lookup('rebound.example', {}, one);
    expect(one).toHaveBeenCalledWith(null, '203.0.113.7', 4);
  });
});

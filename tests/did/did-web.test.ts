// did:web: DID/URL mapping, DID documents, and the guarded resolver against a real HTTP server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningKey, createDidWebIssuer, issuerDidDocument } from '../../src/signing';
import { buildDidWebDocument, createDidResolver, didWebFor, didWebUrl, isPublicAddress } from '../../src/did';

describe('did:web names and documents', () => {
  it('maps domains, ports and paths both ways', () => {
    expect(didWebFor('issuer.example')).toBe('did:web:issuer.example');
    expect(didWebFor('Issuer.Example:8443', '/issuers/cpd/')).toBe('did:web:issuer.example%3A8443:issuers:cpd');
    expect(didWebUrl('did:web:issuer.example').href).toBe('https://issuer.example/.well-known/did.json');
    expect(didWebUrl('did:web:issuer.example%3A8443:issuers:cpd').href).toBe('https://issuer.example:8443/issuers/cpd/did.json');
    expect(() => didWebFor('bad host')).toThrow(expect.objectContaining({ code: 'ERR_DID_WEB_INVALID' }));
    expect(() => didWebUrl('did:key:z6Mk')).toThrow(expect.objectContaining({ code: 'ERR_DID_WEB_INVALID' }));
  });

  it('lists every verification method under assertionMethod and authentication', async () => {
    const issuer = createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', path: 'cpd', profile: { name: 'H', url: 'https://h.example' } });
    const doc = await issuerDidDocument(issuer);
    expect(doc).toEqual(buildDidWebDocument(issuer.did, issuer.verificationMethods));
    expect(doc).toMatchObject({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: 'did:web:issuer.example:cpd',
      assertionMethod: [issuer.signingKey.id],
      authentication: [issuer.signingKey.id],
    });
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0', 'nonsense']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '2606:4700::1111']) expect(isPublicAddress(a), a).toBe(true);
  });
});

describe('guarded did:web resolver', () => {
  const issuer = createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', profile: { name: 'H', url: 'https://h.example' } });
  let server: http.Server;
  let port = 0;
  let hits = 0;
  let mode: 'ok' | 'huge' | 'hang' | 'wrong-id' | 'missing' = 'ok';

  beforeAll(async () => {
    const doc = await issuerDidDocument(issuer);
    server = http.createServer((req, res) => {
      hits += 1;
      if (mode === 'hang') return; // never answers; the client's timeout must end it
      if (mode === 'missing') return void res.writeHead(404).end();
      const body = mode === 'huge' ? JSON.stringify({ ...doc, pad: 'x'.repeat(100_000) }) : JSON.stringify(mode === 'wrong-id' ? { ...doc, id: 'did:web:evil.example' } : doc);
      res.writeHead(200, { 'content-type': 'application/did+json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // Sends the HTTPS request the resolver makes to the local plain-HTTP server instead.
  const localFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    return fetch(`http://127.0.0.1:${port}${url.pathname}`, init);
  };

  it('refuses loopback, private and link-local hosts before any request', async () => {
    let fetched = 0;
    const spyFetch: typeof fetch = (...args) => {
      fetched += 1;
      return localFetch(...args);
    };
    const realDns = createDidResolver({ fetch: spyFetch });
    await expect(realDns.resolve('did:web:localhost')).rejects.toMatchObject({ code: 'ERR_DID_WEB_ADDRESS_BLOCKED' });
    for (const address of ['10.0.0.5', '169.254.169.254', 'fd12::1']) {
      const resolver = createDidResolver({ fetch: spyFetch, lookup: () => Promise.resolve([{ address: '93.184.216.34' }, { address }]) });
      await expect(resolver.resolve(issuer.did)).rejects.toMatchObject({ code: 'ERR_DID_WEB_ADDRESS_BLOCKED' });
    }
    expect(fetched).toBe(0);
  });

  it('resolves when allowed, and caches', async () => {
    mode = 'ok';
    hits = 0;
    const resolver = createDidResolver({ fetch: localFetch, allowPrivateAddresses: true });
    const doc = await resolver.resolve(issuer.did);
    expect(doc.id).toBe(issuer.did);
    await resolver.resolve(issuer.did);
    expect(hits).toBe(1);
  });

  it('public addresses pass the guard', async () => {
    mode = 'ok';
    const resolver = createDidResolver({ fetch: localFetch, lookup: () => Promise.resolve([{ address: '93.184.216.34' }]) });
    expect((await resolver.resolve(issuer.did)).id).toBe(issuer.did);
  });

  it('caps the size, checks the id and the status, and times out', async () => {
    const make = () => createDidResolver({ fetch: localFetch, allowPrivateAddresses: true, maxBytes: 10_000, timeoutMs: 300 });
    mode = 'huge';
    await expect(make().resolve(issuer.did)).rejects.toMatchObject({ code: 'ERR_DID_WEB_TOO_LARGE' });
    mode = 'wrong-id';
    await expect(make().resolve(issuer.did)).rejects.toMatchObject({ code: 'ERR_DID_WEB_BAD_DOCUMENT' });
    mode = 'missing';
    await expect(make().resolve(issuer.did)).rejects.toMatchObject({ code: 'ERR_DID_WEB_HTTP' });
    mode = 'hang';
    await expect(make().resolve(issuer.did)).rejects.toMatchObject({ code: 'ERR_DID_WEB_TIMEOUT' });
  });

  it('refuses other DID methods', async () => {
    await expect(createDidResolver().resolve('did:example:123')).rejects.toMatchObject({ code: 'ERR_DID_METHOD_UNSUPPORTED' });
  });
});

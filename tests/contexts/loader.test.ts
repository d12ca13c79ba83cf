// The offline document loader: bundled contexts, did:key, typed refusal, and proof that nothing touches the network.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import jsonld from 'jsonld';
import { createDocumentLoader, defaultDocumentLoader } from '../../src/contexts';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, createDidWebIssuer, issuerDidDocument, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';

const REQUIRED = [
  'https://www.w3.org/2018/credentials/v1',
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
  'https://w3id.org/security/data-integrity/v1',
  'https://w3id.org/security/data-integrity/v2',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/security/suites/ed25519-2020/v1',
  'https://www.w3.org/ns/did/v1',
  'https://www.w3.org/ns/credentials/status/v1',
];

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
const record = {
  learner: { did: 'did:example:ada' },
  module: { id: 'urn:example:acls', name: 'ACLS', description: 'd', criteria: 'c' },
  completedAt: '2025-03-01T09:30:00Z',
};

afterEach(() => vi.restoreAllMocks());

describe('bundled contexts', () => {
  it.each(REQUIRED)('loads %s offline', async (url) => {
    const { document, documentUrl } = await defaultDocumentLoader()(url);
    expect(documentUrl).toBe(url);
    expect(document).toHaveProperty('@context');
  });

  it('refuses an unbundled URL with ERR_CONTEXT_NOT_BUNDLED', async () => {
    await expect(defaultDocumentLoader()('https://example.org/ctx.jsonld')).rejects.toMatchObject({ code: 'ERR_CONTEXT_NOT_BUNDLED' });
  });

  it('the global jsonld loader refuses too', async () => {
    await expect(jsonld.expand({ '@context': 'https://example.org/ctx.jsonld', a: 1 })).rejects.toThrow();
    await expect(jsonld.documentLoader('https://www.w3.org/ns/credentials/v2')).rejects.toMatchObject({ code: 'ERR_CONTEXT_NOT_BUNDLED' });
  });

  it('resolves did:key documents and their verification methods offline', async () => {
    const loader = defaultDocumentLoader();
    const { document: doc } = await loader(issuer.did);
    expect(doc).toMatchObject({ id: issuer.did, assertionMethod: [issuer.signingKey.id] });
    const { document: vm } = await loader(issuer.signingKey.id!);
    expect(vm).toMatchObject({ id: issuer.signingKey.id, type: 'Multikey', controller: issuer.did, '@context': 'https://w3id.org/security/multikey/v1' });
  });

  it('uses an injected DID resolver for other methods, and refuses without one', async () => {
    const web = createDidWebIssuer(SigningKey.generate(), { domain: 'issuer.example', profile: { name: 'H', url: 'https://h.example' } });
    const doc = await issuerDidDocument(web);
    const loader = createDocumentLoader({ didResolver: { resolve: () => Promise.resolve(doc) } });
    expect((await loader(web.signingKey.id!)).document).toMatchObject({ id: web.signingKey.id, controller: web.did });
    await expect(loader(`${web.did}#missing`)).rejects.toMatchObject({ code: 'ERR_DID_VM_NOT_FOUND' });
    await expect(defaultDocumentLoader()(web.did)).rejects.toMatchObject({ code: 'ERR_DID_METHOD_UNSUPPORTED' });
  });

  it('every term of a built credential expands in safe mode with the bundled contexts', async () => {
    const credential = buildCredential({
      record: { ...record, learner: { email: 'a@b.example', name: 'Ada' }, module: { ...record.module, image: 'https://h.example/i.png', credits: 2 }, result: { status: 'Completed', value: 'A' }, validFor: 'P1Y' },
      issuer: issuer.profile,
      now: () => new Date('2025-03-02T00:00:00Z'),
    });
    await expect(jsonld.expand(credential, { documentLoader: defaultDocumentLoader(), safe: true })).resolves.toBeDefined();
  });
});

describe('no network', () => {
  it('verifying a credential with an unknown context fails with ERR_CONTEXT_NOT_BUNDLED and attempts no request', async () => {
    const signed = await signDataIntegrity(buildCredential({ record, issuer: issuer.profile, now: () => new Date('2025-03-02T00:00:00Z') }), {
      signingKey: issuer.signingKey,
    });
    const withUnknown = { ...signed, '@context': [...(signed['@context'] as string[]), 'https://contexts.example/unknown/v1'] };

    const calls: string[] = [];
    const trap = (name: string) => () => {
      calls.push(name);
      throw new Error(`network access attempted: ${name}`);
    };
    vi.spyOn(globalThis, 'fetch').mockImplementation(trap('fetch'));
    vi.spyOn(http, 'request').mockImplementation(trap('http.request'));
    vi.spyOn(http, 'get').mockImplementation(trap('http.get'));
    vi.spyOn(https, 'request').mockImplementation(trap('https.request'));
    vi.spyOn(https, 'get').mockImplementation(trap('https.get'));
    vi.spyOn(net, 'connect').mockImplementation(trap('net.connect'));
    vi.spyOn(net, 'createConnection').mockImplementation(trap('net.createConnection'));
    vi.spyOn(tls, 'connect').mockImplementation(trap('tls.connect'));
    vi.spyOn(dns, 'lookup').mockImplementation(trap('dns.lookup'));
    vi.spyOn(dns.promises, 'lookup').mockImplementation(trap('dns.promises.lookup'));

    const result = await verifyDataIntegrity(withUnknown);
    expect(result).toMatchObject({ verified: false, code: 'ERR_CONTEXT_NOT_BUNDLED' });
    // The traps work (a call would be recorded) …
    expect(() => http.request('http://127.0.0.1')).toThrow(/network access attempted/);
    calls.pop();
    // … and verification made none.
    expect(calls).toEqual([]);
  });
});

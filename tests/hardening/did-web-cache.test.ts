// Finding 3: the did:web cache is a bounded LRU (entries, bytes, TTL), and one verification cannot fan out to many hosts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver, type DidResolver, type DidResolverOptions } from '../../src/did';
import { limitDidFanOut } from '../../src/verify';
import { buildCredential } from '../../src/credential';
import { SigningKey, issuerDidDocument, signJose, type IssuerKeyring } from '../../src/signing';
import { createVerifier } from '../../src/verify/verifier';
import { sampleRecord } from '../helpers/records';

let server: http.Server;
let port = 0;
const hits = new Map<string, number>();

beforeAll(async () => {
  // Serves a DID document for any path /u/<name>/did.json, padded to ?pad bytes.
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const name = url.pathname.split('/')[2] ?? 'none';
    const pad = Number(req.headers['x-pad'] ?? '0');
    res.writeHead(200, { 'content-type': 'application/did+json' }).end(JSON.stringify({ id: `did:web:issuer.example:u:${name}`, pad: 'x'.repeat(pad) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The resolver's HTTPS request, sent to the local plain-HTTP server with the padding asked for. */
const localFetch = (pad: number): typeof fetch => (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  return fetch(`http://127.0.0.1:${port}${url.pathname}`, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-pad': String(pad) } });
};
const did = (name: string): string => `did:web:issuer.example:u:${name}`;
const hitsOf = (name: string): number => hits.get(`/u/${name}/did.json`) ?? 0;

function resolver(pad: number, options: Partial<DidResolverOptions> = {}) {
  return createDidResolver({ fetch: localFetch(pad), allowPrivateAddresses: true, ...options });
}

describe('finding 3: bounded did:web cache', () => {
  it('evicts the least recently used document beyond the entry cap', async () => {
    const r = resolver(0, { cacheMaxEntries: 10 });
    for (let i = 0; i < 11; i += 1) await r.resolve(did(`count${i}`));
    await r.resolve(did('count0'));
    expect(hitsOf('count0')).toBe(2);
    await r.resolve(did('count10'));
    expect(hitsOf('count10')).toBe(1);
  });

  it('the default cache holds at most 1,000 documents', async () => {
    const r = resolver(0);
    for (let i = 0; i < 1001; i += 1) await r.resolve(did(`many${i}`));
    await r.resolve(did('many0'));
    expect(hitsOf('many0')).toBe(2);
  });

  it('evicts by bytes: 64 KiB documents do not pile up past the byte cap', async () => {
    const r = resolver(60_000, { cacheMaxBytes: 600_000 });
    for (let i = 0; i < 12; i += 1) await r.resolve(did(`bytes${i}`));
    await r.resolve(did('bytes0'));
    expect(hitsOf('bytes0')).toBe(2);
    await r.resolve(did('bytes11'));
    expect(hitsOf('bytes11')).toBe(1);
  });

  it('expires entries after the TTL on the injected clock', async () => {
    let t = Date.parse('2025-03-01T10:00:00Z');
    const r = resolver(0, { cacheTtlMs: 60_000, now: () => new Date(t) });
    await r.resolve(did('ttl'));
    t += 30_000;
    await r.resolve(did('ttl'));
    expect(hitsOf('ttl')).toBe(1);
    t += 31_000;
    await r.resolve(did('ttl'));
    expect(hitsOf('ttl')).toBe(2);
  });

  it('one verification resolves at most N distinct did:web hosts; repeats of one DID are free', async () => {
    const limited = limitDidFanOut(resolver(0), 3);
    for (let i = 0; i < 3; i += 1) await limited.resolve(did(`fan${i}`));
    await limited.resolve(did('fan0'));
    await expect(limited.resolve(did('fan3'))).rejects.toMatchObject({ code: 'ERR_DID_WEB_FANOUT' });
    expect(hitsOf('fan3')).toBe(0);
    await expect(limited.resolve('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')).resolves.toMatchObject({ id: expect.stringMatching(/^did:key:/) });
  });

  it('the verifier: a presentation of 12 credentials from 12 did:web issuers resolves at most 8 of them', async () => {
    const issuers: IssuerKeyring[] = Array.from({ length: 12 }, (_, i) => {
      const did = `did:web:host${i}.example`;
      const signingKey = SigningKey.generate('Ed25519').bind(did);
      return { did, profile: { id: did, type: ['Profile'], name: `Issuer ${i}`, url: 'https://issuer.example' }, signingKey, verificationMethods: [signingKey.verificationMethod()] };
    });
    const documents = new Map(await Promise.all(issuers.map(async (k) => [k.did, await issuerDidDocument(k)] as const)));
    const asked = new Set<string>();
    const counting: DidResolver = {
      resolve(did) {
        asked.add(did);
        const doc = documents.get(did);
        return doc === undefined ? Promise.reject(new Error(`unknown ${did}`)) : Promise.resolve(structuredClone(doc));
      },
    };
    const now = () => new Date('2025-03-02T00:00:00Z');
    const jwss = await Promise.all(issuers.map((k) => signJose(buildCredential({ record: sampleRecord(), issuer: k.profile, now }) as unknown as Record<string, unknown>, { signingKey: k.signingKey })));
    const presentation = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: jwss.map((jws) => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jws}` })),
    };
    const verifier = createVerifier({ didResolver: counting, now });
    try {
      const outcome = await verifier.verify(presentation);
      expect(asked.size).toBe(8);
      expect(outcome.verdict).not.toBe('valid');
      const last = outcome.credentials?.[11]?.checks.find((c) => c.check === 'signature');
      expect(last?.status).not.toBe('passed');
      // Each verify() call has its own budget: one credential alone still resolves.
      expect((await verifier.verify(jwss[11])).checks.find((c) => c.check === 'signature')?.status).toBe('passed');
    } finally {
      verifier.close();
    }
  });
});

// SSRF through did:web: issuers on loopback, link-local metadata, IPv6 loopback, private and rebinding hosts are
// refused by the resolver's address guard with a code, before any connection. Also proves the network trap works.
import dnsPromises from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCredential } from '../../src/credential';
import { createDocumentLoader } from '../../src/contexts/loader';
import { isMicrocredError } from '../../src/errors';
import { SigningKey, signDataIntegrity, signJose, type IssuerKeyring } from '../../src/signing';
import { createDidResolver } from '../../src/did';
import { createVerifier } from '../../src/verify/verifier';
import { sampleRecord } from '../helpers/records';
import { trapOutbound, type NetTrap } from './net-trap';

let trap: NetTrap;
beforeEach(() => {
  trap = trapOutbound();
});
afterEach(() => trap.restore());

/** An issuer keyring for any DID string (did:web hosts that didWebFor would not build, such as [::1]). */
function issuerFor(did: string): IssuerKeyring {
  const signingKey = SigningKey.generate('Ed25519').bind(did);
  return { did, profile: { id: did, type: ['Profile'], name: 'Hostile issuer', url: 'https://issuer.example' }, signingKey, verificationMethods: [signingKey.verificationMethod()] };
}

const HOSTILE_DIDS = [
  ['loopback', 'did:web:127.0.0.1'],
  ['loopback with a port', 'did:web:127.0.0.1%3A8545'],
  ['cloud metadata (link-local)', 'did:web:169.254.169.254'],
  ['IPv6 loopback', 'did:web:%5B%3A%3A1%5D'],
  ['IPv4-mapped IPv6 loopback', 'did:web:%5B%3A%3Affff%3A127.0.0.1%5D'],
  ['private 10.x', 'did:web:10.0.0.7'],
  ['private 192.168.x with a path', 'did:web:192.168.1.1:users:alice'],
  ['unspecified 0.0.0.0', 'did:web:0.0.0.0'],
] as const;

describe('did:web address guard', () => {
  it('the trap itself sees fetch, http, sockets and DNS lookups of the code under test', async () => {
    await expect(fetch('http://10.1.2.3/')).rejects.toThrow();
    const socket = net.connect(80, '169.254.169.254');
    await new Promise<void>((resolve) => socket.once('error', () => resolve()));
    const request = http.get('http://192.0.2.1/');
    await new Promise<void>((resolve) => request.once('error', () => resolve()));
    await expect(dnsPromises.lookup('evil.example')).rejects.toThrow();
    // The resolver's own (default) lookup goes through the trap too, so the tests below watch the real path.
    await expect(createDidResolver().resolve('did:web:evil.example')).rejects.toMatchObject({ code: 'ERR_DID_WEB_DNS' });
    expect(trap.attempts).toEqual(['fetch http://10.1.2.3/', 'net.connect 169.254.169.254', 'http.get 192.0.2.1', 'net.connect 192.0.2.1', 'dns.promises.lookup evil.example', 'dns.promises.lookup evil.example']);
    trap.attempts.length = 0;
  });

  it('refuses every non-public address with ERR_DID_WEB_ADDRESS_BLOCKED and never fetches', async () => {
    const fetched: string[] = [];
    const resolver = createDidResolver({ fetch: (url) => (fetched.push(url instanceof Request ? url.url : url.toString()), Promise.reject(new Error('must not fetch'))) });
    for (const [name, did] of HOSTILE_DIDS) {
      const error = await resolver.resolve(did).then(() => undefined, (e: unknown) => e);
      expect(isMicrocredError(error), name).toBe(true);
      expect((error as { code: string }).code, name).toBe('ERR_DID_WEB_ADDRESS_BLOCKED');
    }
    expect(fetched).toEqual([]);
    expect(trap.attempts).toEqual([]);
  });

  it('a public-looking host name that resolves to loopback (DNS rebinding) is refused too, also when only one address is private', async () => {
    const fetched: string[] = [];
    const answers: Record<string, { address: string }[]> = {
      'rebind.example': [{ address: '127.0.0.1' }],
      'mixed.example': [{ address: '93.184.215.14' }, { address: '10.0.0.1' }],
      'v6.example': [{ address: '::1' }],
      'mapped.example': [{ address: '::ffff:169.254.169.254' }],
      'none.example': [],
    };
    const resolver = createDidResolver({
      lookup: (host) => Promise.resolve(answers[host] ?? []),
      fetch: (url) => (fetched.push(url instanceof Request ? url.url : url.toString()), Promise.reject(new Error('must not fetch'))),
    });
    for (const host of Object.keys(answers)) {
      await expect(resolver.resolve(`did:web:${host}`), host).rejects.toMatchObject({ code: 'ERR_DID_WEB_ADDRESS_BLOCKED' });
    }
    expect(fetched).toEqual([]);
    expect(trap.attempts).toEqual([]);
  });

  it('credentials signed by such issuers, through the real verifier: could not check, with the guard code, no connection', async () => {
    const didResolver = createDidResolver();
    const verifier = createVerifier({ loader: createDocumentLoader({ didResolver }), didResolver });
    try {
      for (const [name, did] of HOSTILE_DIDS) {
        const issuer = issuerFor(did);
        const unsigned = buildCredential({ record: sampleRecord(), issuer: issuer.profile, now: () => new Date('2025-03-02T00:00:00Z') });
        const di = await signDataIntegrity(unsigned, { signingKey: issuer.signingKey, now: () => new Date('2025-03-02T00:00:00Z') });
        const jws = await signJose(unsigned, { signingKey: issuer.signingKey });
        for (const [form, input] of [['DI', di], ['JOSE', jws]] as const) {
          const outcome = await verifier.verify(input);
          const signature = outcome.checks.find((c) => c.check === 'signature')!;
          expect(outcome.verdict, `${name} ${form}`).not.toBe('valid');
          expect(signature.code, `${name} ${form}`).toBe('SIGNATURE_KEY_UNRESOLVED');
          expect(signature.data?.cause, `${name} ${form}`).toBe('ERR_DID_WEB_ADDRESS_BLOCKED');
        }
      }
    } finally {
      verifier.close();
    }
    expect(trap.attempts).toEqual([]);
  });
});

// Finding 6: every IPv6 form that embeds an IPv4 address is judged by the IPv4 address it carries (or refused).
import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/did';
import { createDidResolver } from '../../src/did';

const BLOCKED = [
  ['IPv4-compatible link-local (cloud metadata)', '::a9fe:a9fe'],
  ['IPv4-compatible loopback', '::7f00:1'],
  ['IPv4-compatible private', '::a00:1'],
  ['IPv4-compatible, dotted', '::169.254.169.254'],
  ['IPv4-compatible of a public address (deprecated form)', '::5db8:d822'],
  ['IPv4-mapped metadata', '::ffff:a9fe:a9fe'],
  ['IPv4-translated (SIIT) metadata', '::ffff:0:a9fe:a9fe'],
  ['NAT64 well-known prefix, metadata', '64:ff9b::a9fe:a9fe'],
  ['NAT64 well-known prefix, loopback', '64:ff9b::127.0.0.1'],
  ['NAT64 local-use prefix', '64:ff9b:1::a00:1'],
  ['6to4 of metadata', '2002:a9fe:a9fe::1'],
  ['6to4 of private', '2002:c0a8:0101::1'],
  ['Teredo with a private server', '2001:0:a00:1:8000:63bf:a25b:b7ac'],
  ['Teredo with a private client (obfuscated 10.0.0.1)', '2001:0:4136:e378:8000:63bf:f5ff:fffe'],
] as const;

const PUBLIC = [
  ['plain public IPv6', '2606:4700::1111'],
  ['NAT64 of a public IPv4 (DNS64 networks)', '64:ff9b::5db8:d822'],
  ['6to4 of a public IPv4', '2002:5db8:d822::1'],
  ['plain public IPv4', '93.184.216.34'],
] as const;

describe('finding 6: SSRF guard and IPv6 forms embedding IPv4', () => {
  it.each(BLOCKED)('%s (%s) is not public', (_name, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(PUBLIC)('%s (%s) stays public', (_name, address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('the did:web resolver refuses a host that resolves to ::a9fe:a9fe before fetching', async () => {
    let fetched = 0;
    const resolver = createDidResolver({
      lookup: () => Promise.resolve([{ address: '::a9fe:a9fe' }]),
      fetch: () => ((fetched += 1), Promise.reject(new Error('must not fetch'))),
    });
    await expect(resolver.resolve('did:web:rebind.example')).rejects.toMatchObject({ code: 'ERR_DID_WEB_ADDRESS_BLOCKED' });
    expect(fetched).toBe(0);
  });
});

// The verifier's status list check: chain and list together, the list's issuer, the egress policy, bounded fetches.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { signDataIntegrity, signJose, type IssuerKeyring } from '../../src/signing';
import { bitstringOf, statusListCredentialOf } from '../../src/libraries';
import { createStatusListFetcher } from '../../src/status/fetch';
import type { LookupResult } from '../../src/chain/types';
import type { StatusListFetcher } from '../../src/verify/checks/status-list';
import type { CheckName, CheckResult, VerificationOutcome } from '../../src/verify/result';
import { createVerifier } from '../../src/verify/verifier';
import { CHAIN_ID, FAKE_REGISTRY, NOW, anchorBatch, fakeAnchor, fakeReader, lookupOf, makeIssuer, unsigned } from '../verify/fixtures';
import { onCleanup } from './fixture';

const issuer = makeIssuer();
const other = makeIssuer('Someone Else');
const INDEX = 4242;

function check(outcome: VerificationOutcome, name: CheckName): CheckResult {
  return outcome.checks.find((c) => c.check === name)!;
}

function entries(base: string): Array<Record<string, string>> {
  return ['revocation', 'suspension'].map((purpose) => ({
    id: `${base}/status/di-1-${purpose}#${INDEX}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(INDEX),
    statusListCredential: `${base}/status/di-1-${purpose}`,
  }));
}

/** An anchored DI credential of `issuer` whose status entries point at `base`. */
async function credentialAt(base: string): Promise<Record<string, unknown>> {
  const signed = await signDataIntegrity({ ...unsigned(issuer), credentialStatus: entries(base) }, { signingKey: issuer.signingKey, now: () => new Date('2025-03-02T08:00:00Z') });
  return (await anchorBatch([signed], { chainId: CHAIN_ID, registry: FAKE_REGISTRY, anchorRoot: fakeAnchor })).anchored[0]!;
}

/** A list for `purpose` at `url`, with `set` as its bit at INDEX, signed by `signer` and naming `claimed` as its issuer. */
async function listAt(url: string, purpose: string, set: boolean, signer: IssuerKeyring = issuer, claimed = signer.did, jose = false): Promise<Record<string, unknown> | string> {
  const bits = bitstringOf(new Uint8Array(131_072 / 8));
  bits.setStatus(INDEX, set);
  const skeleton = await statusListCredentialOf(url, bits, purpose);
  const list = { ...skeleton, issuer: claimed, validFrom: '2025-05-01T00:00:00Z', validUntil: '2025-07-01T00:00:00Z', credentialSubject: { ...skeleton.credentialSubject, ttl: 60_000 } };
  return jose ? signJose(list, { signingKey: signer.signingKey }) : signDataIntegrity(list, { signingKey: signer.signingKey });
}

/** A fetcher serving lists by URL from memory. */
function lists(map: Record<string, Record<string, unknown> | string>): StatusListFetcher {
  return (url) => Promise.resolve(map[url]);
}

function verifierWith(fetcher: StatusListFetcher, chain: Partial<LookupResult> = {}) {
  return createVerifier({ now: () => NOW, chain: { reader: fakeReader(lookupOf(issuer.did, chain)) }, statusListFetcher: fetcher });
}

const BASE = 'https://lists.example';
const REV = `${BASE}/status/di-1-revocation`;
const SUS = `${BASE}/status/di-1-suspension`;

describe('chain and list together', () => {
  it('list revoked, chain active → revoked, with the disagreement flagged', async () => {
    const outcome = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', true), [SUS]: await listAt(SUS, 'suspension', false) })).verify(await credentialAt(BASE));
    expect(check(outcome, 'revocation')).toMatchObject({ status: 'passed', code: 'REVOCATION_ACTIVE' });
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'failed', code: 'STATUS_LIST_REVOKED', data: { revoked: true, suspended: false } });
    expect(outcome.verdict).toBe('invalid');
    expect(outcome.flags).toEqual(expect.arrayContaining(['revoked', 'status-sources-disagree']));
  });

  it('chain revoked, list clear → revoked, with the disagreement flagged', async () => {
    const outcome = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', false), [SUS]: await listAt(SUS, 'suspension', false) }), { status: 'revoked', statusSince: 1_700_000_000 }).verify(await credentialAt(BASE));
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'passed', code: 'STATUS_LIST_OK' });
    expect(check(outcome, 'revocation')).toMatchObject({ status: 'failed', code: 'REVOCATION_REVOKED' });
    expect(outcome.verdict).toBe('invalid');
    expect(outcome.flags).toEqual(expect.arrayContaining(['revoked', 'status-sources-disagree']));
  });

  it('both suspended → suspended, no disagreement; both clear → valid', async () => {
    const suspended = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', false), [SUS]: await listAt(SUS, 'suspension', true) }), { status: 'suspended' }).verify(await credentialAt(BASE));
    expect(suspended.verdict).toBe('invalid');
    expect(suspended.flags).toContain('suspended');
    expect(suspended.flags).not.toContain('status-sources-disagree');
    const clear = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', false), [SUS]: await listAt(SUS, 'suspension', false) })).verify(await credentialAt(BASE));
    expect(clear.verdict).toBe('valid');
    expect(clear.flags).toEqual([]);
  });
});

describe('the list must be the credential issuer’s', () => {
  it('refuses a list issued and signed by another issuer', async () => {
    const outcome = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', false, other), [SUS]: await listAt(SUS, 'suspension', false, other) })).verify(await credentialAt(BASE));
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_ISSUER_MISMATCH' });
    expect(outcome.verdict).toBe('indeterminate');
  });

  it('refuses a list that names the issuer but is signed with another key', async () => {
    const outcome = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', false, other, issuer.did), [SUS]: await listAt(SUS, 'suspension', false) })).verify(await credentialAt(BASE));
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_INVALID' });
    expect(outcome.verdict).toBe('indeterminate');
  });

  it('reads a VC-JOSE list of the issuer', async () => {
    const outcome = await verifierWith(lists({ [REV]: await listAt(REV, 'revocation', true, issuer, issuer.did, true), [SUS]: await listAt(SUS, 'suspension', false, issuer, issuer.did, true) })).verify(await credentialAt(BASE));
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'failed', code: 'STATUS_LIST_REVOKED' });
  });
});

/** A real HTTP server on 127.0.0.1 answering with `handler`; counts requests. */
async function server(handler: http.RequestListener): Promise<{ base: string; host: string; requests: () => number }> {
  let requests = 0;
  const s = http.createServer((req, res) => {
    requests += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  }));
  const { port } = s.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests: () => requests };
}

describe('egress policy', () => {
  it('does not fetch from a host outside the allow-list: check error, verdict indeterminate', async () => {
    const srv = await server((_req, res) => res.end('{}'));
    const fetcher = createStatusListFetcher({ allowedHosts: ['lists.example'], development: false });
    const outcome = await verifierWith(fetcher).verify(await credentialAt(srv.base));
    expect(check(outcome, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_NOT_ALLOWED' });
    expect(outcome.verdict).toBe('indeterminate');
    expect(srv.requests()).toBe(0);
  });

  it('refuses plain http outside development even for an allowed host, and private addresses behind an allowed name', async () => {
    const srv = await server((_req, res) => res.end('{}'));
    let lookups = 0;
    const lookup = (): Promise<{ address: string }[]> => {
      lookups += 1;
      return Promise.resolve([{ address: '10.0.0.7' }]);
    };
    const fetcher = createStatusListFetcher({ allowedHosts: [srv.host, 'lists.example'], lookup });
    await expect(fetcher(`${srv.base}/status/di-1-revocation`, {})).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_NOT_ALLOWED' });
    await expect(fetcher(REV, {})).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_NOT_ALLOWED' });
    expect(lookups).toBe(1);
    expect(srv.requests()).toBe(0);
  });

  it('allows the host of the issuer’s did:web without an allow-list entry', async () => {
    let lookups = 0;
    const fetcher = createStatusListFetcher({ lookup: () => { lookups += 1; return Promise.resolve([{ address: '10.0.0.7' }]); } });
    // Allowed by policy (so DNS is asked), then stopped by the SSRF guard because it resolves to a private address.
    await expect(fetcher('https://credentials.example.edu/status/di-1-revocation', { issuer: 'did:web:credentials.example.edu' })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_NOT_ALLOWED' });
    expect(lookups).toBe(1);
    await expect(fetcher('https://elsewhere.example/status/di-1-revocation', { issuer: 'did:web:credentials.example.edu' })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_NOT_ALLOWED' });
    expect(lookups).toBe(1);
  });

  it('fetches an allowed list over a real connection and reuses it for its ttl', async () => {
    const lists: Record<string, string> = {};
    const srv = await server((req, res) => {
      const body = lists[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/ld+json' });
      res.end(body ?? '');
    });
    const base = srv.base;
    lists['/status/di-1-revocation'] = JSON.stringify(await listAt(`${base}/status/di-1-revocation`, 'revocation', true));
    lists['/status/di-1-suspension'] = JSON.stringify(await listAt(`${base}/status/di-1-suspension`, 'suspension', false));
    let t = NOW.getTime();
    const verifier = createVerifier({
      now: () => new Date(t),
      chain: { reader: fakeReader(lookupOf(issuer.did)) },
      statusListFetcher: createStatusListFetcher({ allowedHosts: [srv.host], development: true, now: () => new Date(t) }),
    });
    const credential = await credentialAt(base);
    expect(check(await verifier.verify(credential), 'status-list')).toMatchObject({ status: 'failed', code: 'STATUS_LIST_REVOKED' });
    expect(srv.requests()).toBe(2);
    await verifier.verify(credential);
    expect(srv.requests()).toBe(2); // within the list's ttl (60 s): no new request
    t += 61_000;
    await verifier.verify(credential);
    expect(srv.requests()).toBe(4);
  });

  it('stops an oversized list at the size cap, and a list that never finishes at the timeout', async () => {
    const big = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    });
    const fetchBig = createStatusListFetcher({ allowedHosts: [big.host], development: true, maxBytes: 64 * 1024 });
    const oversized = await verifierWith(fetchBig).verify(await credentialAt(big.base));
    expect(check(oversized, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_UNAVAILABLE', data: { cause: 'ERR_STATUS_LIST_FETCH' } });
    expect(check(oversized, 'status-list').message).toContain('larger than');
    expect(oversized.verdict).toBe('indeterminate');

    const slow = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":'); // and never more
    });
    const fetchSlow = createStatusListFetcher({ allowedHosts: [slow.host], development: true, timeoutMs: 300 });
    const stalled = await verifierWith(fetchSlow).verify(await credentialAt(slow.base));
    expect(check(stalled, 'status-list')).toMatchObject({ status: 'error', code: 'STATUS_LIST_UNAVAILABLE', data: { cause: 'ERR_STATUS_LIST_FETCH' } });
    expect(stalled.verdict).toBe('indeterminate');
  });
});

// The verifier pool against a real `hardhat node`: its verdicts equal the single-thread verifier's file by file, the
// threads share one chain reader, a thread killed mid-run loses nothing, and the HTTP API answers the same.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsigsModule from 'jsonld-signatures';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID, RegistryClient, deployRegistry, hardhatDevAccounts, providerOptions } from '../../src/chain';
import { createDidResolver } from '../../src/did';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries';
import { createVerifierApp } from '../../src/server/verifier-app';
import {
  MAX_THREAD_ATTEMPTS,
  createVerifierFromSpec,
  createVerifierPool,
  verifyInputs,
  type BulkResult,
  type BulkSummary,
  type Verifier,
  type VerifierPool,
  type VerifierSetup,
} from '../../src/verify';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { testLoader } from '../signing/fixtures';
import { anchorBatch, makeIssuer, signedDi, signedJws, type AnchoredBatch } from './fixtures';

const jsigs = jsigsModule as unknown as {
  sign(doc: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  purposes: { AuthenticationProofPurpose: new (o: { challenge: string; domain?: string }) => unknown };
};

const accounts = hardhatDevAccounts(3);
const issuer = makeIssuer('Pool Hospital');
const holder = makeIssuer('A holder');

let node: HardhatNode;
let registry: string;
let dir: string;
let mixed: string;
let cohort: string;
let setup: VerifierSetup;
const clients: RegistryClient[] = [];
const pools: VerifierPool[] = [];
const singles: Verifier[] = [];
const docs: Record<string, unknown> = {};

async function connect(privateKey: string): Promise<RegistryClient> {
  const client = await RegistryClient.connect({ address: registry, rpcUrls: [node.url], chainId: DEV_CHAIN_ID, pollingIntervalMs: 50, privateKey });
  clients.push(client);
  return client;
}

function write(folder: string, name: string, content: unknown): void {
  writeFileSync(path.join(folder, name), typeof content === 'string' ? content : JSON.stringify(content));
}

function pool(threads = 2): VerifierPool {
  const p = createVerifierPool({ setup, threads, lazy: false });
  pools.push(p);
  return p;
}

function single(): Verifier {
  const v = createVerifierFromSpec(setup.spec, setup.adapters);
  singles.push(v);
  return v;
}

async function run(folder: string, verifier: Verifier, onResult?: (result: BulkResult) => void): Promise<{ summary: BulkSummary; results: BulkResult[] }> {
  const results: BulkResult[] = [];
  const summary = await verifyInputs([folder], {
    verifier,
    onResult: (result) => {
      results.push(result);
      onResult?.(result);
    },
  });
  return { summary, results: results.sort((a, b) => (a.file < b.file ? -1 : 1)) };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-pool-'));
  node = await startHardhatNode();
  const provider = new JsonRpcProvider(node.url, DEV_CHAIN_ID, providerOptions(DEV_CHAIN_ID));
  registry = await deployRegistry(new Wallet(accounts[0]!.privateKey, provider), accounts[0]!.address);
  provider.destroy();
  const admin = await connect(accounts[0]!.privateKey);
  await admin.registerIssuer(issuer.did, 'Pool Hospital (registered)', accounts[0]!.address, [accounts[1]!.address]);
  const operator = await connect(accounts[1]!.privateKey);
  const anchorRoot = (root: string) => operator.anchor(root);
  const anchor = (documents: ReadonlyArray<Record<string, unknown> | string>): Promise<AnchoredBatch> => anchorBatch(documents, { chainId: DEV_CHAIN_ID, registry, anchorRoot });

  // The mixed folder: every kind of input a licensing body meets.
  const main = await anchor([await signedDi(issuer), await signedJws(issuer), await signedDi(issuer), await signedDi(issuer, { completedAt: '2020-01-01T00:00:00Z', validFor: 'P1Y' })]);
  await operator.revoke(main.leaves[2]!, main.root, main.paths[2]!, 2);
  mixed = path.join(dir, 'mixed');
  mkdirSync(path.join(mixed, 'sub'), { recursive: true });
  const [valid, jose, revoked, expired] = main.anchored;
  docs.valid = valid;
  docs.jose = jose;
  docs.revoked = revoked;
  docs.tampered = { ...valid!, name: 'Brain Surgery' };
  docs.unanchored = await signedDi(issuer);
  docs.bareJws = await signedJws(issuer);
  docs.presentation = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [valid, revoked] };
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: holder.signingKey.dataIntegritySigner() });
  docs.signedPresentation = await jsigs.sign(
    { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [valid] },
    { suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({ challenge: 'nonce-1', domain: 'hr.example' }), documentLoader: testLoader },
  );
  write(mixed, 'valid.json', valid);
  write(mixed, 'jose-envelope.json', jose);
  write(mixed, 'revoked.json', revoked);
  write(mixed, 'expired.json', expired);
  write(mixed, 'tampered.json', docs.tampered);
  write(mixed, 'unanchored.json', docs.unanchored);
  write(mixed, 'bare.jwt', docs.bareJws);
  write(mixed, 'presentation.json', docs.presentation);
  write(path.join(mixed, 'sub'), 'signed-presentation.json', docs.signedPresentation);
  write(mixed, 'notes.txt', 'these are not credentials');
  write(mixed, 'hello.json', { hello: 'world' });
  write(mixed, 'broken.json', '{"type": ["VerifiableCredential"');
  write(mixed, 'empty.json', '');

  // One batch of 300 credentials, both securing forms.
  const documents = [
    ...(await Promise.all(Array.from({ length: 200 }, (_, k) => signedDi(issuer, { learner: { email: `di${k}@example.org` } })))),
    ...(await Promise.all(Array.from({ length: 100 }, (_, k) => signedJws(issuer, { learner: { email: `jose${k}@example.org` } })))),
  ];
  const batch = await anchor(documents);
  await operator.revoke(batch.leaves[5]!, batch.root, batch.paths[5]!, 1);
  cohort = path.join(dir, 'cohort');
  mkdirSync(cohort);
  batch.anchored.forEach((doc, k) => write(cohort, `credential-${String(k).padStart(3, '0')}.json`, doc));

  const didResolver = createDidResolver();
  // One fixed clock for every run, so outcomes (which say when they were checked) compare exactly across threads.
  const checkedAt = new Date();
  setup = {
    spec: { chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 3_600_000 } },
    adapters: { didResolver, now: () => checkedAt },
  };
}, 300_000);

afterAll(async () => {
  for (const p of pools) await p.stop();
  for (const v of singles) v.close();
  for (const client of clients) client.close();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the verifier pool', () => {
  it('gives each file of a mixed folder the verdict, flags and reasons the single-thread verifier gives', async () => {
    const reference = await run(mixed, single());
    const threaded = await run(mixed, pool());
    expect(threaded.results).toEqual(reference.results);
    expect({ ...threaded.summary, chainReads: 0 }).toEqual({ ...reference.summary, chainReads: 0 });
    // The folder holds what it should, so the comparison covers every kind of result.
    expect(reference.summary).toMatchObject({ total: 13, valid: 3, notCredential: 4, exitCode: 1 });
    const by = (name: string) => reference.results.find((r) => r.file.endsWith(name))!;
    expect(by('revoked.json').flags).toEqual(['revoked']);
    expect(by('expired.json').flags).toEqual(['expired']);
    expect(by('tampered.json').reasons.map((r) => r.code)).toContain('SIGNATURE_INVALID');
    expect(by('unanchored.json').flags).toEqual(['pending-anchor']);
    expect(by('presentation.json').kind).toBe('presentation');
    expect(by('empty.json').reasons.map((r) => r.code)).toEqual(['FILE_EMPTY']);
  }, 300_000);

  it('shares one chain reader: a few hundred credentials of one batch cost at most 0.01 chain reads each', async () => {
    const threaded = await run(cohort, pool());
    expect(threaded.summary).toMatchObject({ total: 300, valid: 299, invalid: 1, distinctRoots: 1, distinctLeaves: 300 });
    expect(threaded.summary.chainReads).toBeGreaterThan(0);
    expect(threaded.summary.chainReads / threaded.summary.total).toBeLessThanOrEqual(0.01);
  }, 300_000);

  it('loses nothing when a thread is killed mid-run: every file gets exactly one result, equal to the single-thread one', async () => {
    const reference = await run(cohort, single());
    const p = pool();
    await p.ready();
    const [victim] = p.workers();
    let killed = false;
    const threaded = await run(cohort, p, () => {
      if (!killed) {
        killed = true;
        void victim!.terminate();
      }
    });
    expect(killed).toBe(true);
    expect(p.workers()).not.toContain(victim);
    expect(p.workers()).toHaveLength(2);
    expect(threaded.results.map((r) => r.file)).toEqual(reference.results.map((r) => r.file));
    expect(threaded.results).toEqual(reference.results);
  }, 300_000);

  it('gives an input that stops every thread it meets an error result, not another try', async () => {
    const p = pool(1);
    await p.ready();
    const answer = p.verify(docs.valid);
    const killed: unknown[] = [];
    // Each thread that holds the input is stopped, as an input that crashes threads would do.
    for (let k = 0; k < MAX_THREAD_ATTEMPTS; k++) {
      for (let wait = 0; wait < 100_000 && (p.inFlight() === 0 || killed.includes(p.workers()[0])); wait++) await new Promise((r) => setImmediate(r));
      expect(p.inFlight()).toBe(1);
      const [current] = p.workers();
      killed.push(current);
      await current!.terminate();
    }
    const outcome = await answer;
    expect(outcome).toMatchObject({ verdict: 'indeterminate', kind: 'unknown' });
    expect(outcome.reasons.map((r) => r.code)).toEqual(['CHECK_ERROR']);
    // The pool goes on: a new thread answers the next input.
    expect((await p.verify(docs.valid)).verdict).toBe('valid');
  }, 300_000);

  it('the HTTP API answers the same with threads as without', async () => {
    const withThreads = createVerifierApp({ verifier: pool(), rateLimit: false });
    const without = createVerifierApp({ verifier: single(), rateLimit: false });
    const post = async (app: typeof without, url: string, body: unknown) => {
      const response = await app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };
    const requests: Array<[string, unknown]> = [
      ...['valid', 'jose', 'revoked', 'tampered', 'unanchored', 'bareJws', 'presentation'].map((name): [string, unknown] => ['/v1/verify', docs[name]]),
      ['/v1/verify', { verifiablePresentation: docs.signedPresentation, options: { challenge: 'nonce-1', domain: 'hr.example' } }],
      ['/v1/verify', { hello: 'world' }],
      ['/credentials/verify', { verifiableCredential: docs.valid }],
      ['/credentials/verify', { verifiableCredential: docs.tampered }],
      ['/presentations/verify', { verifiablePresentation: docs.signedPresentation, options: { challenge: 'nonce-1', domain: 'hr.example' } }],
    ];
    for (const [url, body] of requests) {
      const [a, b] = await Promise.all([post(withThreads, url, body), post(without, url, body)]);
      expect(a, url).toEqual(b);
    }
    expect((await post(withThreads, '/v1/verify', docs.valid)).body).toMatchObject({ verdict: 'valid' });
  }, 300_000);

  // Last: it stops the node.
  it('with the node gone, a thread reports what the calling thread\'s reader knew, as one thread does', async () => {
    const p = pool();
    const v = single();
    // Both read the batch once while the node is up (the JOSE credential shares the valid one's root).
    expect((await p.verify(docs.jose)).verdict).toBe('valid');
    expect((await v.verify(docs.jose)).verdict).toBe('valid');
    await node.stop();
    const [threaded, reference] = await Promise.all([p.verify(docs.valid), v.verify(docs.valid)]);
    expect(threaded).toEqual(reference);
    expect(threaded.verdict).toBe('indeterminate');
    // The anchor never changes, so it still passes from the cache; what can change could not be checked.
    expect(threaded.checks.find((c) => c.check === 'anchor')).toMatchObject({ status: 'passed', data: { cached: true } });
  }, 300_000);
});

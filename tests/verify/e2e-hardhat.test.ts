// End to end against a real `hardhat node`: sign, anchor, then verify through createVerifier, the HTTP API and the CLI.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID, RegistryClient, deployRegistry, hardhatDevAccounts, providerOptions } from '../../src/chain';
import { createVerifierApp } from '../../src/server/verifier-app';
import { createVerifier, type Verifier, type VerificationOutcome } from '../../src/verify';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { microcred as runCli } from '../helpers/cli';
import { anchorBatch, makeIssuer, record, signedDi, signedJws, type AnchoredBatch } from './fixtures';

const accounts = hardhatDevAccounts(5);
const issuer = makeIssuer('St Example Hospital');
const rogue = makeIssuer('Suspended Academy');

let node: HardhatNode;
let registry: string;
let otherRegistry: string;
let admin: RegistryClient;
let issuerClient: RegistryClient;
let rogueClient: RegistryClient;
let otherIssuerClient: RegistryClient;
let verifier: Verifier;
let dir: string;
const clients: RegistryClient[] = [];

const docs: Record<string, Record<string, unknown> | string> = {};
let main: AnchoredBatch;
const names = ['valid', 'jose', 'revoke', 'suspend', 'expired'] as const;

async function connect(address: string, privateKey?: string): Promise<RegistryClient> {
  const client = await RegistryClient.connect({ address, rpcUrls: [node.url], chainId: DEV_CHAIN_ID, pollingIntervalMs: 50, ...(privateKey ? { privateKey } : {}) });
  clients.push(client);
  return client;
}

const anchorWith = (client: RegistryClient) => async (root: string) => client.anchor(root);

function writeFile(name: string, content: Record<string, unknown> | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const cliArgs = () => ['--rpc', node.url, '--registry', registry, '--chain-id', String(DEV_CHAIN_ID)];
const codes = (o: VerificationOutcome) => o.checks.filter((c) => c.status === 'failed' || c.status === 'error').map((c) => c.code);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-verify-e2e-'));
  node = await startHardhatNode();
  const provider = new JsonRpcProvider(node.url, DEV_CHAIN_ID, providerOptions(DEV_CHAIN_ID));
  const deployer = new Wallet(accounts[0]!.privateKey, provider);
  registry = await deployRegistry(deployer, deployer.address);
  otherRegistry = await deployRegistry(deployer, accounts[3]!.address);
  provider.destroy();
  admin = await connect(registry, accounts[0]!.privateKey);
  // A separate admin account per registry: two clients on one account would race for nonces.
  const otherAdmin = await connect(otherRegistry, accounts[3]!.privateKey);
  await admin.registerIssuer(issuer.did, 'St Example Hospital (registered)', accounts[0]!.address, [accounts[1]!.address]);
  await admin.registerIssuer(rogue.did, 'Suspended Academy', accounts[0]!.address, [accounts[2]!.address]);
  await otherAdmin.registerIssuer(issuer.did, 'Elsewhere', accounts[3]!.address, [accounts[4]!.address]);
  issuerClient = await connect(registry, accounts[1]!.privateKey);
  rogueClient = await connect(registry, accounts[2]!.privateKey);
  otherIssuerClient = await connect(otherRegistry, accounts[4]!.privateKey);

  docs.valid = await signedDi(issuer);
  docs.jose = await signedJws(issuer);
  docs.revoke = await signedDi(issuer);
  docs.suspend = await signedDi(issuer);
  docs.expired = await signedDi(issuer, { completedAt: '2020-01-01T00:00:00Z', validFor: 'P1Y' });
  main = await anchorBatch(names.map((n) => docs[n]!), { chainId: DEV_CHAIN_ID, registry, anchorRoot: anchorWith(issuerClient) });
  const rogueBatch = await anchorBatch([await signedDi(rogue)], { chainId: DEV_CHAIN_ID, registry, anchorRoot: anchorWith(rogueClient) });
  await admin.suspendIssuer(rogue.did);
  const elsewhere = await anchorBatch([await signedDi(issuer)], { chainId: DEV_CHAIN_ID, registry: otherRegistry, anchorRoot: anchorWith(otherIssuerClient) });
  docs.rogue = rogueBatch.anchored[0]!;
  docs.elsewhere = elsewhere.anchored[0]!;
  docs.pending = await signedDi(issuer);
  docs.tampered = { ...main.anchored[0]!, name: 'Brain Surgery' };
  verifier = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 } });
});

afterAll(async () => {
  verifier?.close();
  for (const client of clients) client.close();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const anchored = (name: (typeof names)[number]) => main.anchored[names.indexOf(name)]!;

describe('verifier against a hardhat node', () => {
  it('valid DI and JOSE (envelope) credentials are valid, with the registered issuer name', async () => {
    for (const input of [anchored('valid'), anchored('jose')]) {
      const outcome = await verifier.verify(input);
      expect(codes(outcome)).toEqual([]);
      expect(outcome.verdict).toBe('valid');
      expect(outcome.summary?.registeredIssuerName).toBe('St Example Hospital (registered)');
    }
  });

  it('revoke, suspend and reinstate show up', async () => {
    const i = names.indexOf('revoke');
    const j = names.indexOf('suspend');
    await issuerClient.revoke(main.leaves[i]!, main.root, main.paths[i]!, 2);
    await issuerClient.suspend(main.leaves[j]!, main.root, main.paths[j]!, 1);
    expect(await verifier.verify(anchored('revoke'))).toMatchObject({ verdict: 'invalid', flags: ['revoked'] });
    expect(await verifier.verify(anchored('suspend'))).toMatchObject({ verdict: 'invalid', flags: ['suspended'] });
    await issuerClient.reinstate(main.leaves[j]!, main.root, main.paths[j]!);
    expect(await verifier.verify(anchored('suspend'))).toMatchObject({ verdict: 'valid', flags: [] });
    // The revoked credential with its anchor proof removed: still read by issuer DID and leaf, still revoked.
    const lenient = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 }, policy: { acceptPendingAnchor: true, requireAccreditation: false } });
    const stripped = await lenient.verify(docs.revoke);
    lenient.close();
    expect(stripped).toMatchObject({ verdict: 'invalid', flags: ['revoked'] });
    expect(stripped.reasons.map((r) => r.code)).toEqual(['REVOCATION_REVOKED']);
  });

  it('a self-signed credential naming a real institution is never valid, even under the lenient policy', async () => {
    const impostor = makeIssuer('St Example Hospital (registered)');
    const forged = await signedDi(impostor);
    for (const policy of [{}, { acceptPendingAnchor: true, requireAccreditation: false }]) {
      const v = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 }, policy });
      const outcome = await v.verify(forged);
      v.close();
      expect(outcome.verdict).not.toBe('valid');
      expect(outcome.flags).toEqual(['issuer-not-in-registry']);
      expect(outcome.flags).not.toContain('pending-anchor');
      expect(outcome.checks.find((c) => c.check === 'accredited-issuer')?.message).toContain('The signature is genuine, but this registry does not know who issued it');
      expect(outcome.summary?.registeredIssuerName).toBeUndefined();
      expect(outcome.reasons.length).toBeGreaterThan(0);
    }
  });

  it('an expired credential, a suspended issuer, another registry, a pending anchor, a tampered credential', async () => {
    expect(await verifier.verify(anchored('expired'))).toMatchObject({ verdict: 'invalid', flags: ['expired'] });
    const rogueOutcome = await verifier.verify(docs.rogue);
    expect(codes(rogueOutcome)).toEqual(['ISSUER_NOT_ACTIVE']);
    expect(rogueOutcome).toMatchObject({ verdict: 'invalid', flags: ['issuer-not-accredited'] });
    expect(codes(await verifier.verify(docs.elsewhere))).toEqual(['ANCHOR_UNTRUSTED_REGISTRY']);
    expect(await verifier.verify(docs.pending)).toMatchObject({ verdict: 'indeterminate', flags: ['pending-anchor'] });
    expect(codes(await verifier.verify(docs.tampered))).toEqual(['SIGNATURE_INVALID', 'ANCHOR_PATH_MISMATCH']);
  });

  it('the HTTP API gives the same answers', async () => {
    const app = createVerifierApp({ verifier, rateLimit: false });
    const post = async (url: string, body: unknown, status = 200) => {
      const response = await app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(status);
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await post('/v1/verify', anchored('valid'))).toMatchObject({ verdict: 'valid' });
    expect(await post('/v1/verify', anchored('revoke'))).toMatchObject({ verdict: 'invalid', flags: ['revoked'] });
    expect(await post('/v1/verify', docs.jose)).toMatchObject({ verdict: 'indeterminate', flags: ['pending-anchor'] });
    const vcApi = await post('/credentials/verify', { verifiableCredential: anchored('valid') });
    expect(vcApi.verified).toBe(true);
    expect((await post('/credentials/verify', { verifiableCredential: docs.tampered }, 422)).verified).toBe(false);
  });

  it('the CLI: one file per case, the right verdicts and exit codes', async () => {
    const good = writeFile('good.json', anchored('valid'));
    const jws = writeFile('bare.jwt', docs.jose as string);
    const envelope = writeFile('envelope.json', anchored('jose'));
    const revoked = writeFile('revoked.json', anchored('revoke'));
    const notes = writeFile('notes.txt', 'these are not credentials');

    const allGood = await runCli(['verify', good, envelope, ...cliArgs()]);
    expect(allGood.stderr).toBe('');
    expect(allGood.code).toBe(0);
    expect(allGood.stdout).toContain('2 valid');

    const pending = await runCli(['verify', jws, good, '--json', ...cliArgs()]);
    expect(pending.code).toBe(3);
    const report = JSON.parse(pending.stdout) as { summary: Record<string, unknown> };
    expect(report.summary).toMatchObject({ total: 2, valid: 1, indeterminate: 1, exitCode: 3 });
    expect((await runCli(['verify', jws, ...cliArgs(), '--accept-pending'])).code).toBe(0);

    const mixed = await runCli(['verify', good, revoked, notes, ...cliArgs()]);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/INVALID {2}.*revoked\.json \[revoked\] revocation: REVOCATION_REVOKED/);
    expect(mixed.stdout).toMatch(/NOT A CREDENTIAL {2}.*notes\.txt/);
    expect(mixed.stdout).toContain('1 valid, 1 invalid, 0 could not be checked, 1 not credentials');

    const stdin = await runCli(['verify', '-', ...cliArgs()], { input: JSON.stringify(anchored('valid')) });
    expect(stdin.code).toBe(0);

    expect((await runCli(['verify', path.join(dir, 'missing.json'), ...cliArgs()])).code).toBe(2);
    expect((await runCli(['verify', good, '--rpc', node.url, '--chain-id', '31337'])).code).toBe(2);
    expect((await runCli(['verify', good, ...cliArgs(), '--policy', 'nonsense'])).code).toBe(2);
    expect((await runCli(['verify', good, ...cliArgs(), '--concurrency', '0'])).code).toBe(2);
  }, 300_000);

  it('the CLI over 1,000 mixed files: right counts, exit code 1, one lookupMany call per 250 credentials; CSV is injection-safe', async () => {
    const folder = path.join(dir, 'cohort');
    mkdirSync(path.join(folder, 'sub'), { recursive: true });
    const di = await Promise.all(Array.from({ length: 680 }, (_, k) => signedDi(issuer, { learner: { email: `learner${k}@example.org` }, ...(k === 0 ? { module: { ...(record().module as object), name: '=HYPERLINK("http://evil")' } } : {}) })));
    const jose = await Promise.all(Array.from({ length: 300 }, (_, k) => signedJws(issuer, { learner: { email: `jose${k}@example.org` } })));
    const documents = [...di, ...jose];
    const batches: AnchoredBatch[] = [];
    for (let start = 0; start < documents.length; start += 100) {
      batches.push(await anchorBatch(documents.slice(start, start + 100), { chainId: DEV_CHAIN_ID, registry, anchorRoot: anchorWith(issuerClient) }));
    }
    const anchoredDocs = batches.flatMap((b) => b.anchored);
    // 20 revoked (DI, in the first batch), 30 tampered (DI, later batches).
    for (let k = 0; k < 20; k++) await issuerClient.revoke(batches[0]!.leaves[k]!, batches[0]!.root, batches[0]!.paths[k]!);
    anchoredDocs.forEach((doc, k) => {
      const content = k >= 100 && k < 130 ? { ...doc, name: `Tampered ${k}` } : doc;
      const jwsForm = k >= 680 && k % 2 === 0;
      writeFileSync(path.join(folder, k % 3 === 0 ? 'sub' : '', `credential-${k}.${jwsForm ? 'json' : 'json'}`), JSON.stringify(content));
    });
    for (let k = 0; k < 20; k++) writeFileSync(path.join(folder, `readme-${k}.${k % 2 ? 'txt' : 'json'}`), k % 2 ? 'not a credential' : JSON.stringify({ hello: k }));
    const csvFile = path.join(dir, 'report.csv');
    const run = await runCli(['verify', folder, '--json', '--csv', csvFile, '--concurrency', '16', ...cliArgs()], { timeoutMs: 300_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const { summary } = JSON.parse(run.stdout) as { summary: { distinctRoots: number; distinctLeaves: number; chainReads: number; flags: Record<string, number> } };
    expect(summary).toMatchObject({ total: 1000, valid: 930, invalid: 50, indeterminate: 0, notCredential: 20, exitCode: 1 });
    expect(summary.flags.revoked).toBe(20);
    expect(summary.flags['pending-anchor']).toBe(0);
    // Tampered credentials never reach the chain (their path check fails off-chain): 950 questions, 250 per call.
    expect(summary.chainReads).toBe(Math.ceil(950 / 250));
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv.split('\n')[0]).toBe('file,result,verdict,kind,flags,codes,reason,credential_id,issuer,achievement');
    expect(csv.split('\n').filter((l) => l.trim() !== '')).toHaveLength(1001);
    // The achievement name "=HYPERLINK(…)" is written as text, never as a formula.
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  }, 300_000);
});

describe('when the RPC endpoint stops mid-run', () => {
  it('gives indeterminate and exit code 3, never invalid', async () => {
    const good = writeFile('still-good.json', anchored('valid'));
    const freshVerifier = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 } });
    expect((await freshVerifier.verify(anchored('jose'))).verdict).toBe('valid');
    await node.stop();
    const outcome = await freshVerifier.verify(anchored('valid'));
    freshVerifier.close();
    expect(outcome.verdict).toBe('indeterminate');
    // The root was read before (the JOSE credential shares it) and an anchor never changes, so the anchor check still
    // passes from the cache; what can change (issuer standing, revocation) could not be checked.
    expect(outcome.checks.find((c) => c.check === 'anchor')).toMatchObject({ status: 'passed', data: { cached: true } });
    expect(codes(outcome)).toEqual(['ISSUER_RPC_UNREACHABLE', 'REVOCATION_RPC_UNREACHABLE']);
    const run = await runCli(['verify', good, ...cliArgs()]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('COULD NOT CHECK');
    expect(run.stdout).toContain('ANCHOR_RPC_UNREACHABLE');
  });
});

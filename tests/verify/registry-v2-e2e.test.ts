// Registry v2 from the verifier's side, on a real `hardhat node` behind a counting JSON-RPC proxy: misconfiguration is
// an error (exit 3 / HTTP 503), a lagging node is indeterminate, and 10,000 credentials cost ceil(N / batch) reads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonRpcProvider, Wallet, id as selectorOf } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID, RegistryClient, deployRegistry, hardhatDevAccounts, providerOptions } from '../../src/chain';
import { createVerifierApp } from '../../src/server/verifier-app';
import { buildCredential } from '../../src/credential';
import { signJose } from '../../src/signing';
import { DEFAULT_LOOKUP_BATCH, createVerifier, type VerificationOutcome } from '../../src/verify';
import { microcred as runCli } from '../helpers/cli';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { startRpcProxy, type RpcProxy } from '../helpers/rpc-proxy';
import { anchorBatch, fakeAnchor, makeIssuer, record, signedDi } from './fixtures';

const accounts = hardhatDevAccounts(3);
const issuer = makeIssuer('St Example Hospital');
// A contract that is not a registry: its code is a single STOP, so every call answers nothing.
const STOP_CONTRACT_INITCODE = '0x6001600c60003960016000f300';
const LOOKUP_MANY = selectorOf('lookupMany((bytes32,bytes32,bytes32,bytes32[])[])').slice(0, 10);

let node: HardhatNode;
let proxy: RpcProxy;
let registry: string;
let notARegistry: string;
let operator: RegistryClient;
let dir: string;
const clients: RegistryClient[] = [];

const cliArgs = (overrides: { registry?: string; chainId?: number; rpc?: string } = {}) => [
  '--rpc', overrides.rpc ?? proxy.url,
  '--registry', overrides.registry ?? registry,
  '--chain-id', String(overrides.chainId ?? DEV_CHAIN_ID),
];
const anchorCheck = (o: VerificationOutcome) => o.checks.find((c) => c.check === 'anchor');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-registry-v2-'));
  node = await startHardhatNode();
  proxy = await startRpcProxy(node.url);
  const provider = new JsonRpcProvider(node.url, DEV_CHAIN_ID, providerOptions(DEV_CHAIN_ID));
  const deployer = new Wallet(accounts[0]!.privateKey, provider);
  registry = await deployRegistry(deployer, deployer.address);
  const tx = await deployer.sendTransaction({ data: STOP_CONTRACT_INITCODE });
  notARegistry = (await tx.wait())!.contractAddress!;
  provider.destroy();
  const admin = await RegistryClient.connect({ address: registry, rpcUrls: [node.url], chainId: DEV_CHAIN_ID, pollingIntervalMs: 50, privateKey: accounts[0]!.privateKey });
  operator = await RegistryClient.connect({ address: registry, rpcUrls: [node.url], chainId: DEV_CHAIN_ID, pollingIntervalMs: 50, privateKey: accounts[1]!.privateKey });
  clients.push(admin, operator);
  await admin.registerIssuer(issuer.did, 'St Example Hospital (registered)', accounts[0]!.address, [accounts[1]!.address]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await proxy?.close();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a registry that is not one: one clear error, never a verdict', () => {
  let file: string;
  beforeAll(async () => {
    const batch = await anchorBatch([await signedDi(issuer)], { chainId: DEV_CHAIN_ID, registry, anchorRoot: (root) => operator.anchor(root) });
    file = path.join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(batch.anchored[0]));
    const ok = await runCli(['verify', file, ...cliArgs()]);
    expect(ok.code).toBe(0);
  }, 120_000);

  it.each([
    ['an address without code (an EOA)', () => ({ registry: accounts[2]!.address }), 'ERR_REGISTRY_NO_CODE', () => accounts[2]!.address],
    ['a contract that is not a registry', () => ({ registry: notARegistry }), 'ERR_REGISTRY_NOT_A_REGISTRY', () => notARegistry],
    ['a chain id that is not the node’s', () => ({ chainId: 1337 }), 'ERR_REGISTRY_CHAIN_MISMATCH', () => registry],
  ] as const)('%s: exit 3 naming address and chain', async (_name, overrides, code, address) => {
    const run = await runCli(['verify', file, ...cliArgs(overrides())]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(code);
    expect(run.stderr).toContain(address());
    expect(run.stderr).toMatch(/chain (31337|1337)/);
    expect(run.stdout).not.toMatch(/INVALID/);
  }, 120_000);

  it('the HTTP API answers 503 problem details with the code, and the VC-API too', async () => {
    const verifier = createVerifier({ chain: { rpcUrls: [proxy.url], chainId: DEV_CHAIN_ID, registryAddress: notARegistry } });
    const app = createVerifierApp({ verifier, rateLimit: false, onUnexpected: () => undefined });
    for (const [url, body] of [['/v1/verify', { credential: 'x' }], ['/credentials/verify', { verifiableCredential: { type: ['VerifiableCredential'] } }]] as const) {
      const response = await app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe('ERR_REGISTRY_NOT_A_REGISTRY');
      expect(problem.detail).toContain(notARegistry);
    }
    verifier.close();
  });
});

describe('a registry node that is behind', () => {
  it('a fresh anchor the node has not seen is indeterminate ("this registry node is behind"), then valid once it has', async () => {
    const batch = await anchorBatch([await signedDi(issuer)], { chainId: DEV_CHAIN_ID, registry, anchorRoot: (root) => operator.anchor(root) });
    const anchoredBlock = (await operator.anchorOf(issuer.did, batch.root))!.blockNumber;
    // Days after the anchor, so only the block numbers can tell a lagging node (the time window is out of play).
    const later = () => new Date(Date.now() + 3 * 86_400_000);
    const verifier = (window?: number) =>
      createVerifier({ chain: { rpcUrls: [proxy.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 }, now: later, ...(window === undefined ? {} : { policy: { nodeLagWindowSeconds: window } }) });
    proxy.hideBlocksAbove(anchoredBlock - 1);
    try {
      const v = verifier(0);
      const behind = await v.verify(batch.anchored[0]);
      v.close();
      expect(behind.verdict).toBe('indeterminate');
      expect(behind.flags).toEqual(['registry-node-behind']);
      expect(anchorCheck(behind)).toMatchObject({ status: 'error', code: 'ANCHOR_NODE_BEHIND', data: { latestBlock: anchoredBlock - 1 } });
      expect(anchorCheck(behind)?.message).toContain('This registry node is behind');
      // Within the time window of the anchor, a node that does not know the root is taken as behind too.
      const recent = createVerifier({ chain: { rpcUrls: [proxy.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 } });
      expect(anchorCheck(await recent.verify(batch.anchored[0]))).toMatchObject({ status: 'error', code: 'ANCHOR_NODE_BEHIND' });
      recent.close();
    } finally {
      proxy.hideBlocksAbove(undefined);
    }
    const v = verifier(0);
    expect(await v.verify(batch.anchored[0])).toMatchObject({ verdict: 'valid', flags: [] });
    v.close();
  });

  it('a root that was never anchored, by a node that is not behind, is invalid', async () => {
    // A made-up anchor in block 1, long ago: the node is past it, so the root's absence is the registry's word.
    const forged = await anchorBatch([await signedDi(issuer)], { chainId: DEV_CHAIN_ID, registry, anchorRoot: async (root) => ({ ...(await fakeAnchor()), blockNumber: 1, hash: root }) });
    const v = createVerifier({ chain: { rpcUrls: [proxy.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 } });
    const outcome = await v.verify(forged.anchored[0]);
    v.close();
    expect(outcome.verdict).toBe('invalid');
    expect(anchorCheck(outcome)).toMatchObject({ status: 'failed', code: 'ANCHOR_ROOT_NOT_FOUND' });
  });
});

describe('bulk verification reads', () => {
  it('10,000 VC-JOSE credentials: all valid, at most ceil(N / batch) + distinct-issuer eth_calls at the proxy', async () => {
    const n = 10_000;
    const template = buildCredential({ record: record(), issuer: issuer.profile, now: () => new Date('2025-03-02T08:00:00Z') });
    const jws = await Promise.all(Array.from({ length: n }, (_, k) => signJose({ ...template, id: `urn:uuid:00000000-0000-4000-8000-${String(k).padStart(12, '0')}` }, { signingKey: issuer.signingKey })));
    const batch = await anchorBatch(jws, { chainId: DEV_CHAIN_ID, registry, anchorRoot: (root) => operator.anchor(root) });
    const folder = path.join(dir, 'ten-thousand');
    mkdirSync(folder);
    batch.anchored.forEach((envelope, k) => writeFileSync(path.join(folder, `c${k}.json`), JSON.stringify(envelope)));
    proxy.reset();
    const run = await runCli(['verify', folder, '--json', '--quiet', '--concurrency', '16', ...cliArgs()], { timeoutMs: 540_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { summary } = JSON.parse(run.stdout) as { summary: { total: number; valid: number; chainReads: number } };
    expect(summary).toMatchObject({ total: n, valid: n });
    const distinctIssuers = 1;
    const bound = Math.ceil(n / DEFAULT_LOOKUP_BATCH) + distinctIssuers;
    expect(proxy.callsTo(LOOKUP_MANY)).toBe(Math.ceil(n / DEFAULT_LOOKUP_BATCH));
    expect(summary.chainReads).toBe(Math.ceil(n / DEFAULT_LOOKUP_BATCH));
    // Every eth_call, the ERC-165 self-check included.
    expect(proxy.counts().eth_call).toBeLessThanOrEqual(bound);
  }, 600_000);
});

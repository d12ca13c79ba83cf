// Production shape: the issuer and a stateless verifier as separate systems on an external chain, each serving only its part.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevChain, type DevChain } from '../../src/chain';
import { loadConfig } from '../../src/config';
import { loadOrCreateIssuerKeyring } from '../../src/issuer';
import { setUpDevRegistry } from '../../src/chain/dev-registry';
import { databasePath, openStore } from '../../src/store';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { sampleRecord } from '../helpers/records';

const SECRET = 'roles-test-secret-0123456789abcdef';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-roles-'));

describe('issuer and verifier as separate systems on an external chain', () => {
  let chain: DevChain;
  let issuer: RunningSystem;
  let verifier: RunningSystem;

  beforeAll(async () => {
    chain = await startDevChain();
    const keyFile = path.join(dir, 'anchor.key');
    fs.writeFileSync(keyFile, `${chain.accounts[1]!.privateKey}\n`, { mode: 0o600 });
    const external = (role: 'issuer' | 'verifier', registryAddress: string) =>
      loadConfig({
        env: {
          MICROCRED_ROLE: role,
          MICROCRED_CHAIN: 'external',
          MICROCRED_RPC_URLS: chain.url,
          MICROCRED_CHAIN_ID: String(chain.chainId),
          MICROCRED_REGISTRY: registryAddress,
          MICROCRED_ANCHOR_KEY_FILE: keyFile,
          MICROCRED_ISSUER_NAME: 'St Example Teaching Hospital',
          MICROCRED_BATCH_INTERVAL: '0.5',
        },
        overrides: { dataDir: path.join(dir, role), port: 0 },
      });
    // As `microcred init` would: create the issuer's key first, so the accreditor registers its real DID.
    const issuerConfig = external('issuer', '0x0000000000000000000000000000000000000001');
    const store = openStore({ path: databasePath(issuerConfig.dataDir), secret: SECRET });
    const { keyring } = loadOrCreateIssuerKeyring(store, { didMethod: 'key', profile: { name: issuerConfig.issuer.name, url: issuerConfig.issuer.url }, actor: 'test' });
    store.close();
    const registry = await setUpDevRegistry(chain, { did: keyring.did, name: issuerConfig.issuer.name });
    issuer = await startSystem({ config: external('issuer', registry.address), env: { MICROCRED_SECRET: SECRET } });
    verifier = await startSystem({ config: external('verifier', registry.address) });
  });
  afterAll(async () => {
    await verifier?.stop();
    await issuer?.stop();
    await chain?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('each serves only its own routes', async () => {
    expect((await fetch(`${verifier.url}/v1/credentials`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${verifier.url}/`)).status).toBe(200);
    expect((await fetch(`${issuer.url}/`)).status).toBe(404);
    expect((await fetch(`${issuer.url}/v1/verify`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(verifier.issuer).toBeUndefined();
  });

  it('a credential issued by the issuer is verified by the stateless verifier', async () => {
    const token = issuer.issuer!.store.createToken('roles', ['issue'], 'test').token;
    const response = await fetch(`${issuer.url}/v1/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleRecord()),
    });
    expect(response.status).toBe(201);
    const { id, batchId } = (await response.json()) as { id: string; batchId: number };
    await issuer.issuer!.anchorer.whenAnchored(batchId, { timeoutMs: 60_000 });
    const anchored = issuer.issuer!.service.getCredentialWithAnchor(id).anchored;
    const verdict = (await (await fetch(`${verifier.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(anchored) })).json()) as {
      verdict: string;
      checks: { check: string; code: string }[];
    };
    expect(verdict.checks.find((c) => c.check === 'anchor')?.code).toBe('ANCHOR_FOUND');
    expect(verdict.checks.find((c) => c.check === 'accredited-issuer')?.code).toBe('ISSUER_ACCREDITED');
    expect(verdict.verdict).toBe('valid');
  });
});

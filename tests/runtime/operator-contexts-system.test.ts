// The contexts setting through startSystem: a pinned operator context is used by the running verifier; a changed file stops the start.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpDevRegistry, startDevChain, type DevChain } from '../../src/chain';
import { loadConfig } from '../../src/config';
import { createDocumentLoader } from '../../src/contexts';
import { loadOperatorContexts } from '../../src/contexts/operator';
import { startSystem } from '../../src/runtime/system';
import type { VerifierPool } from '../../src/verify/verifier-pool';
import { SigningKey, createDidKeyIssuer, signDataIntegrity } from '../../src/signing';

const dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-system-contexts-'));

const URL = 'https://cpd.example/contexts/system/v1';
const text = JSON.stringify({ '@context': { '@protected': true, CpdCredential: 'https://cpd.example/vocab#CpdCredential', cpdHours: 'https://cpd.example/vocab#cpdHours' } });
writeFileSync(path.join(dir, 'cpd.jsonld'), text);
const pins = [{ url: URL, file: 'cpd.jsonld', sha256: createHash('sha256').update(text).digest('hex') }];

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });

// A verifier-only process on an external chain. Registry v2 reads every credential's revocation (and its issuer) from
// the registry, anchor proof or not, and a revocation that could not be read is never verified on the VC-API: so the
// verifier gets a reachable development chain with a registry that knows the issuer.
let chain: DevChain;
let env: Record<string, string>;
beforeAll(async () => {
  chain = await startDevChain();
  const registry = await setUpDevRegistry(chain, { did: issuer.did, name: 'H' });
  env = {
    MICROCRED_ROLE: 'verifier',
    MICROCRED_CHAIN: 'external',
    MICROCRED_RPC_URLS: chain.url,
    MICROCRED_CHAIN_ID: String(chain.chainId),
    MICROCRED_REGISTRY: registry.address,
    MICROCRED_CONTEXTS_DIR: dir,
    MICROCRED_CONTEXT_PINS: JSON.stringify(pins),
  };
}, 120_000);
afterAll(async () => {
  await chain?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('operator contexts in the running system', () => {
  it('the verifier uses the pinned context: a credential using it verifies on the VC-API', async () => {
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', URL],
      id: 'urn:uuid:6f1d3f2e-0c4b-4c55-8a5e-2b8f6f9d1a21',
      type: ['VerifiableCredential', 'CpdCredential'],
      issuer: issuer.did,
      validFrom: '2025-03-01T00:00:00Z',
      credentialSubject: { id: 'did:example:ada', cpdHours: 8 },
    };
    const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: createDocumentLoader({ extraDocuments: loadOperatorContexts({ dir, pins }) }) });
    const system = await startSystem({ config: loadConfig({ env: { ...env, MICROCRED_VERIFY_THREADS: '1' }, overrides: { port: 0 } }) });
    try {
      // Verified in the worker thread: the pinned context travels to it with the verifier's spec.
      const pool = system.verifier as VerifierPool;
      expect(pool.threads).toBe(1);
      await pool.ready();
      const response = await fetch(`${system.url}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: signed }) });
      const body = (await response.json()) as { verified: boolean; errors: string[] };
      expect(body.errors).toEqual([]);
      expect(response.status).toBe(200);
    } finally {
      await system.stop();
    }
  });

  it('a changed context file stops the start with ERR_CONTEXT_HASH_MISMATCH', async () => {
    writeFileSync(path.join(dir, 'cpd.jsonld'), text.replace('cpd.example/vocab#cpdHours', 'evil.example/hours'));
    await expect(startSystem({ config: loadConfig({ env, overrides: { port: 0 } }) })).rejects.toMatchObject({ code: 'ERR_CONTEXT_HASH_MISMATCH' });
  });
});

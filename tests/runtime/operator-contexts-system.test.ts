// The contexts setting through startSystem: a pinned operator context is used by the running verifier; a changed file stops the start.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createDocumentLoader } from '../../src/contexts';
import { loadOperatorContexts } from '../../src/contexts/operator';
import { startSystem } from '../../src/runtime/system';
import { SigningKey, createDidKeyIssuer, signDataIntegrity } from '../../src/signing';

const dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-system-contexts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const URL = 'https://cpd.example/contexts/system/v1';
const text = JSON.stringify({ '@context': { '@protected': true, CpdCredential: 'https://cpd.example/vocab#CpdCredential', cpdHours: 'https://cpd.example/vocab#cpdHours' } });
writeFileSync(path.join(dir, 'cpd.jsonld'), text);
const pins = [{ url: URL, file: 'cpd.jsonld', sha256: createHash('sha256').update(text).digest('hex') }];

// A verifier-only process needs an external chain; nothing listens on port 9, and nothing here needs the chain.
const env = {
  MICROCRED_ROLE: 'verifier',
  MICROCRED_CHAIN: 'external',
  MICROCRED_RPC_URLS: 'http://127.0.0.1:9',
  MICROCRED_CHAIN_ID: '31337',
  MICROCRED_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  MICROCRED_CONTEXTS_DIR: dir,
  MICROCRED_CONTEXT_PINS: JSON.stringify(pins),
};

describe('operator contexts in the running system', () => {
  it('the verifier uses the pinned context: a credential using it verifies on the VC-API', async () => {
    const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', URL],
      id: 'urn:uuid:6f1d3f2e-0c4b-4c55-8a5e-2b8f6f9d1a21',
      type: ['VerifiableCredential', 'CpdCredential'],
      issuer: issuer.did,
      validFrom: '2025-03-01T00:00:00Z',
      credentialSubject: { id: 'did:example:ada', cpdHours: 8 },
    };
    const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader: createDocumentLoader({ extraDocuments: loadOperatorContexts({ dir, pins }) }) });
    const system = await startSystem({ config: loadConfig({ env, overrides: { port: 0 } }) });
    try {
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

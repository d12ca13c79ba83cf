// Operator-added JSON-LD contexts: pinned by SHA-256, used to sign and verify, refused when changed; the bundled W3C examples context.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentLoader, defaultDocumentLoader } from '../../src/contexts';
import { loadOperatorContexts, type ContextPin } from '../../src/contexts/operator';
import { loadConfig } from '../../src/config';
import { isMicrocredError } from '../../src/errors';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, verifyDataIntegrity } from '../../src/signing';

const dir = mkdtempSync(path.join(os.tmpdir(), 'microcred-contexts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CPD_URL = 'https://cpd.example/contexts/v1';
const CPD_CONTEXT = { '@context': { '@protected': true, CpdCredential: 'https://cpd.example/vocab#CpdCredential', cpdHours: 'https://cpd.example/vocab#cpdHours' } };
const sha256 = (file: string) => createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
writeFileSync(path.join(dir, 'cpd-v1.jsonld'), JSON.stringify(CPD_CONTEXT, null, 2));
const pin = (): ContextPin => ({ url: CPD_URL, file: 'cpd-v1.jsonld', sha256: sha256('cpd-v1.jsonld') });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isMicrocredError(error) ? error.code : 'not a MicrocredError';
  }
  return undefined;
}

const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'H', url: 'https://h.example' });
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', CPD_URL],
  id: 'urn:uuid:0b7e9a52-52f0-4a8b-9d3e-64b6f5f3a111',
  type: ['VerifiableCredential', 'CpdCredential'],
  issuer: issuer.did,
  validFrom: '2025-03-01T00:00:00Z',
  credentialSubject: { id: 'did:example:ada', cpdHours: 8 },
};

describe('operator contexts', () => {
  it('a pinned file is used to sign and verify a credential naming its URL', async () => {
    const loader = createDocumentLoader({ extraDocuments: loadOperatorContexts({ dir, pins: [pin()] }) });
    const signed = await signDataIntegrity(credential, { signingKey: issuer.signingKey, loader });
    expect(await verifyDataIntegrity(signed, { loader })).toMatchObject({ verified: true });
  });

  it('without the file the context is reported by name, never fetched', async () => {
    const signed = await signDataIntegrity(credential, {
      signingKey: issuer.signingKey,
      loader: createDocumentLoader({ extraDocuments: loadOperatorContexts({ dir, pins: [pin()] }) }),
    });
    const result = await verifyDataIntegrity(signed, { loader: defaultDocumentLoader() });
    expect(result).toMatchObject({ verified: false, code: 'ERR_CONTEXT_NOT_BUNDLED' });
    expect(result.message).toContain(CPD_URL);
  });

  it('a changed file (hash mismatch) is refused with ERR_CONTEXT_HASH_MISMATCH naming both hashes', () => {
    const pinned = pin();
    writeFileSync(path.join(dir, 'cpd-v1.jsonld'), JSON.stringify({ '@context': { ...CPD_CONTEXT['@context'], cpdHours: 'https://evil.example/hours' } }));
    try {
      loadOperatorContexts({ dir, pins: [pinned] });
      expect.unreachable('a changed file must be refused');
    } catch (error) {
      expect(isMicrocredError(error, 'ERR_CONTEXT_HASH_MISMATCH')).toBe(true);
      expect((error as { details: Record<string, unknown> }).details).toMatchObject({ file: 'cpd-v1.jsonld', url: CPD_URL, expected: pinned.sha256, actual: sha256('cpd-v1.jsonld') });
    } finally {
      writeFileSync(path.join(dir, 'cpd-v1.jsonld'), JSON.stringify(CPD_CONTEXT, null, 2));
    }
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [pinned] }))).toBeUndefined();
  });

  it('refuses unpinned files, missing files, paths outside the folder, non-contexts and replacing a bundled context', () => {
    writeFileSync(path.join(dir, 'stray.json'), '{"@context":{}}');
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [pin()] }))).toBe('ERR_CONTEXT_UNPINNED');
    rmSync(path.join(dir, 'stray.json'));
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [pin(), { url: 'https://x.example/c', file: 'gone.json', sha256: 'a'.repeat(64) }] }))).toBe('ERR_CONTEXT_FILE_MISSING');
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [pin(), { url: 'https://x.example/c', file: '../etc.json', sha256: 'a'.repeat(64) }] }))).toBe('ERR_CONTEXT_FILE_INVALID');
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [{ ...pin(), url: 'https://www.w3.org/ns/credentials/v2' }] }))).toBe('ERR_CONTEXT_FILE_INVALID');
    writeFileSync(path.join(dir, 'plain.json'), '{"a":1}');
    const plain = { url: 'https://x.example/plain', file: 'plain.json', sha256: sha256('plain.json') };
    expect(codeOf(() => loadOperatorContexts({ dir, pins: [pin(), plain] }))).toBe('ERR_CONTEXT_FILE_INVALID');
    rmSync(path.join(dir, 'plain.json'));
    expect(codeOf(() => loadOperatorContexts({ dir: path.join(dir, 'nope'), pins: [] }))).toBe('ERR_CONTEXT_FILE_MISSING');
  });

  it('is configured with contexts.dir and contexts.pins (also MICROCRED_CONTEXTS_DIR / MICROCRED_CONTEXT_PINS)', () => {
    const config = loadConfig({ env: { MICROCRED_CONTEXTS_DIR: dir, MICROCRED_CONTEXT_PINS: JSON.stringify([pin()]) } });
    expect(config.contexts).toEqual({ dir, pins: [pin()] });
    expect(codeOf(() => loadConfig({ env: { MICROCRED_CONTEXT_PINS: JSON.stringify([pin()]) } }))).toBe('ERR_CONFIG_INVALID');
    expect(codeOf(() => loadConfig({ env: { MICROCRED_CONTEXTS_DIR: dir, MICROCRED_CONTEXT_PINS: '[{"url":"https://x.example","file":"a.json","sha256":"XYZ"}]' } }))).toBe('ERR_CONFIG_INVALID');
  });
});

describe('the bundled W3C examples context', () => {
  it('is the same bytes as the W3C copy in tests/vectors and loads offline', async () => {
    const bundled = readFileSync(path.join(__dirname, '../../src/contexts/credentials-examples-v2.jsonld'));
    expect(bundled.equals(readFileSync(path.join(__dirname, '../vectors/w3c-contexts/credentials-examples-v2.jsonld')))).toBe(true);
    const loaded = await defaultDocumentLoader()('https://www.w3.org/ns/credentials/examples/v2');
    expect(loaded.document).toEqual(JSON.parse(bundled.toString('utf8')));
  });

  it('a credential using it signs and verifies with the default loader', async () => {
    const example = { ...credential, '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'], type: ['VerifiableCredential', 'ExampleDegreeCredential'] };
    const signed = await signDataIntegrity(example, { signingKey: issuer.signingKey });
    expect(await verifyDataIntegrity(signed)).toMatchObject({ verified: true });
  });
});

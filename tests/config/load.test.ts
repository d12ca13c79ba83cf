import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTableMarkdown, loadConfig, type ConfigIssue } from '../../src/config';
import { MicrocredError } from '../../src/errors';

function issuesOf(run: () => unknown): ConfigIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MicrocredError);
    expect((error as MicrocredError).code).toBe('ERR_CONFIG_INVALID');
    return (error as MicrocredError).details.issues as ConfigIssue[];
  }
  throw new Error('expected the configuration to be refused');
}

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'microcred-config-')), name);
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('defaults to the embedded development setup on loopback', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({ role: 'all', host: '127.0.0.1', port: 8080, chain: { mode: 'embedded', confirmations: 1 } });
    expect(config.anchoringKey).toEqual({ source: 'dev' });
  });

  it('layers file < environment < overrides', () => {
    const file = tempFile('c.json', JSON.stringify({ port: 9000, batch: { maxLeaves: 50 }, issuer: { name: 'From file' } }));
    const config = loadConfig({ env: { MICROCRED_PORT: '9100', MICROCRED_BATCH_INTERVAL: '2' }, file, overrides: { port: 9200 } });
    expect(config.port).toBe(9200);
    expect(config.batch).toEqual({ maxLeaves: 50, maxAgeSeconds: 2 });
    expect(config.issuer.name).toBe('From file');
  });

  it('reads a production setup from the environment', () => {
    const config = loadConfig({
      env: {
        MICROCRED_CHAIN: 'external',
        MICROCRED_RPC_URLS: 'https://rpc-a.example, https://rpc-b.example',
        MICROCRED_CHAIN_ID: '11155111',
        MICROCRED_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        MICROCRED_ANCHOR_KEY_FILE: '/run/secrets/anchor-key',
        MICROCRED_DID_METHOD: 'web',
        MICROCRED_DID_DOMAIN: 'credentials.example.edu',
        MICROCRED_ACCEPT_PENDING: 'yes',
      },
    });
    expect(config.chain.rpcUrls).toEqual(['https://rpc-a.example', 'https://rpc-b.example']);
    expect(config.chain.chainId).toBe(11155111);
    expect(config.anchoringKey).toEqual({ source: 'file', path: '/run/secrets/anchor-key' });
    expect(config.verifier.acceptPendingAnchor).toBe(true);
  });

  it('names every bad field and the variable that sets it', () => {
    const issues = issuesOf(() => loadConfig({ env: { MICROCRED_PORT: 'eighty', MICROCRED_CHAIN: 'external', MICROCRED_RPC_URLS: 'ftp://x' } }));
    const fields = issues.map((i) => i.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['port', 'chain.rpcUrls.0']));
    expect(issues.find((i) => i.field === 'port')?.variable).toBe('MICROCRED_PORT');
  });

  it('refuses an external chain without RPC URLs, chain id, registry or a real key', () => {
    const fields = issuesOf(() => loadConfig({ env: { MICROCRED_CHAIN: 'external' } })).map((i) => i.field).sort();
    expect(fields).toEqual(['anchoringKey', 'chain.chainId', 'chain.registryAddress', 'chain.rpcUrls']);
  });

  it('lets a verifier-only process run without an anchoring key', () => {
    const config = loadConfig({
      env: { MICROCRED_ROLE: 'verifier', MICROCRED_CHAIN: 'external', MICROCRED_RPC_URLS: 'http://127.0.0.1:8545', MICROCRED_CHAIN_ID: '31337', MICROCRED_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
    });
    expect(config.role).toBe('verifier');
  });

  it('requires a domain for did:web', () => {
    expect(issuesOf(() => loadConfig({ env: { MICROCRED_DID_METHOD: 'web' } })).map((i) => i.field)).toEqual(['issuer.didDomain']);
  });

  it('reports an unreadable or malformed file with ERR_CONFIG_FILE, and ignores prototype keys', () => {
    expect(() => loadConfig({ env: {}, file: '/nonexistent/microcred.json' })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_FILE' }));
    expect(() => loadConfig({ env: {}, file: tempFile('bad.json', '{ not json') })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_FILE' }));
    expect(() => loadConfig({ env: {}, file: tempFile('arr.json', '[]') })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_FILE' }));
    const polluted = tempFile('p.json', '{"__proto__": {"polluted": true}, "port": 8081}');
    expect(loadConfig({ env: {}, file: polluted }).port).toBe(8081);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the README configuration table', () => {
  it('is generated from the variables the loader reads', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(configTableMarkdown());
  });
});

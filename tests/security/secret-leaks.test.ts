// No secret reaches a log line, an HTTP answer (errors included), the OpenAPI document or a verification report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { accountPrivateKey } from '../../src/chain/anchoring-key';
import type { LogEntry } from '../../src/runtime/log';
import { startSystem, type RunningSystem } from '../../src/runtime/system';
import { microcred } from '../helpers/cli';
import { scanForSecrets, type Haystack } from './secret-scan';

const SECRET = 'leak-test-secret-0123456789abcdef';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-leaks-'));
const record = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../examples/sample-record.json'), 'utf8'));

describe('secrets stay out of logs, answers, the OpenAPI document and reports', () => {
  let system: RunningSystem;
  const logs: LogEntry[] = [];
  const haystacks: Haystack[] = [];
  let token: string;

  async function call(name: string, route: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${system.url}${route}`, init);
    haystacks.push({ name: `${name} (${response.status})`, text: `${JSON.stringify([...response.headers])}\n${await response.clone().text()}` });
    return response;
  }

  beforeAll(async () => {
    const config = loadConfig({ env: {}, overrides: { dataDir: path.join(dir, 'data'), port: 0, chain: { embeddedPort: 0 }, batch: { maxAgeSeconds: 0.5 } } });
    system = await startSystem({ config, env: { MICROCRED_SECRET: SECRET }, log: (entry) => logs.push(entry) });
    token = system.issuer!.store.createToken('leak test', ['issue', 'status'], 'test').token;
  });
  afterAll(async () => {
    await system?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds none of them anywhere', async () => {
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const issued: { id: string }[] = [];
    for (const format of ['di', 'jose']) {
      const response = await call(`issue ${format}`, `/v1/credentials?format=${format}`, { method: 'POST', headers: auth, body: JSON.stringify(record) });
      expect(response.status).toBe(201);
      issued.push((await response.json()) as { id: string });
    }
    // Errors of every kind, which are where secrets usually slip out.
    await call('wrong token', '/v1/credentials', { method: 'POST', headers: { ...auth, authorization: `Bearer ${token}x` }, body: '{}' });
    await call('no token', '/v1/credentials', { method: 'POST', body: '{}' });
    await call('bad record', '/v1/credentials', { method: 'POST', headers: auth, body: JSON.stringify({ learner: { email: 'nope' } }) });
    await call('malformed JSON', '/v1/credentials', { method: 'POST', headers: auth, body: '{"learner":' });
    await call('wrong scope', '/v1/batches/anchor', { method: 'POST', headers: auth });
    await call('unknown credential', '/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000', { headers: auth });
    await call('openapi', '/openapi.json');
    await call('healthz', '/healthz');
    await call('did document', '/.well-known/did.json');

    // Wait for the anchor, fetch the anchored forms, revoke one, and verify everything with the CLI's reports.
    const folder = path.join(dir, 'credentials');
    fs.mkdirSync(folder);
    for (const { id } of issued) {
      let anchored: unknown = null;
      for (let attempt = 0; attempt < 240 && anchored === null; attempt++) {
        const view = (await (await call(`get ${id}`, `/v1/credentials/${encodeURIComponent(id)}`, { headers: auth })).json()) as { anchored: unknown };
        anchored = view.anchored;
        if (anchored === null) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(anchored).not.toBeNull();
      fs.writeFileSync(path.join(folder, `${id.slice(9)}.json`), JSON.stringify(anchored));
      await call(`verify ${id}`, '/v1/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(anchored) });
    }
    await call('revoke', `/v1/credentials/${encodeURIComponent(issued[0]!.id)}/revoke`, { method: 'POST', headers: auth, body: JSON.stringify({ reasonCode: 'issued_in_error' }) });
    const csv = path.join(dir, 'report.csv');
    const run = await microcred(['verify', folder, '--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress, '--json', '--csv', csv]);
    expect(run.code, run.stderr).not.toBe(2);
    haystacks.push({ name: 'verify --json', text: run.stdout }, { name: 'verify stderr', text: run.stderr }, { name: 'verify --csv', text: fs.readFileSync(csv, 'utf8') });
    haystacks.push({ name: 'log', text: logs.map((entry) => JSON.stringify(entry)).join('\n') });
    expect(logs.length).toBeGreaterThan(3); // the outbox did log its steps: the scan covers real lines

    const issuerKey = system.issuer!.store.activeIssuerKey();
    const privateD = issuerKey!.privateKey.d as string;
    const secrets = [SECRET, token, privateD, accountPrivateKey(system.config)];
    expect(scanForSecrets(haystacks, secrets)).toEqual([]);
    // The scan itself finds a planted secret, so an empty result means something.
    expect(scanForSecrets([...haystacks, { name: 'planted', text: `oops ${Buffer.from(privateD, 'base64url').toString('hex')}` }], secrets)).toHaveLength(1);
  });
});

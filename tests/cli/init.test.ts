// `microcred init` as a real process: creates a usable data folder once, keeps it on a second run, refuses bad input.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { microcredSync } from '../helpers/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-init-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('microcred init', () => {
  const data = path.join(dir, 'data');

  it('creates secret, database and config with owner-only permissions, and a did:key issuer', () => {
    const first = microcredSync(['init', '--data', data, '--issuer-name', 'St Example Teaching Hospital', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ ok: true, keyCreated: true, configWritten: true });
    expect(first.json.did).toMatch(/^did:key:z6Mk/);
    expect(fs.statSync(data).mode & 0o777).toBe(0o700);
    for (const file of ['secret', 'microcred.sqlite', 'config.json']) expect(fs.statSync(path.join(data, file)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(fs.readFileSync(path.join(data, 'config.json'), 'utf8'));
    expect(config.issuer.name).toBe('St Example Teaching Hospital');

    const second = microcredSync(['init', '--data', data, '--json']);
    expect(second.json).toMatchObject({ ok: true, did: first.json.did, keyCreated: false, configWritten: false });
  });

  it('exits 2 and names the field when did:web has no domain', () => {
    const run = microcredSync(['init', '--data', path.join(dir, 'web'), '--did-method', 'web', '--json']);
    expect(run.code).toBe(2);
    expect(run.json).toMatchObject({ ok: false, code: 'ERR_CONFIG_INVALID' });
    expect(run.json.details.issues[0].field).toBe('issuer.didDomain');
  });

  it('creates a did:web issuer for a domain', () => {
    const run = microcredSync(['init', '--data', path.join(dir, 'web2'), '--did-method', 'web', '--did-domain', 'credentials.example.edu', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.did).toBe('did:web:credentials.example.edu');
  });
});

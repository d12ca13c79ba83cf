// `microcred share` and `microcred certificate` as real processes on the running system's data folder: the link the CLI
// shows is the one the server serves, disabling it makes the server answer 404, and a cohort's PDFs all verify.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialFromPdf } from '../../src/delivery';
import { anchoredText } from '../../src/issuer';
import { sampleRecord, useFuzzSystem } from '../fuzz/system';
import { microcred } from '../helpers/cli';

const state = useFuzzSystem();
const env = () => ({ MICROCRED_PUBLIC_URL: state.sys.system.url });
const data = () => ['--data', path.join(state.sys.dir, 'data')];

describe('microcred share', () => {
  it('show prints the link the server serves; disable makes it 404 and enable brings the same link back', async () => {
    const { sys } = state;
    const shown = await microcred(['share', 'show', sys.credentialId, ...data(), '--json'], { env: env() });
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const url: string = shown.json.share.url;
    expect(url).toBe(sys.system.issuer!.share.shareUrlOf(sys.credentialId));
    expect(shown.json.share).toMatchObject({ credentialId: sys.credentialId, enabled: true, ready: true });
    expect(new URL(shown.json.share.linkedinUrl).searchParams.get('certUrl')).toBe(url);
    expect((await fetch(url)).status).toBe(200);

    const off = await microcred(['share', 'disable', sys.credentialId.replace('urn:uuid:', ''), ...data(), '--json'], { env: env() });
    expect(off.code).toBe(0);
    expect(off.json.share).toMatchObject({ url, enabled: false });
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${url}/certificate.pdf`)).status).toBe(404);

    const on = await microcred(['share', 'enable', sys.credentialId, ...data()], { env: env() });
    expect(on.code).toBe(0);
    expect(on.stdout).toContain(url);
    expect((await fetch(url)).status).toBe(200);

    const unknown = await microcred(['share', 'show', 'urn:uuid:00000000-0000-4000-8000-000000000000', ...data(), '--json'], { env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.json.code).toBe('ERR_CREDENTIAL_NOT_FOUND');
  });
});

describe('microcred certificate from the data folder', () => {
  it('--batch writes one PDF per credential, each carrying the stored credential, and microcred verify finds them all valid', async () => {
    const { sys } = state;
    const store = sys.system.issuer!.store;
    const batchId = store.getCredential(sys.credentialId)!.batchId;
    const cohort = store.listCredentials({ batchId, order: 'asc' }).items;
    expect(cohort.length).toBeGreaterThanOrEqual(2);
    const dir = path.join(sys.dir, 'cohort');
    const run = await microcred(['certificate', '--batch', String(batchId), '--out-dir', dir, '--paper', 'Letter', ...data(), '--json'], { env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json.written).toHaveLength(cohort.length);
    for (const row of cohort) {
      const file = run.json.written.find((f: string) => f.endsWith(`-${row.id.slice('urn:uuid:'.length, 'urn:uuid:'.length + 8)}.pdf`));
      expect(file, row.id).toBeDefined();
      expect(await credentialFromPdf(fs.readFileSync(file))).toBe(anchoredText(row));
    }
    const { system } = sys;
    const verify = await microcred(['verify', dir, '--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress, '--json']);
    expect(verify.code).toBe(0);
    expect(verify.json.summary).toMatchObject({ total: cohort.length, valid: cohort.length });
  });

  it('--id of a credential not anchored yet is refused (exit 1) and writes nothing; a bad --paper is a usage error', async () => {
    const { sys } = state;
    const pending = await sys.system.issuer!.service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const out = path.join(sys.dir, 'pending.pdf');
    const run = await microcred(['certificate', '--id', pending.credentialId, '--out', out, ...data(), '--json'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.json.code).toBe('ERR_CREDENTIAL_NOT_ANCHORED');
    expect(fs.existsSync(out)).toBe(false);
    const paper = await microcred(['certificate', '--id', sys.credentialId, '--out', out, '--paper', 'A3', ...data(), '--json'], { env: env() });
    expect(paper.code).toBe(2);
  });
});

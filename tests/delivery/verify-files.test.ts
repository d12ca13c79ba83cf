// The real system: baked PNG/SVG badges and a PDF certificate of anchored credentials verify valid with `microcred
// verify` (a child process against the embedded chain) and with POST /v1/verify; a tampered one is invalid.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bakePng, bakeSvg, certificatePdf } from '../../src/delivery';
import { useFuzzSystem } from '../fuzz/system';
import { microcred } from '../helpers/cli';
import { TEMPLATE_SVG, templatePng } from './fixtures';

const state = useFuzzSystem();

function tampered(credential: Record<string, unknown>): Record<string, unknown> {
  const subject = credential.credentialSubject as { achievement: Record<string, unknown> };
  return { ...credential, credentialSubject: { ...subject, achievement: { ...subject.achievement, name: 'Brain Surgery' } } };
}

function chainFlags(): string[] {
  const { system } = state.sys;
  return ['--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress, '--json'];
}

async function writeDelivered(dir: string): Promise<void> {
  const { validDi, validJoseEnvelope, system } = state.sys;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'acls-di.png'), bakePng(templatePng(), validDi));
  fs.writeFileSync(path.join(dir, 'acls-jose.png'), bakePng(templatePng(), validJoseEnvelope));
  fs.writeFileSync(path.join(dir, 'acls-di.svg'), bakeSvg(TEMPLATE_SVG, validDi));
  fs.writeFileSync(path.join(dir, 'acls-jose.svg'), bakeSvg(TEMPLATE_SVG, validJoseEnvelope));
  fs.writeFileSync(path.join(dir, 'certificate.pdf'), await certificatePdf(validDi, { verifierUrl: `${system.url}/` }));
}

describe('verifying delivered files against the real system', () => {
  it('microcred verify on a folder of baked PNG and SVG badges and a PDF certificate: all valid, exit 0', async () => {
    const dir = path.join(state.sys.dir, 'delivered');
    await writeDelivered(dir);
    const run = await microcred(['verify', dir, ...chainFlags()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json.summary).toMatchObject({ total: 5, valid: 5, invalid: 0, indeterminate: 0, notCredential: 0 });
    for (const result of run.json.results) expect(result.credentialId, result.file).toMatch(/^urn:uuid:/);
  });

  it('microcred bake and microcred certificate write files that microcred verify finds valid; an unanchored credential is refused', async () => {
    const dir = path.join(state.sys.dir, 'cli');
    fs.mkdirSync(dir, { recursive: true });
    const credential = path.join(dir, 'credential.json');
    fs.writeFileSync(credential, JSON.stringify(state.sys.validJoseEnvelope));
    fs.writeFileSync(path.join(dir, 'template.png'), templatePng());
    fs.writeFileSync(path.join(dir, 'template.svg'), TEMPLATE_SVG);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const png = await microcred(['bake', credential, '--png', path.join(dir, 'template.png'), '--out', path.join(out, 'badge.png')]);
    expect(png.stderr).toBe('');
    expect(png.code).toBe(0);
    expect((await microcred(['bake', credential, '--svg', path.join(dir, 'template.svg'), '--out', path.join(out, 'badge.svg')])).code).toBe(0);
    const pdf = await microcred(['certificate', credential, '--verifier-url', `${state.sys.system.url}/`, '--out', path.join(out, 'certificate.pdf')]);
    expect(pdf.code).toBe(0);
    const again = await microcred(['bake', credential, '--png', path.join(dir, 'template.png'), '--out', path.join(out, 'badge.png')]);
    expect(again.code).toBe(2);
    const run = await microcred(['verify', out, ...chainFlags()]);
    expect(run.code).toBe(0);
    expect(run.json.summary).toMatchObject({ total: 3, valid: 3 });

    fs.writeFileSync(path.join(dir, 'pending.jwt'), state.sys.validJws);
    const refused = await microcred(['bake', path.join(dir, 'pending.jwt'), '--png', path.join(dir, 'template.png'), '--out', path.join(dir, 'pending.png')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no anchor proof');
    expect(fs.existsSync(path.join(dir, 'pending.png'))).toBe(false);
  });

  it('a baked badge whose credential was tampered with is invalid (exit 1); an image without one is counted apart', async () => {
    const dir = path.join(state.sys.dir, 'tampered');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'forged.svg'), bakeSvg(TEMPLATE_SVG, tampered(state.sys.validDi)));
    fs.writeFileSync(path.join(dir, 'plain.png'), templatePng());
    const run = await microcred(['verify', dir, ...chainFlags()]);
    expect(run.code).toBe(1);
    expect(run.json.summary).toMatchObject({ total: 2, valid: 0, invalid: 1, notCredential: 1 });
    const forged = run.json.results.find((r: { file: string }) => r.file.endsWith('forged.svg'));
    expect(forged.reasons.map((r: { check: string }) => r.check)).toContain('signature');
  });

  it('POST /v1/verify takes a baked PNG, a baked SVG and a PDF by media type', async () => {
    const { verifierApp, validDi, validJoseEnvelope, system } = state.sys;
    const post = async (type: string, body: Uint8Array | string) => {
      const response = await verifierApp.request('/v1/verify', { method: 'POST', headers: { 'content-type': type }, body });
      expect(response.status).toBe(200);
      return (await response.json()) as { verdict: string; checks: Array<{ check: string; code: string }> };
    };
    expect((await post('image/png', bakePng(templatePng(), validDi))).verdict).toBe('valid');
    expect((await post('image/svg+xml', bakeSvg(TEMPLATE_SVG, validJoseEnvelope))).verdict).toBe('valid');
    expect((await post('application/pdf', await certificatePdf(validJoseEnvelope, { verifierUrl: `${system.url}/` }))).verdict).toBe('valid');
    expect((await post('image/png', bakePng(templatePng(), tampered(validDi)))).verdict).toBe('invalid');
    const none = await post('image/png', templatePng());
    expect(none.verdict).toBe('invalid');
    expect(none.checks[0]).toMatchObject({ check: 'parse', code: 'FILE_NO_CREDENTIAL' });
  });
});

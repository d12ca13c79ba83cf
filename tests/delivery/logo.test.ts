// The certificate logo file: read and checked by its bytes and size before any certificate is drawn.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LOGO_BYTES, loadLogo } from '../../src/delivery';
import { loadConfig } from '../../src/config';
import { expectCode } from '../helpers/errors';
import { templatePng } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-logo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('certificate logo', () => {
  it('a PNG file loads; a missing file, a file that is not PNG/JPEG and one over 512 KiB are ERR_CERTIFICATE_LOGO', () => {
    const png = path.join(dir, 'logo.png');
    fs.writeFileSync(png, templatePng());
    expect(loadLogo(png).type).toBe('png');
    expectCode(() => loadLogo(path.join(dir, 'missing.png')), 'ERR_CERTIFICATE_LOGO');
    const gif = path.join(dir, 'logo.png.gif');
    fs.writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'));
    expectCode(() => loadLogo(gif), 'ERR_CERTIFICATE_LOGO');
    const big = path.join(dir, 'big.png');
    fs.writeFileSync(big, Buffer.concat([templatePng(), Buffer.alloc(MAX_LOGO_BYTES)]));
    expectCode(() => loadLogo(big), 'ERR_CERTIFICATE_LOGO');
  });

  it('the settings come from the environment: logo, paper size, LinkedIn page id (numeric only)', () => {
    const config = loadConfig({ env: { MICROCRED_CERTIFICATE_LOGO: '/srv/logo.png', MICROCRED_PAPER_SIZE: 'Letter', MICROCRED_LINKEDIN_ORG_ID: '1337' } });
    expect(config.certificate).toEqual({ logo: '/srv/logo.png', paperSize: 'Letter' });
    expect(config.linkedin).toEqual({ organizationId: '1337' });
    expect(loadConfig({ env: {} }).certificate.paperSize).toBe('A4');
    expectCode(() => loadConfig({ env: { MICROCRED_PAPER_SIZE: 'A3' } }), 'ERR_CONFIG_INVALID');
    expectCode(() => loadConfig({ env: { MICROCRED_LINKEDIN_ORG_ID: 'acme' } }), 'ERR_CONFIG_INVALID');
  });
});

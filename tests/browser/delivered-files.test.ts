// The verification page in Chromium against the real system: a baked badge image or a PDF certificate, chosen or
// dropped, is sent as it is and the credential inside it is verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bakePng, bakeSvg, certificatePdf } from '../../src/delivery';
import { startFuzzSystem, type FuzzSystem } from '../fuzz/system';
import { TEMPLATE_SVG, templatePng } from '../delivery/fixtures';
import { launchChromium, startPageServer, type PageServer } from '../helpers/browser';

declare class DataTransfer {
  items: { add(file: unknown): void };
}

let sys: FuzzSystem;
let browser: Browser;
let server: PageServer;

beforeAll(async () => {
  sys = await startFuzzSystem();
  server = await startPageServer(sys.system.verifier!);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sys?.stop();
});

async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(`${server.url}/`);
  return { page, problems };
}

async function announced(page: Page): Promise<string> {
  const status = page.getByRole('status');
  await status.filter({ hasText: 'Verification result' }).waitFor({ timeout: 15_000 });
  return (await status.textContent()) ?? '';
}

describe('verification page with delivered files', () => {
  it('verifies a baked PNG badge chosen with the file input', async () => {
    const { page, problems } = await openPage();
    await page.getByLabel('Or choose a credential file').setInputFiles({ name: 'acls.png', mimeType: 'image/png', buffer: Buffer.from(bakePng(templatePng(), sys.validDi)) });
    expect(await announced(page)).toContain('Verification result: Valid.');
    expect(problems).toEqual([]);
  });

  it('verifies a PDF certificate dropped on the drop zone, and says a tampered baked SVG is not valid', async () => {
    const { page } = await openPage();
    const pdf = Buffer.from(await certificatePdf(sys.validJoseEnvelope, { verifierUrl: `${server.url}/` })).toString('base64');
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'certificate.pdf', { type: 'application/pdf' }));
      return transfer;
    }, pdf);
    await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer });
    expect(await announced(page)).toContain('Verification result: Valid.');

    const forged = bakeSvg(TEMPLATE_SVG, sys.validDi).replace('Advanced Cardiac Life Support', 'Advanced Brain Surgery');
    await page.getByLabel('Or choose a credential file').setInputFiles({ name: 'acls.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(forged) });
    await page.getByRole('status').filter({ hasText: 'Not valid' }).waitFor({ timeout: 15_000 });
  });
});

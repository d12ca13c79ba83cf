// Share links against the real system in Chromium: the page verifies the stored anchored credential as it opens, its
// downloads are the stored credential byte for byte, a disabled link is a plain 404, and the PDF's QR code (decoded
// from the page rendered by pdf.js) and its attachment lead to the same credential, which verifies on the page and
// with `microcred verify`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { credentialFromPdf, unbake } from '../../src/delivery';
import { anchoredText } from '../../src/issuer';
import { startFuzzSystem, sampleRecord, type FuzzSystem } from '../fuzz/system';
import { launchChromium } from '../helpers/browser';
import { decodeQr, renderPdfPage } from '../helpers/browser-pdf';
import { microcred } from '../helpers/cli';

declare class DataTransfer {
  items: { add(file: unknown): void };
}

let sys: FuzzSystem;
let browser: Browser;

beforeAll(async () => {
  sys = await startFuzzSystem();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const issuer = () => sys.system.issuer!;
/** The stored anchored credential, as every channel hands it out. */
const storedText = (id: string): string => anchoredText(issuer().store.getCredential(id)!)!;

async function openPage(url: string): Promise<{ page: Page; problems: string[]; status: number | undefined; headers: Record<string, string> }> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  const response = await page.goto(url);
  return { page, problems, status: response?.status(), headers: response?.headers() ?? {} };
}

async function announced(page: Page): Promise<string> {
  const status = page.getByRole('status');
  await status.filter({ hasText: 'Verification result' }).waitFor({ timeout: 20_000 });
  return (await status.textContent()) ?? '';
}

describe('share page', () => {
  it('opens already verifying the stored anchored credential: valid, no indexing, no referrer, downloads and LinkedIn', async () => {
    const url = issuer().share.shareUrlOf(sys.credentialId);
    expect(url).toMatch(new RegExp(`^${sys.system.url}/c/[A-Za-z0-9_-]{22}$`));
    const { page, problems, status, headers } = await openPage(url);
    expect(status).toBe(200);
    expect(headers['x-robots-tag']).toContain('noindex');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(await announced(page)).toContain('Verification result: Valid.');
    await expect(page.getByRole('heading', { level: 2, name: 'Advanced Cardiac Life Support' }).count()).resolves.toBe(1);
    const linkedin = new URL((await page.getByRole('link', { name: 'Add to LinkedIn profile' }).getAttribute('href'))!);
    expect(linkedin.origin + linkedin.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(linkedin.searchParams.get('certUrl')).toBe(url);
    expect(linkedin.searchParams.get('certId')).toBe(sys.credentialId);
    expect(linkedin.searchParams.get('name')).toBe('Advanced Cardiac Life Support');
    expect(problems).toEqual([]);
  });

  it('a VC-JOSE credential: its page verifies the stored envelope as valid, and its JSON download is that envelope', async () => {
    const jose = issuer().store.listCredentials().items.find((row) => row.format === 'jose' && row.anchorProof !== null)!;
    const url = issuer().share.shareUrlOf(jose.id);
    const { page, problems } = await openPage(url);
    expect(await announced(page)).toContain('Verification result: Valid.');
    expect(JSON.parse(await (await fetch(`${url}/credential.json`)).text())).toEqual(sys.validJoseEnvelope);
    expect(problems).toEqual([]);
  });

  it('has no accessibility violations (axe-core, WCAG 2.1 AA) with the verdict shown', async () => {
    const url = issuer().share.shareUrlOf(sys.credentialId);
    // bypassCSP only so that axe-core can be injected; the page's CSP is sent by the share app like the verifier page's.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(url);
    await announced(page);
    await page.addScriptTag({ content: fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate<Array<{ id: string; nodes: unknown[] }>>(
      `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
    );
    expect(violations.map((v) => `${v.id} (${v.nodes.length})`)).toEqual([]);
  });

  it('downloads are the stored credential byte for byte: the JSON, inside the baked PNG and SVG, and attached to the PDF', async () => {
    const url = issuer().share.shareUrlOf(sys.credentialId);
    const stored = storedText(sys.credentialId);
    expect(JSON.parse(stored)).toEqual(sys.validDi);
    const { page } = await openPage(url);
    await announced(page);
    const bytes: Record<string, Buffer> = {};
    for (const [label, name] of [
      ['Download the credential (JSON)', 'json'],
      ['Download the badge (PNG)', 'png'],
      ['Download the badge (SVG)', 'svg'],
      ['Download the certificate (PDF)', 'pdf'],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label }).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^advanced-cardiac-life-support-[0-9a-f]{8}\\.${name}$`));
      bytes[name] = fs.readFileSync(await download.path());
    }
    expect(bytes.json!.toString('utf8')).toBe(stored);
    expect(Buffer.compare(bytes.json!, Buffer.from(stored, 'utf8'))).toBe(0);
    expect(JSON.parse(unbake(bytes.png!).credential)).toEqual(JSON.parse(stored));
    expect(JSON.parse(unbake(bytes.svg!).credential)).toEqual(JSON.parse(stored));
    expect(await credentialFromPdf(bytes.pdf!)).toBe(stored);
  });

  it('a disabled link answers the same plain 404 as an unknown one, page and files; re-enabled it works again', async () => {
    const id = sys.credentialId;
    const url = issuer().share.shareUrlOf(id);
    issuer().share.setEnabled(id, false, 'test');
    const disabled = await fetch(url);
    const unknown = await fetch(`${sys.system.url}/c/${'A'.repeat(22)}`);
    const malformed = await fetch(`${sys.system.url}/c/nope`);
    const file = await fetch(`${url}/credential.json`);
    expect([disabled.status, unknown.status, malformed.status, file.status]).toEqual([404, 404, 404, 404]);
    const body = await disabled.text();
    expect(body).toContain('Link not found');
    expect(await unknown.text()).toBe(body);
    expect(await file.text()).toBe(body);
    expect(disabled.headers.get('x-robots-tag')).toContain('noindex');
    const { page, status } = await openPage(url);
    expect(status).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Link not found');
    issuer().share.setEnabled(id, true, 'test');
    expect((await fetch(url)).status).toBe(200);
    expect(issuer().share.shareUrlOf(id)).toBe(url);
  });

  it('before anchoring the link says "not ready yet" and serves no file', async () => {
    const pending = await issuer().service.issue(sampleRecord(), { format: 'di', actor: 'test' });
    const url = issuer().share.shareUrlOf(pending.credentialId);
    const { page, status } = await openPage(url);
    expect(status).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This credential is not ready yet');
    expect((await fetch(`${url}/credential.json`)).status).toBe(409);
    expect(issuer().share.info(pending.credentialId, 'test')).toMatchObject({ ready: false, enabled: true, url });
  });

  it('the PDF: QR code (from the page pdf.js renders) and attachment lead to the same credential; it verifies on the page and with microcred verify', async () => {
    const url = issuer().share.shareUrlOf(sys.credentialId);
    const pdf = new Uint8Array(await (await fetch(`${url}/certificate.pdf`)).arrayBuffer());
    const rendered = await renderPdfPage(browser, pdf);
    expect(rendered.points).toEqual({ width: 595.28, height: 841.89 });
    const qr = decodeQr(rendered);
    expect(qr).toBe(url);
    const attached = await credentialFromPdf(pdf);
    expect(attached).toBe(storedText(sys.credentialId));
    // The QR code's page loads the same stored credential the PDF carries.
    const fromQr = await fetch(`${String(qr)}/credential.json`);
    expect(await fromQr.text()).toBe(attached);

    const { page } = await openPage(`${sys.system.url}/`);
    const transfer = await page.evaluateHandle((base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'certificate.pdf', { type: 'application/pdf' }));
      return dt;
    }, Buffer.from(pdf).toString('base64'));
    await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    expect(await announced(page)).toContain('Verification result: Valid.');

    const file = path.join(sys.dir, 'certificate.pdf');
    fs.writeFileSync(file, pdf);
    const { system } = sys;
    const run = await microcred(['verify', file, '--rpc', system.rpcUrls[0]!, '--chain-id', String(system.chainId), '--registry', system.registryAddress, '--json']);
    expect(run.code).toBe(0);
    expect(run.json.results[0].credentialId).toBe(sys.credentialId);
  });
});

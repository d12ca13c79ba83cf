// The verification page in real Chromium with the REAL verifier against a real `hardhat node`: valid, tampered, revoked.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID } from '../../src/chain';
import { createVerifier, type Verifier } from '../../src/verify';
import { launchChromium, screenshotPath, startPageServer, type PageServer } from '../helpers/browser';
import { startRegistryNode, type RegistryNode } from '../helpers/registry-node';
import { anchorBatch, makeIssuer, record, signedDi, type AnchoredBatch } from '../verify/fixtures';

const issuer = makeIssuer('St Example Hospital');
let chain: RegistryNode;
let verifier: Verifier;
let server: PageServer;
let browser: Browser;
let batch: AnchoredBatch;

beforeAll(async () => {
  chain = await startRegistryNode(issuer.did, 'St Example Teaching Hospital');
  const { issuerClient, node, registry } = chain;
  // No image URL: the page would try to load it, and this test makes no request beyond loopback.
  const { image: _image, ...module } = record().module as Record<string, unknown>;
  const credentials = [await signedDi(issuer, { module }), await signedDi(issuer, { module })];
  batch = await anchorBatch(credentials, { chainId: DEV_CHAIN_ID, registry, anchorRoot: (root) => issuerClient.anchor(root) });
  await issuerClient.revoke(batch.leaves[1]!, batch.root, batch.paths[1]!, 1);
  verifier = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 } });
  server = await startPageServer(verifier);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  verifier?.close();
  await chain?.stop();
});

async function verifyOnPage(text: string, shot: string): Promise<{ page: Page; announcement: string; state: string | null }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel('Credential (JSON or JWS)').fill(text);
  await page.getByRole('button', { name: 'Verify credential' }).click();
  const status = page.getByRole('status');
  await status.filter({ hasText: 'Verification result' }).waitFor({ timeout: 30_000 });
  const announcement = (await status.textContent()) ?? '';
  const state = await page.locator('.verdict').first().getAttribute('data-state');
  await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  return { page, announcement, state };
}

describe('verifier page with the real verifier and a hardhat node', () => {
  it('a valid credential shows valid, with the issuer name as registered', async () => {
    const { page, announcement, state } = await verifyOnPage(JSON.stringify(batch.anchored[0]), 'verifier-e2e-valid');
    expect(state).toBe('valid');
    expect(announcement).toContain('Verification result: Valid.');
    const facts = await page.locator('.badge .facts').innerText();
    expect(facts).toContain('St Example Teaching Hospital');
    expect(await page.locator('li[data-check="anchor"]').getAttribute('data-status')).toBe('passed');
    await page.context().close();
  });

  it('a tampered credential shows invalid with the reason', async () => {
    const tampered = { ...batch.anchored[0], name: 'Brain Surgery' };
    const { page, announcement, state } = await verifyOnPage(JSON.stringify(tampered), 'verifier-e2e-tampered');
    expect(state).toBe('invalid');
    expect(announcement).toContain('Reason: The credential was changed after it was signed');
    expect(await page.locator('li[data-check="signature"]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('li[data-check="anchor"]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('.tech-checks').textContent()).toContain('ANCHOR_PATH_MISMATCH');
    await page.context().close();
  });

  it('a revoked credential shows revoked', async () => {
    const { page, announcement, state } = await verifyOnPage(JSON.stringify(batch.anchored[1]), 'verifier-e2e-revoked');
    expect(state).toBe('revoked');
    expect(announcement).toContain('Verification result: Revoked.');
    expect(await page.locator('li[data-check="revocation"]').innerText()).toContain('The issuer revoked it');
    expect(await page.locator('.tech-checks').textContent()).toContain('REVOCATION_REVOKED');
    // Nothing left loopback: every request the page server saw was to itself.
    expect(server.requestUrls.every((url) => url.startsWith(server.url))).toBe(true);
    await page.context().close();
  });
});

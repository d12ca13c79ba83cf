// The page, verdict first, in real headless Chromium with the real verifier against a real `hardhat node`: every
// state at desktop and phone size, focus, accessibility (axe-core), plain words, print on one page, recipient check.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHAIN_ID } from '../../src/chain';
import { createVerifier, type Verifier } from '../../src/verify';
import { launchChromium, screenshotPath, startPageServer, type PageServer } from '../helpers/browser';
import { startRegistryNode, type RegistryNode } from '../helpers/registry-node';
import jsigsModule from 'jsonld-signatures';
import { DataIntegrityProof, eddsaRdfc2022 } from '../../src/libraries';
import { testLoader } from '../signing/fixtures';
import { NOW, anchorBatch, makeIssuer, record, signedDi } from '../verify/fixtures';

const jsigs = jsigsModule as unknown as {
  sign(doc: object, options: { suite: unknown; purpose: unknown; documentLoader: unknown }): Promise<Record<string, unknown>>;
  purposes: { AuthenticationProofPurpose: new (o: { challenge: string; domain?: string }) => unknown };
};

// The page functions below run inside Chromium. The project compiles without the DOM library, so declare what they use.
declare const window: { innerHeight: number; innerWidth: number; axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } };
declare const document: { activeElement: { classList?: { contains(name: string): boolean }; getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } } | null };

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const EMAIL = 'ada.lovelace@example.org';

const issuer = makeIssuer('St Example Hospital');
const victim = makeIssuer('Victor Victim (a did:key holder)');
const thief = makeIssuer('A throwaway did:key');

/** A presentation of `credentials` signed by `signer` (no challenge: the page asks for none). */
async function present(signer: typeof thief, credentials: unknown[]): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: signer.signingKey.dataIntegritySigner() });
  const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: signer.did, verifiableCredential: credentials };
  return jsigs.sign(vp, { suite, purpose: new jsigs.purposes.AuthenticationProofPurpose({ challenge: 'page-link' }), documentLoader: testLoader });
}
let chain: RegistryNode;
let verifier: Verifier;
let server: PageServer;
let browser: Browser;
let registry: string;
/** The text given to the page for each scenario (a `#vc=` scenario opens a link instead). */
const inputs: Record<string, string> = {};

beforeAll(async () => {
  chain = await startRegistryNode(issuer.did, 'St Example Teaching Hospital');
  registry = chain.registry;
  const { issuerClient, node } = chain;
  // No image URL: the page would try to load it, and this test makes no request beyond loopback.
  const { image: _image, ...module } = record().module as Record<string, unknown>;
  const base = { module, learner: { email: EMAIL, name: 'Ada Lovelace' }, result: { value: 'Distinction', status: 'Completed' } };
  const documents = [
    await signedDi(issuer, base),
    await signedDi(issuer, base),
    await signedDi(issuer, base),
    await signedDi(issuer, { ...base, completedAt: '2022-01-10T09:00:00Z', validFor: 'P2Y' }),
    await signedDi(issuer, { ...base, learner: { name: 'Victor Victim', did: victim.did } }),
  ];
  const batch = await anchorBatch(documents, { chainId: DEV_CHAIN_ID, registry, anchorRoot: (root) => issuerClient.anchor(root) });
  await issuerClient.revoke(batch.leaves[1]!, batch.root, batch.paths[1]!, 1); // issued_in_error
  await issuerClient.suspend(batch.leaves[2]!, batch.root, batch.paths[2]!, 7); // under_review
  const valid = batch.anchored[0]!;
  const subject = valid.credentialSubject as Record<string, unknown>;
  const tampered = { ...valid, credentialSubject: { ...subject, achievement: { ...(subject.achievement as object), name: 'Brain Surgery', creditsAvailable: 99 } } };
  Object.assign(inputs, {
    valid: JSON.stringify(valid),
    revoked: JSON.stringify(batch.anchored[1]),
    suspended: JSON.stringify(batch.anchored[2]),
    expired: JSON.stringify(batch.anchored[3]),
    tampered: JSON.stringify(tampered),
    'issuer-not-in-registry': JSON.stringify(await signedDi(makeIssuer('Unregistered College'), base)),
    pending: JSON.stringify(await signedDi(issuer, base)),
    garbage: 'Dear HR, please find my certificate attached. Kind regards, Ada',
    link: JSON.stringify(valid),
    stolen: JSON.stringify(await present(thief, [batch.anchored[4]!])),
    presented: JSON.stringify(await present(victim, [batch.anchored[4]!])),
  });
  verifier = createVerifier({ chain: { rpcUrls: [node.url], chainId: DEV_CHAIN_ID, registryAddress: registry, statusTtlMs: 0 }, now: () => NOW });
  server = await startPageServer(verifier);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  verifier?.close();
  await chain?.stop();
});

/** Opens the page at `size`, verifies the scenario's input (typed and submitted, or opened as a #vc= link). */
async function verifyOnPage(scenario: string, size: (typeof SIZES)[number]): Promise<{ page: Page; problems: string[] }> {
  // bypassCSP only so that axe-core can be injected; the page's own CSP is tested in verifier-page.test.ts.
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  if (scenario === 'link') {
    await page.goto(`${server.url}/#vc=${Buffer.from(inputs.link!).toString('base64url')}`);
  } else {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Credential (JSON or JWS)').fill(inputs[scenario]!);
    await page.getByRole('button', { name: 'Verify credential' }).click();
  }
  await page.getByRole('status').filter({ hasText: 'Verification result' }).waitFor({ timeout: 30_000 });
  return { page, problems };
}

/** The page's visible text of the result: what a person reads without opening a disclosure. */
const visibleResult = (page: Page) => page.locator('#result').innerText();

const EXPECTED_STATE: Record<string, string | undefined> = {
  valid: 'valid',
  revoked: 'revoked',
  suspended: 'suspended',
  expired: 'expired',
  tampered: 'invalid',
  // Another change names this state (issuer-not-in-registry); here it is only required not to be valid.
  'issuer-not-in-registry': undefined,
  pending: 'pending-anchor',
  garbage: 'not-a-credential',
  link: 'valid',
};

describe('verification page, verdict first', () => {
  for (const scenario of Object.keys(EXPECTED_STATE)) {
    it(`${scenario}: verdict in view and focused at both sizes, plain words, no axe violations, prints on one page`, async () => {
      for (const size of SIZES) {
        const { page, problems } = await verifyOnPage(scenario, size);
        const banner = page.locator('#result .verdict').first();
        const state = await banner.getAttribute('data-state');
        if (EXPECTED_STATE[scenario] !== undefined) expect(state, size.name).toBe(EXPECTED_STATE[scenario]);
        else expect(state).not.toBe('valid');
        expect((await banner.locator('.verdict-title').innerText()).trim()).not.toBe('');
        expect((await banner.locator('.verdict-text').innerText()).trim()).not.toBe('');

        // Focus is on the verdict, and the whole verdict is inside the viewport.
        const focus = await page.evaluate(() => {
          const active = document.activeElement;
          const box = active?.getBoundingClientRect();
          return { isVerdict: active?.classList?.contains('verdict') === true, box, height: window.innerHeight, width: window.innerWidth };
        });
        expect(focus.isVerdict, `${scenario} ${size.name}: focus on the verdict`).toBe(true);
        expect(focus.box!.top).toBeGreaterThanOrEqual(0);
        expect(focus.box!.bottom).toBeLessThanOrEqual(focus.height);
        expect(focus.box!.right).toBeLessThanOrEqual(focus.width);

        // Plain words: no codes, no DIDs, no raw timestamps, no "Not applicable" outside the closed disclosures.
        const text = await visibleResult(page);
        expect(text).not.toMatch(/\b[A-Z]{3,}_[A-Z_]{2,}\b/);
        expect(text).not.toMatch(/did:[a-z]+:/);
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
        expect(text).not.toContain('Not applicable');
        if (scenario !== 'garbage') {
          // When and against which registry: the dev chain's id and the registry's address.
          expect(text).toContain('Checked on');
          expect(text).toContain(registry);
          expect(text).toContain('chain id 31337');
          expect(await page.locator('#chain-banner').isVisible()).toBe(true);
        }

        await page.addScriptTag({ content: AXE_SOURCE });
        const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        expect(axe.violations.map((v) => `${v.id} (${v.nodes.length})`), `${scenario} ${size.name}: axe`).toEqual([]);
        await page.screenshot({ path: screenshotPath(`verdict-${scenario}-${size.name}`), fullPage: true });

        if (size.name === 'desktop') {
          await page.emulateMedia({ media: 'print' });
          expect(await page.locator('#verify-form').isVisible()).toBe(false);
          expect(await page.locator('.tech').first().isVisible()).toBe(false);
          expect(await page.locator('#result .verdict').first().isVisible()).toBe(true);
          expect(await page.locator('#result .recheck').isVisible()).toBe(true);
          // The printed page carries the development-chain warning inside the result.
          if (scenario !== 'garbage') expect(await page.locator('#result .dev-note').isVisible()).toBe(true);
          for (const format of ['A4', 'Letter'] as const) {
            const pdf = await page.pdf({ format, printBackground: true });
            expect(pageCount(pdf), `${scenario}: ${format} pages`).toBe(1);
          }
          await page.screenshot({ path: screenshotPath(`verdict-${scenario}-print`), fullPage: true });
        }
        expect(problems).toEqual([]);
        await page.context().close();
      }
    }, 120_000);
  }

  it('valid: the card shows achievement, registered issuer, recipient, dates, credits, result and criteria', async () => {
    const { page } = await verifyOnPage('valid', SIZES[0]);
    const card = page.locator('#result .badge');
    expect(await card.getAttribute('data-trust')).toBe('trusted');
    const text = await card.innerText();
    for (const words of ['Advanced Cardiac Life Support', 'Issuer (as registered)', 'St Example Teaching Hospital', 'Recipient', 'Ada Lovelace',
      'Valid from', 'March 1, 2025', 'Valid until', 'March 1, 2027', 'CPD credits', '8', 'Result', 'Distinction, Completed', 'Criteria', 'Completed the ACLS e-learning and passed the megacode simulation.']) {
      expect(text).toContain(words);
    }
    await page.context().close();
  });

  it('revoked and suspended: the issuer’s reason is given in words', async () => {
    for (const [scenario, words] of [['revoked', 'it was issued in error'], ['suspended', 'it is under review']] as const) {
      const { page } = await verifyOnPage(scenario, SIZES[1]);
      expect(await page.locator('#result .verdict').first().innerText()).toContain(`Reason given by the issuer: ${words}.`);
      await page.context().close();
    }
  });

  it('tampered: no forged detail is shown as trusted; the claims stay behind a closed, marked disclosure', async () => {
    const { page } = await verifyOnPage('tampered', SIZES[0]);
    expect(await page.locator('#result [data-trust="trusted"], #result [data-trust="caution"]').count()).toBe(0);
    expect(await page.locator('#result [data-trust="untrusted"]').count()).toBe(1);
    const text = await visibleResult(page);
    expect(text).not.toContain('Brain Surgery');
    expect(text).not.toMatch(/\b99\b/);
    await page.getByText('Show what it claims (unconfirmed, may be forged)').click();
    expect(await page.locator('.facts-untrusted').innerText()).toContain('Brain Surgery');
    await page.context().close();
  });

  it('a presentation: someone else’s credential is “Not presented by its holder”; the holder’s own is valid', async () => {
    const stolen = await verifyOnPage('stolen', SIZES[1]);
    expect(await stolen.page.locator('#result .verdict').first().getAttribute('data-state')).toBe('holder-not-bound');
    const text = await visibleResult(stolen.page);
    expect(text).toContain('It was issued to someone other than the person who presented it.');
    expect(text).not.toContain('Presented by its holder');
    await stolen.page.screenshot({ path: screenshotPath('verdict-stolen-presentation-phone'), fullPage: true });
    await stolen.page.context().close();
    const own = await verifyOnPage('presented', SIZES[1]);
    expect(await own.page.locator('#result .verdict').first().getAttribute('data-state')).toBe('valid');
    expect(await visibleResult(own.page)).toContain('Presented by its holder: the person it was issued to signed this presentation.');
    await own.page.context().close();
  });

  it('recipient check: a matching and a non-matching email, hashed in the browser; the email never leaves it', async () => {
    const { page } = await verifyOnPage('valid', SIZES[1]);
    const sent: string[] = [];
    page.on('request', (request) => sent.push(`${request.url()} ${request.postData() ?? ''}`));
    const field = page.getByLabel('Applicant’s email address');
    const answer = page.locator('.recipient-answer');
    await field.fill(`  ${EMAIL.toUpperCase()} `);
    await page.getByRole('button', { name: 'Check email' }).click();
    await answer.filter({ hasText: 'Matches' }).waitFor();
    expect(await answer.getAttribute('data-match')).toBe('yes');
    await field.fill('eve@example.org');
    await page.getByRole('button', { name: 'Check email' }).click();
    await answer.filter({ hasText: 'Does not match' }).waitFor();
    expect(await answer.getAttribute('data-match')).toBe('no');
    // Verifying again still works (a request is made), and no request of any kind carried either email.
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/v1/verify')),
      page.getByRole('button', { name: 'Verify credential' }).click(),
    ]);
    expect(sent.length).toBeGreaterThan(0);
    for (const line of [...sent, ...server.requestUrls]) {
      for (const email of [EMAIL, 'eve@example.org', encodeURIComponent(EMAIL), 'eve%40example.org']) expect(line.toLowerCase()).not.toContain(email);
    }
    await page.context().close();
  });
});

/** Pages in a PDF from Chromium: its page objects (`/Type /Page`, not `/Pages`). */
function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

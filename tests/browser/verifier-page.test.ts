// The employer's verification page in real headless Chromium against a real HTTP server: every state, every way in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath, startPageServer, type PageServer } from '../helpers/browser';
import { SAMPLE_JWS, StandInVerifier, credentialFor, type Scenario } from '../server/stand-in-verifier';

// The page functions below run inside Chromium. The project compiles without the DOM library, so declare what they use.
declare const window: { __pwned?: number };
declare const document: { activeElement: unknown };
declare function getComputedStyle(node: unknown): { outlineStyle: string; backgroundColor: string; borderLeftColor: string };
declare class DataTransfer {
  items: { add(file: unknown): void };
}

let browser: Browser;
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer(new StandInVerifier());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page on the verifier; collects script errors and CSP violations, which must stay empty. */
async function openPage(hash = ''): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${server.url}/${hash}`);
  return { page, problems };
}

/** Waits until the live region announces a verification result, and returns its text. */
async function announced(page: Page, prefix = 'Verification result'): Promise<string> {
  const status = page.getByRole('status');
  await status.filter({ hasText: prefix }).waitFor({ timeout: 15_000 });
  return (await status.textContent()) ?? '';
}

/** Whether focus is on the verdict banner (verdict first, whichever way the credential came in). */
function verdictHasFocus(page: Page): Promise<boolean> {
  return page.locator('#result .verdict').first().evaluate((node) => node === document.activeElement);
}

async function pasteAndVerify(page: Page, text: string): Promise<void> {
  await page.getByLabel('Credential (JSON or JWS)').fill(text);
  await page.getByRole('button', { name: 'Verify credential' }).click();
}

/** What each scenario must show: the banner's state and title words. */
const EXPECTED: ReadonlyArray<{ scenario: Scenario; state: string; title: string }> = [
  { scenario: 'valid', state: 'valid', title: 'Valid' },
  { scenario: 'invalid', state: 'invalid', title: 'Not valid' },
  { scenario: 'indeterminate', state: 'indeterminate', title: 'Could not check' },
  { scenario: 'expired', state: 'expired', title: 'Expired' },
  { scenario: 'not-yet-valid', state: 'not-yet-valid', title: 'Not yet valid' },
  { scenario: 'revoked', state: 'revoked', title: 'Revoked' },
  { scenario: 'suspended', state: 'suspended', title: 'Suspended' },
  { scenario: 'pending-anchor', state: 'pending-anchor', title: 'Pending anchor' },
  { scenario: 'unaccredited', state: 'issuer-not-in-registry', title: 'Issuer unknown to this registry' },
  { scenario: 'issuer-suspended', state: 'issuer-not-accredited', title: 'Issuer not accredited' },
];

describe('verifier page in Chromium', () => {
  it('renders every verdict and flag with its own words, icon and colour, announced in the live region', async () => {
    const { page, problems } = await openPage();
    const looks: Array<{ state: string; title: string; icon: string; background: string; border: string }> = [];
    for (const { scenario, state, title } of EXPECTED) {
      await pasteAndVerify(page, JSON.stringify(credentialFor(scenario)));
      const text = await announced(page);
      expect(text).toContain(`Verification result: ${title}.`);
      const banner = page.locator('.verdict').first();
      expect(await banner.getAttribute('data-state')).toBe(state);
      expect(await banner.locator('.verdict-title').textContent()).toBe(title);
      looks.push(
        await banner.evaluate((node, s) => {
          const style = getComputedStyle(node);
          return {
            state: s,
            title: node.querySelector('.verdict-title')?.textContent ?? '',
            icon: node.querySelector('svg')?.getAttribute('class') ?? '',
            background: style.backgroundColor,
            border: style.borderLeftColor,
          };
        }, state),
      );
      await page.screenshot({ path: screenshotPath(`verifier-page-${state}`), fullPage: true });
      // Clear between scenarios so that each wait sees a fresh announcement.
      await page.getByRole('button', { name: 'Clear' }).click();
    }
    for (const key of ['title', 'icon', 'background', 'border'] as const) {
      expect(new Set(looks.map((look) => look[key])).size, `distinct ${key}`).toBe(looks.length);
    }
    expect(problems).toEqual([]);
  });

  it('shows the badge, the checks in plain words, and the reason of an invalid credential', async () => {
    const { page, problems } = await openPage();
    await pasteAndVerify(page, JSON.stringify(credentialFor('invalid')));
    expect(await announced(page)).toContain('Reason: The credential was changed after it was signed');
    await page.getByText('Reason:', { exact: true }).waitFor();
    // A credential whose signature fails shows none of its details as fact.
    expect(await page.locator('.badge').getAttribute('data-trust')).toBe('untrusted');
    const signature = page.locator('li[data-check="signature"]');
    expect(await signature.getAttribute('data-status')).toBe('failed');
    expect(await signature.innerText()).toContain('Problem: Digital signature');
    expect(await page.locator('li[data-check="anchor"]').innerText()).toContain('OK: Recorded on the registry');
    expect(await page.locator('li[data-check="status-list"]').innerText()).toContain('Not needed: Status list');
    // Codes are in the closed technical details, not in the sentences.
    expect(await page.locator('.check-list').innerText()).not.toContain('SIGNATURE_INVALID');
    await page.getByText('Technical details (codes, identifiers, times)').click();
    expect(await page.locator('.tech-checks').innerText()).toContain('signature · failed · SIGNATURE_INVALID');

    await page.getByRole('button', { name: 'Clear' }).click();
    await pasteAndVerify(page, JSON.stringify(credentialFor('valid')));
    await announced(page);
    await page.getByRole('heading', { level: 3, name: 'Advanced Cardiac Life Support' }).waitFor();
    await page.getByRole('img', { name: 'Badge image for Advanced Cardiac Life Support' }).waitFor();
    const facts = await page.locator('.badge .facts').innerText();
    for (const words of ['Issuer (as registered)', 'St Example Teaching Hospital', 'Recipient', 'Valid from', 'March 1, 2025', 'Valid until', 'CPD credits', '12']) {
      expect(facts).toContain(words);
    }
    // Headings never skip a level, and the form's controls have real labels.
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((nodes) => nodes.map((n) => Number(n.tagName[1])));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeLessThanOrEqual(levels[i - 1]! + 1);
    await page.getByLabel('Or choose a credential file').waitFor({ state: 'attached' });
    expect(await page.getByRole('status').getAttribute('aria-live')).toBe('polite');
    expect(problems).toEqual([]);
  });

  it('shows an issuer the registry does not confirm only as a claim', async () => {
    const { page } = await openPage();
    await pasteAndVerify(page, JSON.stringify(credentialFor('unaccredited')));
    await announced(page);
    // The registry does not confirm the issuer, so its name is only a claim, behind a closed disclosure.
    expect(await page.locator('.badge').getAttribute('data-trust')).toBe('untrusted');
    expect(await page.locator('#result').innerText()).not.toContain('Totally Real University');
    await page.getByText('Show what it claims (unconfirmed, may be forged)').click();
    expect(await page.locator('.facts-untrusted').innerText()).toContain('Claimed issuer\nTotally Real University');
  });

  it('treats hostile badge text as text: no markup runs and no javascript: image is shown', async () => {
    const { page, problems } = await openPage();
    await pasteAndVerify(page, JSON.stringify(credentialFor('hostile-summary')));
    await announced(page);
    await page.getByRole('heading', { level: 3, name: '<img src=x onerror="window.__pwned=1">Hacked' }).waitFor();
    expect(await page.locator('.badge img').count()).toBe(0);
    expect(await page.locator('.badge .facts').innerText()).toContain('<script>window.__pwned=3</script>');
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('verifies a pasted compact JWS (sent as text)', async () => {
    const { page } = await openPage();
    await pasteAndVerify(page, SAMPLE_JWS);
    expect(await announced(page)).toContain('Verification result: Valid.');
    await page.screenshot({ path: screenshotPath('verifier-page-jws'), fullPage: true });
  });

  it('shows a problem from the server in plain words, and asks for input when there is none', async () => {
    const { page, problems } = await openPage();
    await page.getByRole('button', { name: 'Verify credential' }).click();
    await page.getByRole('alert').filter({ hasText: 'Paste a credential' }).waitFor();
    expect(await page.getByLabel('Credential (JSON or JWS)').getAttribute('aria-invalid')).toBe('true');
    await pasteAndVerify(page, '{"oops": ');
    expect(await announced(page, 'could not be checked')).toContain('The body is not well-formed JSON');
    expect(await page.locator('.problem').getAttribute('data-state')).toBe('problem');
    await page.screenshot({ path: screenshotPath('verifier-page-problem'), fullPage: true });
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
  });

  it('verifies a file chosen with the file input', async () => {
    const { page } = await openPage();
    await page.getByLabel('Or choose a credential file').setInputFiles({
      name: 'credential.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(credentialFor('suspended'))),
    });
    expect(await announced(page)).toContain('Verification result: Suspended.');
    expect(await verdictHasFocus(page)).toBe(true);
    expect(await page.getByLabel('Credential (JSON or JWS)').inputValue()).toContain('urn:scenario:suspended');
  });

  it('verifies a file dropped on the drop zone', async () => {
    const { page } = await openPage();
    const text = JSON.stringify(credentialFor('expired'));
    const dataTransfer = await page.evaluateHandle((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'badge.json', { type: 'application/json' }));
      return transfer;
    }, text);
    await page.locator('#drop-zone').dispatchEvent('dragover', { dataTransfer });
    await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer });
    expect(await announced(page)).toContain('Verification result: Expired.');
    expect(await verdictHasFocus(page)).toBe(true);
  });

  it('verifies the credential carried in a #vc= link fragment, which never reaches the server', async () => {
    const presentation = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [credentialFor('valid'), credentialFor('pending-anchor')],
    };
    const encoded = Buffer.from(JSON.stringify(presentation)).toString('base64url');
    const { page, problems } = await openPage(`#vc=${encoded}`);
    expect(await announced(page)).toContain('Verification result: Pending anchor.');
    await page.getByRole('heading', { name: 'Credential 2 of 2' }).waitFor();
    await page.getByRole('heading', { name: 'Presentation checks' }).waitFor();
    await page.screenshot({ path: screenshotPath('verifier-page-presentation-link'), fullPage: true });
    expect(server.requestUrls.some((url) => url.includes('vc=') || url.includes(encoded.slice(0, 20)))).toBe(false);
    expect(problems).toEqual([]);
  });

  it('says so when a link fragment is not a readable credential', async () => {
    const { page } = await openPage('#vc=%%%not-base64');
    await page.getByRole('alert').filter({ hasText: 'The link does not carry a readable credential' }).waitFor();
  });

  it('works with the keyboard alone, with a visible focus ring', async () => {
    const { page, problems } = await openPage();
    const textarea = page.getByLabel('Credential (JSON or JWS)');
    let presses = 0;
    while (!(await textarea.evaluate((node) => node === document.activeElement)) && presses < 10) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(presses).toBeLessThan(10);
    expect(await textarea.evaluate((node) => getComputedStyle(node).outlineStyle)).not.toBe('none');
    await page.keyboard.insertText(JSON.stringify(credentialFor('revoked')));
    const button = page.getByRole('button', { name: 'Verify credential' });
    presses = 0;
    while (!(await button.evaluate((node) => node === document.activeElement)) && presses < 10) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(presses).toBeLessThan(10);
    expect(await button.evaluate((node) => getComputedStyle(node).outlineStyle)).toBe('solid');
    await page.screenshot({ path: screenshotPath('verifier-page-keyboard-focus') });
    await page.keyboard.press('Enter');
    expect(await announced(page)).toContain('Verification result: Revoked.');
    expect(problems).toEqual([]);
  });
});

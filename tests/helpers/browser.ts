// Real-browser helpers: Debian's Chromium driven by playwright-core, and the verifier page served over real HTTP.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { listen, type RunningServer } from '../../src/server/listen';
import { createVerifierApp, type VerifierAppOptions } from '../../src/server/verifier-app';
import type { CredentialVerifier } from '../../src/verify/result';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** The Chromium binary: `$MICROCRED_CHROMIUM`, else Debian's /usr/bin/chromium (scripts/ensure-browser.sh installs it). */
export const CHROMIUM_PATH = process.env.MICROCRED_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium headless, offline and quiet. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches headless Chromium. Playwright gives every launch a fresh temporary user-data dir and deletes it on close,
 * so no state leaks between runs. Close the browser in afterAll.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A running verifier page server, with the URLs of every request it received (to prove what reaches the server). */
export interface PageServer extends RunningServer {
  readonly requestUrls: readonly string[];
}

/**
 * Serves the verifier app (API and page) for any CredentialVerifier on 127.0.0.1 and a free port, over real HTTP.
 * Rate limiting is off unless given, so a browser test never trips it. Call `close()` in afterAll.
 */
export async function startPageServer(verifier: CredentialVerifier, options: Partial<VerifierAppOptions> = {}): Promise<PageServer> {
  const app = createVerifierApp({ rateLimit: false, ...options, verifier });
  const requestUrls: string[] = [];
  const server = await listen({
    fetch: (request, env) => {
      requestUrls.push(request.url);
      return app.fetch(request, env);
    },
  });
  return { ...server, requestUrls };
}

/** The path of a screenshot named `name`, creating the artifacts folder when needed. */
export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${name}.png`);
}

// Test fixture for the issuer: a real store in a temp folder, a did:key (or did:web) keyring from it, the service and app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { createIssuerService, createModuleCatalog, loadOrCreateIssuerKeyring, type IssuerService } from '../../src/issuer';
import { createIssuerApp, type IssuerAppOptions } from '../../src/server/issuer-app';
import { openStore, type Store } from '../../src/store';
import type { TokenScope } from '../../src/store/types';
import { sampleRecord as record } from '../helpers/records';
export { record };

/** A data-folder secret long enough for the store. */
export const SECRET = 'issuer-test-secret-0123456789';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A temp folder removed after the test. */
export function tempDir(prefix = 'microcred-issuer-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Everything a test of the service or the app needs, closed after the test. */
export interface IssuerFixture {
  dir: string;
  store: Store;
  service: IssuerService;
  now: () => Date;
  tokens: Record<'issue' | 'status' | 'admin', string>;
  app: ReturnType<typeof createIssuerApp>;
}

/** Builds a fixture; `didWeb` gives a did:web issuer for example.org. */
export function issuerFixture(options: { didWeb?: boolean; app?: Partial<IssuerAppOptions>; maxLeaves?: number } = {}): IssuerFixture {
  const dir = tempDir();
  const now = () => new Date('2025-03-01T10:00:00Z');
  const store = openStore({ path: path.join(dir, 'microcred.sqlite'), secret: SECRET, now });
  cleanups.push(() => store.close());
  const { keyring } = loadOrCreateIssuerKeyring(store, {
    didMethod: options.didWeb === true ? 'web' : 'key',
    ...(options.didWeb === true ? { domain: 'example.org' } : {}),
    profile: { name: 'Example Medical School', url: 'https://example.org' },
    actor: 'test',
  });
  const catalog = createModuleCatalog({ store, baseUrl: () => 'https://issuer.example.org' });
  const service = createIssuerService({ store, issuer: keyring, loader: defaultDocumentLoader(), now, batch: { maxLeaves: options.maxLeaves ?? 1000 }, catalog });
  cleanups.push(() => service.close());
  const tokens = {} as Record<'issue' | 'status' | 'admin', string>;
  for (const scope of ['issue', 'status', 'admin'] as TokenScope[]) tokens[scope] = store.createToken(`${scope} token`, [scope], 'test').token;
  const app = createIssuerApp({ service, store, now, onUnexpected: (e) => console.error(e), ...options.app });
  return { dir, store, service, now, tokens, app };
}

// Test fixture for status lists: a real store in a temp folder, an issuer with an allocator and a publisher over it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import { createIssuerService, loadOrCreateIssuerKeyring, type IssuerService } from '../../src/issuer';
import type { IssuerKeyring } from '../../src/signing/issuer';
import { createStatusAllocator, createStatusListPublisher, type StatusListPublisher } from '../../src/status';
import { openStore, type Store } from '../../src/store';

/** A data-folder secret long enough for the store. */
export const SECRET = 'status-test-secret-0123456789';
/** The base URL lists are published under in these tests. */
export const BASE = 'https://credentials.example.edu';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers a cleanup run after the current test. */
export function onCleanup(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup);
}

/** A temp folder removed after the test. */
export function tempDir(prefix = 'microcred-status-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Everything a status list test needs. */
export interface StatusFixture {
  dir: string;
  store: Store;
  keyring: IssuerKeyring;
  service: IssuerService;
  publisher: StatusListPublisher;
  now: () => Date;
}

/** A store, a did:key issuer, the issuer service with status entries, and the list publisher; `base` as given. */
export function statusFixture(options: { base?: () => string; now?: () => Date; dir?: string } = {}): StatusFixture {
  const dir = options.dir ?? tempDir();
  const now = options.now ?? (() => new Date());
  const store = openStore({ path: path.join(dir, 'microcred.sqlite'), secret: SECRET, now });
  cleanups.push(() => store.close());
  const { keyring } = loadOrCreateIssuerKeyring(store, { didMethod: 'key', profile: { name: 'Example Medical School', url: 'https://example.org' }, actor: 'test' });
  const baseUrl = options.base ?? (() => BASE);
  const loader = defaultDocumentLoader();
  const status = createStatusAllocator({ lists: store.statusLists, baseUrl });
  const service = createIssuerService({ store, issuer: keyring, loader, now, status });
  cleanups.push(() => service.close());
  const publisher = createStatusListPublisher({ lists: store.statusLists, keyring, loader, baseUrl, now });
  return { dir, store, keyring, service, publisher, now };
}

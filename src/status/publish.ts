// Publishes status lists: the stored bits as a BitstringStatusListCredential, signed by the issuer, re-signed on change.
import { createHash } from 'node:crypto';
import type { DocumentLoader } from '../contexts';
import { xsdDateTime } from '../credential';
import { signDataIntegrity } from '../signing';
import type { IssuerKeyring } from '../signing';
import { signJose } from '../signing';
import type { StatusListRow, StatusLists } from '../store';
import { bitstringOf, statusListCredentialOf } from '../libraries';
import { statusListUrl } from './entries';

/** How long a verifier may reuse a fetched list (the list's `ttl`, and the HTTP max-age): five minutes. */
export const DEFAULT_STATUS_LIST_TTL_MS = 5 * 60 * 1000;
/** How long a signed list stays valid (`validUntil`); it is re-signed once half of that has passed. */
export const DEFAULT_STATUS_LIST_VALIDITY_MS = 24 * 60 * 60 * 1000;

/** One list as served: the signed credential (JSON, or a compact JWS for the jose family) and its cache facts. */
export interface PublishedStatusList {
  readonly id: string;
  readonly url: string;
  readonly family: StatusListRow['family'];
  readonly purpose: StatusListRow['purpose'];
  readonly revision: number;
  readonly body: string;
  readonly contentType: string;
  /** A strong ETag of the body. */
  readonly etag: string;
  readonly ttlMs: number;
}

/** Options of {@link createStatusListPublisher}. */
export interface StatusListPublisherOptions {
  readonly lists: StatusLists;
  readonly keyring: IssuerKeyring;
  readonly loader: DocumentLoader;
  /** The issuer's public base URL (see StatusAllocatorOptions.baseUrl). */
  readonly baseUrl: () => string;
  readonly now?: () => Date;
  readonly ttlMs?: number;
  readonly validityMs?: number;
}

/** Serves signed lists from the store. */
export interface StatusListPublisher {
  /** The current signed list, re-signed first when its bits changed or its validity is half spent; null when unknown. */
  get(listId: string): Promise<PublishedStatusList | null>;
  /** Every list, each current. */
  all(): Promise<PublishedStatusList[]>;
}

/** Media type of a signed list: the VC-JOSE type for JWS, JSON-LD for Data Integrity (what JSON-LD loaders accept). */
function contentTypeOf(family: StatusListRow['family']): string {
  return family === 'jose' ? 'application/vc+jwt' : 'application/ld+json';
}

/** The publisher over the store's lists, signing with the issuer's current key in the list's securing family. */
export function createStatusListPublisher(options: StatusListPublisherOptions): StatusListPublisher {
  const now = options.now ?? ((): Date => new Date());
  const ttlMs = options.ttlMs ?? DEFAULT_STATUS_LIST_TTL_MS;
  const validityMs = options.validityMs ?? DEFAULT_STATUS_LIST_VALIDITY_MS;

  async function sign(row: StatusListRow, url: string): Promise<string> {
    const unsigned = await statusListCredentialOf(url, bitstringOf(row.bits), row.purpose);
    const at = now();
    const credential: Record<string, unknown> = {
      ...unsigned,
      issuer: options.keyring.did,
      validFrom: xsdDateTime(at),
      validUntil: xsdDateTime(new Date(at.getTime() + validityMs)),
      credentialSubject: { ...unsigned.credentialSubject, ttl: ttlMs },
    };
    if (row.family === 'jose') return signJose(credential, { signingKey: options.keyring.signingKey });
    return JSON.stringify(await signDataIntegrity(credential, { signingKey: options.keyring.signingKey, loader: options.loader, now }));
  }

  function stale(row: StatusListRow): boolean {
    if (row.signedDocument === null || row.signedRevision !== row.revision || row.signedAt === null) return true;
    return now().getTime() - Date.parse(row.signedAt) > validityMs / 2;
  }

  async function publish(row: StatusListRow): Promise<PublishedStatusList> {
    const url = statusListUrl(options.baseUrl(), row.id);
    let body = row.signedDocument;
    let revision = row.signedRevision ?? row.revision;
    // A list signed for another base URL (the configuration changed) is signed again.
    const otherUrl = body !== null && !body.includes(url) && row.family === 'di';
    if (body === null || stale(row) || otherUrl) {
      body = await sign(row, url);
      revision = row.revision;
      // Kept only when no newer bits arrived meanwhile; the next request then signs the newer ones.
      options.lists.saveSigned(row.id, row.revision, body);
    }
    const etag = `"${row.id}-${revision}-${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    return { id: row.id, url, family: row.family, purpose: row.purpose, revision, body, contentType: contentTypeOf(row.family), etag, ttlMs };
  }

  return {
    async get(listId) {
      const row = options.lists.get(listId);
      return row === null ? null : publish(row);
    },
    async all() {
      const published: PublishedStatusList[] = [];
      for (const row of options.lists.all()) published.push(await publish(row));
      return published;
    },
  };
}

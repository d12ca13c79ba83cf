// did:web: the DID for a domain (and path), its HTTPS document URL, and the DID document built from a key list.
import { MicrocredError } from '../errors';
import { DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT } from './context-urls';
import type { DidDocument, VerificationMethod } from './did-document';

/** The did:web DID for `domain` (host, optionally `host:port`) and an optional path (`issuers/1`). */
export function didWebFor(domain: string, path?: string): string {
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(domain)) {
    throw new MicrocredError('ERR_DID_WEB_INVALID', `"${domain}" is not a host name (optionally with :port) for did:web.`);
  }
  const segments = (path ?? '').split('/').filter((s) => s !== '');
  if (segments.some((s) => !/^[\w.~-]+$/.test(s))) {
    throw new MicrocredError('ERR_DID_WEB_INVALID', `"${path}" has characters that cannot appear in a did:web path.`);
  }
  return ['did:web', domain.toLowerCase().replace(':', '%3A'), ...segments].join(':');
}

/** The HTTPS URL a did:web DID's document is served from (`/.well-known/did.json` without a path). */
export function didWebUrl(did: string): URL {
  const match = /^did:web:([^:#?/]+)((?::[^:#?/]+)*)$/.exec(did);
  if (!match) throw new MicrocredError('ERR_DID_WEB_INVALID', `"${did}" is not a did:web DID.`);
  const host = decodeURIComponent(match[1]!);
  const segments = match[2] ? match[2].slice(1).split(':').map(decodeURIComponent) : [];
  const path = segments.length === 0 ? '/.well-known/did.json' : `/${segments.join('/')}/did.json`;
  let url: URL;
  try {
    url = new URL(`https://${host}${path}`);
  } catch (cause) {
    throw new MicrocredError('ERR_DID_WEB_INVALID', `"${did}" does not map to a valid HTTPS URL.`, { cause });
  }
  return url;
}

/** A did:web DID document: every method is published and listed under assertionMethod and authentication. */
export function buildDidWebDocument(did: string, verificationMethods: readonly VerificationMethod[]): DidDocument {
  const ids = verificationMethods.map((vm) => vm.id);
  return {
    '@context': [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
    id: did,
    verificationMethod: verificationMethods.map((vm) => ({ ...vm })),
    assertionMethod: [...ids],
    authentication: [...ids],
  };
}

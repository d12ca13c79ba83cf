// did:key: the DID and DID document of a public key, computed offline with @digitalbazaar/did-method-key.
import { didKeyDriverFactory, ed25519MultikeyFrom } from '../libraries';
import { MicrocredError } from '../errors';
import { MULTIKEY_V1_CONTEXT } from './context-urls';
import type { DidDocument } from './did-document';
import { decodeMultikey } from './multikey';

interface DidKeyDriver {
  get(input: { did: string }): Promise<DidDocument>;
}

// P-256 has no @digitalbazaar multikey package here; the driver only needs id/controller/export from a key pair.
function p256FromMultibase({ publicKeyMultibase }: { publicKeyMultibase: string }): Promise<Record<string, unknown>> {
  decodeMultikey(publicKeyMultibase);
  const pair: Record<string, unknown> = {
    type: 'Multikey',
    publicKeyMultibase,
    export: () => Promise.resolve({ '@context': MULTIKEY_V1_CONTEXT, id: pair.id, type: 'Multikey', controller: pair.controller, publicKeyMultibase }),
  };
  return Promise.resolve(pair);
}

function makeDriver(): DidKeyDriver {
  const d = didKeyDriverFactory();
  d.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: ed25519MultikeyFrom });
  d.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: p256FromMultibase });
  return d as DidKeyDriver;
}

const driver = makeDriver();
// did:key documents are pure functions of the DID; caching avoids re-deriving them on every verification.
const cache = new Map<string, Promise<DidDocument>>();
const CACHE_LIMIT = 1000;

/** The did:key DID of a public key given as `publicKeyMultibase`. */
export function didKeyFromMultibase(publicKeyMultibase: string): string {
  decodeMultikey(publicKeyMultibase);
  return `did:key:${publicKeyMultibase}`;
}

/** Resolves a did:key DID (no fragment) to its DID document, offline. */
export function resolveDidKey(did: string): Promise<DidDocument> {
  const hit = cache.get(did);
  if (hit) return hit;
  const pending = (async () => {
    try {
      decodeMultikey(did.slice('did:key:'.length));
      return await driver.get({ did });
    } catch (cause) {
      throw new MicrocredError('ERR_DID_KEY_INVALID', `"${did}" is not a did:key this project can read (Ed25519 or P-256 Multikey).`, { cause });
    }
  })();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(did, pending);
  pending.catch(() => cache.delete(did));
  return pending;
}

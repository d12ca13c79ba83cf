// Resolves a DID: did:key and did:jwk offline, every other method through the injected resolver (did:web).
import { MicrocredError } from '../errors';
import type { DidDocument, DidResolver } from './did-document';
import { resolveDidJwk } from './did-jwk';
import { resolveDidKey } from './did-key';

/** The DID methods that resolve with no resolver and no network. */
export const OFFLINE_DID_METHODS = ['did:key', 'did:jwk'] as const;

/** Resolves `did` (no fragment). Throws ERR_DID_KEY_INVALID, ERR_DID_JWK_INVALID, ERR_DID_METHOD_UNSUPPORTED or the resolver's ERR_DID_*. */
export async function resolveDid(did: string, resolver?: DidResolver): Promise<DidDocument> {
  if (did.startsWith('did:key:')) return resolveDidKey(did);
  if (did.startsWith('did:jwk:')) return resolveDidJwk(did);
  if (resolver) return resolver.resolve(did);
  throw new MicrocredError('ERR_DID_METHOD_UNSUPPORTED', `No resolver is configured for "${did.slice(0, 120)}"; only did:key and did:jwk resolve offline by default.`, {
    details: { did: did.slice(0, 200) },
  });
}

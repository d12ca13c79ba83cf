// Bounds how many distinct did:web DIDs one verification may resolve, so one input cannot fan out to many hosts.
import { withSameContexts, type DocumentLoader } from '../contexts';
import { MicrocredError } from '../errors';
import { didOf, type DidDocument, type DidResolver } from '../did';

/** Default distinct did:web DIDs one verification (a credential, or a presentation and its credentials) may resolve. */
export const DEFAULT_MAX_DID_WEB_PER_VERIFICATION = 8;

/** One verification's budget of did:web DIDs, shared by the DID resolver (VC-JOSE) and the document loader (Data Integrity). */
export interface DidFanOutBudget {
  resolver(resolver: DidResolver): DidResolver;
  loader(loader: DocumentLoader): DocumentLoader;
}

/**
 * The first `maxDistinct` did:web DIDs pass; a later new one is refused with ERR_DID_WEB_FANOUT before any request (the
 * check reports an error, so the verdict is indeterminate, never valid). did:key needs no request and is not counted.
 */
export function didFanOutBudget(maxDistinct: number = DEFAULT_MAX_DID_WEB_PER_VERIFICATION): DidFanOutBudget {
  const seen = new Set<string>();
  const admit = (did: string): void => {
    if (!did.startsWith('did:web:') || seen.has(did)) return;
    if (seen.size >= maxDistinct) {
      throw new MicrocredError('ERR_DID_WEB_FANOUT', `This input names more than ${maxDistinct} did:web issuers; verify its credentials in smaller sets.`, { details: { did, maxDistinct } });
    }
    seen.add(did);
  };
  return {
    resolver: (resolver) => ({
      async resolve(did: string): Promise<DidDocument> {
        admit(did);
        return resolver.resolve(did);
      },
    }),
    loader: (loader) =>
      withSameContexts(async (url: string) => {
        if (typeof url === 'string' && url.startsWith('did:')) admit(didOf(url));
        return loader(url);
      }, loader),
  };
}

/** A resolver with its own budget of `maxDistinct` did:web DIDs (see {@link didFanOutBudget}). */
export function limitDidFanOut(resolver: DidResolver, maxDistinct: number = DEFAULT_MAX_DID_WEB_PER_VERIFICATION): DidResolver {
  return didFanOutBudget(maxDistinct).resolver(resolver);
}

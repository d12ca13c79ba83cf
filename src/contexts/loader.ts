// The offline JSON-LD document loader: bundled contexts, did:key (and an injected DID resolver), never the network.
import { MicrocredError } from '../errors';
import { resolveDid } from '../did';
import { didOf, findVerificationMethod, type DidDocument, type DidResolver } from '../did';
import { bundledContexts, MULTIKEY_V1_CONTEXT } from './bundled';
import { setGlobalDocumentLoader, type DocumentLoader, type LoadedDocument } from '../libraries';

export type { DocumentLoader, LoadedDocument } from '../libraries';

/** Options for {@link createDocumentLoader}. */
export interface DocumentLoaderOptions {
  /** Resolves DIDs other than did:key and did:jwk (e.g. did:web); those two always resolve offline. */
  didResolver?: DidResolver;
  /** Extra static documents by URL (tests: the W3C examples context, a spec issuer's controller document). */
  extraDocuments?: Record<string, object> | Map<string, object>;
}

const BUNDLED = bundledContexts();

/** The error for a URL that is neither bundled nor resolvable offline. */
export function contextNotBundled(url: string): MicrocredError {
  return new MicrocredError(
    'ERR_CONTEXT_NOT_BUNDLED',
    `The document "${url}" is not bundled with microcred and is never fetched from the network; use a credential with supported contexts or add the document to the loader.`,
    { details: { url } },
  );
}

function result(url: string, document: unknown): LoadedDocument {
  return { contextUrl: null, document, documentUrl: url };
}

// A verification method fetched on its own needs a context so JSON-LD processing of it works.
function withContext(vm: Record<string, unknown>): Record<string, unknown> {
  return vm['@context'] === undefined && vm.type === 'Multikey' ? { '@context': MULTIKEY_V1_CONTEXT, ...vm } : vm;
}

function vmFrom(doc: DidDocument, url: string): LoadedDocument {
  const vm = findVerificationMethod(doc, url);
  if (!vm) {
    throw new MicrocredError('ERR_DID_VM_NOT_FOUND', `The verification method "${url}" is not in its controller's document; the key may have been removed.`, {
      details: { url },
    });
  }
  return result(url, withContext(vm));
}

/** Creates an offline document loader. Create one per process and reuse it: jsonld caches contexts process-wide. */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const statics = new Map<string, object>(BUNDLED);
  const extra = options.extraDocuments instanceof Map ? options.extraDocuments : new Map(Object.entries(options.extraDocuments ?? {}));
  for (const [url, doc] of extra) statics.set(url, structuredClone(doc));


  return async (url: string): Promise<LoadedDocument> => {
    if (typeof url !== 'string') throw contextNotBundled(String(url));
    const hit = statics.get(url);
    // structuredClone because jsonld and suites may annotate what they receive.
    if (hit) return result(url, structuredClone(hit));
    if (url.startsWith('did:')) {
      const doc = await resolveDid(didOf(url), options.didResolver);
      return url.includes('#') ? vmFrom(doc, url) : result(url, doc);
    }
    // A key id inside a static controller document (https://issuer.example/x#key-1).
    const hash = url.indexOf('#');
    if (hash > 0) {
      const base = statics.get(url.slice(0, hash));
      if (base) return vmFrom(base as DidDocument, url);
    }
    throw contextNotBundled(url);
  };
}

const contextOwners = new WeakMap<DocumentLoader, DocumentLoader>();

/**
 * Marks `wrapper` as serving the same JSON-LD contexts as `inner` (it only adds checks on other URLs, such as a
 * per-verification DID budget), so caches keyed by a loader's contexts (canonicalisation templates) are shared.
 */
export function withSameContexts(wrapper: DocumentLoader, inner: DocumentLoader): DocumentLoader {
  contextOwners.set(wrapper, contextsOwner(inner));
  return wrapper;
}

/** The loader whose contexts `loader` serves: itself, unless made by {@link withSameContexts}. */
export function contextsOwner(loader: DocumentLoader): DocumentLoader {
  return contextOwners.get(loader) ?? loader;
}

let shared: DocumentLoader | undefined;

/** The process-wide default loader (bundled contexts + did:key). */
export function defaultDocumentLoader(): DocumentLoader {
  shared ??= createDocumentLoader();
  return shared;
}

/** Makes jsonld's global loader refuse every URL, so no code path can fall back to the network. */
export function refuseGlobalDocumentLoading(): void {
  setGlobalDocumentLoader((url: string) => Promise.reject(contextNotBundled(url)));
}

refuseGlobalDocumentLoading();

// Typed view of the untyped jsonld library: the document loader shape and its process-wide fallback loader.
import jsonld from 'jsonld';

/** What a JSON-LD document loader returns. */
export interface LoadedDocument {
  contextUrl: null;
  document: unknown;
  documentUrl: string;
}

/** A jsonld / @digitalbazaar document loader. */
export type DocumentLoader = (url: string) => Promise<LoadedDocument>;

/** Replaces jsonld's process-wide default loader (the one used when a caller passes none). */
export function setGlobalDocumentLoader(loader: (url: string) => Promise<never>): void {
  (jsonld as { documentLoader: (url: string) => Promise<never> }).documentLoader = loader;
}

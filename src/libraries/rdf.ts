// Typed view of the RDF steps of eddsa-rdfc-2022 canonicalisation: jsonld.toRDF and rdf-canonize's RDFC-1.0.
import jsonld from 'jsonld';
import * as rdfCanonizeModule from 'rdf-canonize';
import { eddsaRdfc2022 } from './digitalbazaar';

/** One RDF term as jsonld.js and rdf-canonize represent it. */
export interface RdfTerm {
  termType: string;
  value: string;
  datatype?: RdfTerm;
  language?: string;
}

/** One RDF quad (jsonld.js dataset form). */
export interface RdfQuad {
  subject: RdfTerm;
  predicate: RdfTerm;
  object: RdfTerm;
  graph: RdfTerm;
}

/** Options of a cryptosuite's canonize (what @digitalbazaar/data-integrity passes). */
export type CanonizeOptions = Record<string, unknown>;

/** The eddsa-rdfc-2022 cryptosuite's own canonize: JSON-LD → RDF → RDFC-1.0 N-Quads (the library path). */
export const libraryCanonize = (eddsaRdfc2022 as { canonize: (input: object, options: CanonizeOptions) => Promise<string> }).canonize;

// The option sets below copy @digitalbazaar/eddsa-rdfc-2022-cryptosuite lib/canonize.js exactly, so a dataset
// made here and canonised here gives the same bytes as libraryCanonize.

/** jsonld.toRDF with the options libraryCanonize uses for `options`. */
export function toRdfDataset(input: object, options: CanonizeOptions): Promise<RdfQuad[]> {
  const full: CanonizeOptions = { algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true, ...options };
  const opts: CanonizeOptions = { rdfDirection: 'i18n-datatype', ...full, produceGeneralizedRdf: false };
  delete opts.format;
  return (jsonld as { toRDF: (input: object, options: CanonizeOptions) => Promise<RdfQuad[]> }).toRDF(input, opts);
}

/** RDFC-1.0 canonical N-Quads of a dataset, with the options libraryCanonize uses for `options`. */
export function canonizeDataset(dataset: RdfQuad[], options: CanonizeOptions): Promise<string> {
  const full: CanonizeOptions = { algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true, ...options };
  return (rdfCanonizeModule as unknown as { canonize: (dataset: RdfQuad[], options: CanonizeOptions) => Promise<string> }).canonize(dataset, full);
}

// RDFC-1.0 canonicalisation through cached templates: a JSON-LD shape is turned into RDF once, and each later document
// of that shape only puts its own values into the template's quads; every other document takes the library path.
//
// Why this is the same as the library path. JSON-LD expansion depends on the document's keys, its contexts, its
// types and non-string values, but a string in a position that expands to a plain literal ({"@value": s}) or to an
// absolute IRI ({"@id": s}) comes out verbatim, whatever the string is. So a template is the document with every
// such string replaced by a unique placeholder of the same IRI class (same prefix before the first colon, same "//",
// same absoluteness: the only parts of a string jsonld's IRI expansion looks at), run through jsonld.toRDF with the
// library's options. A placeholder that does not come out as a whole IRI or a whole literal value makes its position
// fixed (its real value becomes part of the cache key) and the template is made again. Equal strings share a
// placeholder, so node merging is the same; a value equal to a term name or to any other string of the template takes
// the library path. tests/signing/template-canonize-differential.test.ts compares both paths on generated credentials.
import { randomBytes } from 'node:crypto';
import { canonizeDataset, libraryCanonize, toRdfDataset, type CanonizeOptions, type DocumentLoader, type RdfQuad, type RdfTerm } from '../libraries';

// A per-process token no real document contains (a document that does takes the library path).
const TOKEN = `mcph${randomBytes(6).toString('hex')}x`;
const TOKEN_NUMBERS = new RegExp(`${TOKEN}(\\d+)z`, 'g');
// jsonld.js lib/url.js isAbsolute: the test its IRI expansion applies.
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
const MAX_DEPTH = 32;
const MAX_STRINGS = 4_000;
const MAX_TEMPLATES = 1_000;

/** A document's structure (keys, nesting, fixed values) and its candidate strings in walk order. */
interface Shape {
  structure: string;
  strings: string[];
  contexts: unknown[];
}

/** A term of a template quad: constant, or filled from the document's `slot`-th distinct value. */
interface TermTemplate {
  term: RdfTerm;
  slot: number;
}

interface Template {
  quads: Array<[TermTemplate, TermTemplate, TermTemplate, TermTemplate]>;
  /** Slots that are an IRI somewhere in the template. */
  iriSlots: Set<number>;
  /** Strings an IRI value must not equal: term names of the contexts (a @vocab position maps them) and every string of the template (nodes would merge). */
  reservedIri: Set<string>;
  /** Strings a literal-only value must not equal: the template's constant literals (equal values would merge). */
  reservedLiteral: Set<string>;
}

interface LoaderCache {
  fixedByStructure: Map<string, Set<number>>;
  templates: Map<string, Template | null>;
  termNames: Map<string, Set<string> | null>;
}

const caches = new WeakMap<object, LoaderCache>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// Strings whose role is syntax, not data: types (they select scoped contexts), keyword values, keyword-like strings
// and blank node identifiers. They are part of the structure.
function fixedBySyntax(key: string | undefined, value: string): boolean {
  if (value.startsWith('@') || value.startsWith('_:')) return true;
  if (key === undefined) return false;
  return key === 'type' || (key.startsWith('@') && key !== '@id' && key !== '@value');
}

/** Walks `input` in a fixed order; `fill` (when given) replaces candidate strings and the copy is returned. */
function walk(input: unknown, fill?: (index: number, value: string) => string): { shape: Shape; copy: unknown } | undefined {
  const parts: string[] = [];
  const strings: string[] = [];
  const contexts: unknown[] = [];
  let ok = true;
  const visit = (value: unknown, key: string | undefined, depth: number): unknown => {
    if (!ok) return undefined;
    if (depth > MAX_DEPTH) return (ok = false);
    if (typeof value === 'string') {
      if (value.includes(TOKEN)) return (ok = false);
      if (fixedBySyntax(key, value)) {
        parts.push(JSON.stringify(value));
        return value;
      }
      parts.push('S');
      strings.push(value);
      if (strings.length > MAX_STRINGS) ok = false;
      return fill ? fill(strings.length - 1, value) : value;
    }
    if (typeof value === 'number') {
      parts.push(Object.is(value, -0) ? '-0' : String(value));
      return value;
    }
    if (typeof value === 'boolean' || value === null) {
      parts.push(String(value));
      return value;
    }
    if (Array.isArray(value)) {
      parts.push('[');
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        out.push(visit(value[i], key, depth + 1));
        parts.push(',');
      }
      parts.push(']');
      return out;
    }
    if (isPlainObject(value)) {
      parts.push('{');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(TOKEN)) return (ok = false);
        parts.push(JSON.stringify(k), ':');
        if (k === '@context') {
          const text = JSON.stringify(v);
          if (text === undefined || text.includes(TOKEN)) return (ok = false);
          parts.push(text);
          contexts.push(v);
          out[k] = v;
        } else {
          out[k] = visit(v, k, depth + 1);
        }
        parts.push(',');
      }
      parts.push('}');
      return out;
    }
    // undefined, functions, class instances: not JSON, so not this path's business.
    return (ok = false);
  };
  const copy = visit(input, undefined, 0);
  return ok ? { shape: { structure: parts.join(''), strings, contexts }, copy } : undefined;
}

// The parts of a string jsonld's IRI expansion depends on (lib/context.js _expandIri): its prefix before the first
// colon when that prefix is a term name (it may expand as a compact IRI), whether the rest starts with "//", and
// whether it is an absolute IRI. A prefix that is no term name plays no part, so it is not part of the class.
interface IriClass {
  key: string;
  prefix?: string;
  slashes: boolean;
  absolute: boolean;
}

function iriClass(value: string, termNames: ReadonlySet<string>): IriClass {
  const colon = value.indexOf(':');
  if (colon <= 0) return { key: 'p', slashes: false, absolute: false };
  const term = value.slice(0, colon);
  const slashes = value.startsWith('//', colon + 1);
  const absolute = ABSOLUTE_IRI.test(value);
  const prefix = termNames.has(term) ? term : undefined;
  return { key: `${prefix === undefined ? '' : JSON.stringify(prefix)}${slashes ? '/' : ''}${absolute ? 'a' : 'r'}`, prefix, slashes, absolute };
}

// A placeholder of the same class: the term prefix kept, or a scheme no context defines.
function placeholderFor(value: string, n: number, termNames: ReadonlySet<string>): string {
  const token = `${TOKEN}${n}z`;
  const c = iriClass(value, termNames);
  if (c.key === 'p') return token;
  return `${c.prefix ?? TOKEN}:${c.slashes ? '//' : ''}${token}${c.absolute ? '' : ' '}`;
}

/** The cache key of a document given its fixed positions, and its variable values (distinct, in first-seen order). */
function keyOf(shape: Shape, fixed: ReadonlySet<number>, termNames: ReadonlySet<string>): { key: string; distinct: string[]; slotOf: number[] } {
  const distinct: string[] = [];
  const indexOf = new Map<string, number>();
  const slotOf: number[] = [];
  const parts: string[] = [shape.structure];
  shape.strings.forEach((value, i) => {
    if (fixed.has(i)) {
      slotOf.push(-1);
      parts.push(JSON.stringify(value));
      return;
    }
    let n = indexOf.get(value);
    if (n === undefined) {
      n = distinct.length;
      distinct.push(value);
      indexOf.set(value, n);
    }
    slotOf.push(n);
    parts.push(`${iriClass(value, termNames).key}#${n}`);
  });
  return { key: parts.join('\u0000'), distinct, slotOf };
}

/** Every term name of the contexts (recursively through context URLs, scoped contexts and @import); null if one fails to load. */
async function termNamesOf(contexts: unknown[], loader: DocumentLoader): Promise<Set<string> | null> {
  const names = new Set<string>();
  const loaded = new Set<string>();
  const visit = async (value: unknown, contextPosition: boolean, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) throw new Error('context nesting too deep');
    if (typeof value === 'string') {
      if (!contextPosition || loaded.has(value)) return;
      loaded.add(value);
      const { document } = await loader(value);
      const doc = typeof document === 'string' ? (JSON.parse(document) as unknown) : document;
      if (isPlainObject(doc)) await visit(doc['@context'], true, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) await visit(item, contextPosition, depth + 1);
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [k, v] of Object.entries(value)) {
      names.add(k);
      await visit(v, k === '@context' || k === '@import', depth + 1);
    }
  };
  try {
    for (const context of contexts) await visit(context, true, 0);
  } catch {
    return null;
  }
  return names;
}

function termTemplate(term: RdfTerm, placeholders: Map<string, number>, seen: Set<number>, bad: Set<number>, allowSlot: boolean): TermTemplate {
  const strings = [term.value, term.datatype?.value ?? '', term.language ?? ''];
  const n = placeholders.get(term.value);
  if (allowSlot && n !== undefined && (term.termType === 'NamedNode' || term.termType === 'Literal') && !strings.slice(1).some((s) => s.includes(TOKEN))) {
    seen.add(n);
    return { term, slot: n };
  }
  for (const s of strings) for (const match of s.matchAll(TOKEN_NUMBERS)) bad.add(Number(match[1]));
  return { term, slot: -1 };
}

/**
 * Makes the template of `shape`, growing `fixed` (a copy of the structure's fixed positions; the caller keys the
 * template by what it ends as) until every placeholder comes out whole.
 */
async function buildTemplate(input: unknown, shape: Shape, fixed: Set<number>, options: CanonizeOptions, names: ReadonlySet<string>): Promise<Template | null> {
  for (let round = 0; round <= shape.strings.length; round++) {
    const { distinct, slotOf } = keyOf(shape, fixed, names);
    const placeholders = distinct.map((value, n) => placeholderFor(value, n, names));
    const doc = walk(input, (i, value) => (slotOf[i]! >= 0 ? placeholders[slotOf[i]!]! : value))?.copy;
    if (doc === undefined || typeof doc !== 'object' || doc === null) return null;
    let dataset: RdfQuad[];
    let refused = false;
    try {
      dataset = await toRdfDataset(doc, options);
    } catch {
      // Safe mode refuses what it would drop (e.g. a placeholder in a @vocab position with no @vocab): find those
      // positions without safe mode, fix them, and try again.
      refused = true;
      try {
        dataset = await toRdfDataset(doc, { ...options, safe: false });
      } catch {
        return null;
      }
    }
    const byPlaceholder = new Map(placeholders.map((p, n) => [p, n]));
    const seen = new Set<number>();
    const bad = new Set<number>();
    const quads = dataset.map(
      (q) =>
        [
          termTemplate(q.subject, byPlaceholder, seen, bad, true),
          termTemplate(q.predicate, byPlaceholder, seen, bad, false),
          termTemplate(q.object, byPlaceholder, seen, bad, true),
          termTemplate(q.graph, byPlaceholder, seen, bad, false),
        ] as [TermTemplate, TermTemplate, TermTemplate, TermTemplate],
    );
    distinct.forEach((_, n) => {
      if (!seen.has(n)) bad.add(n);
    });
    // Every placeholder whole and safe mode still refuses: the real document is refused too; the library says why.
    if (bad.size === 0 && refused) return null;
    if (bad.size === 0) {
      const reservedIri = new Set(names);
      const reservedLiteral = new Set<string>();
      const iriSlots = new Set<number>();
      for (const quad of quads) {
        for (const t of quad) {
          if (t.slot >= 0) {
            if (t.term.termType === 'NamedNode') iriSlots.add(t.slot);
            continue;
          }
          reservedIri.add(t.term.value);
          if (t.term.termType === 'Literal') reservedLiteral.add(t.term.value);
          if (t.term.datatype) reservedIri.add(t.term.datatype.value);
        }
      }
      shape.strings.forEach((value, i) => {
        if (slotOf[i] === -1) reservedIri.add(value);
      });
      return { quads, iriSlots, reservedIri, reservedLiteral };
    }
    slotOf.forEach((n, i) => {
      if (n >= 0 && bad.has(n)) fixed.add(i);
    });
  }
  return null;
}

function copyTerm(t: TermTemplate, values: readonly string[]): RdfTerm {
  const { term } = t;
  const out: RdfTerm = { termType: term.termType, value: t.slot >= 0 ? values[t.slot]! : term.value };
  if (term.datatype) out.datatype = { termType: term.datatype.termType, value: term.datatype.value };
  if (term.language !== undefined) out.language = term.language;
  return out;
}

// The options @digitalbazaar/data-integrity passes when it canonises a document or proof options; others go to the library.
function loaderOf(options: CanonizeOptions): DocumentLoader | undefined {
  for (const [key, value] of Object.entries(options)) {
    if (key === 'documentLoader' || (key === 'base' && value === null) || (key === 'safe' && value === true) || (key === 'skipExpansion' && value === false)) continue;
    return undefined;
  }
  return typeof options.documentLoader === 'function' ? (options.documentLoader as DocumentLoader) : undefined;
}

/**
 * Same output as the eddsa-rdfc-2022 cryptosuite's canonize (RDFC-1.0 N-Quads of the JSON-LD document), faster for
 * documents whose shape was seen before. Templates are kept per `owner`: the loader that `options.documentLoader`
 * is (jsonld-signatures passes a per-call wrapper that adds its fixed built-in contexts). Falls back to the library
 * for anything else.
 */
export async function templateCanonize(input: object, options: CanonizeOptions, owner: object): Promise<string> {
  const loader = loaderOf(options);
  const walked = loader ? walk(input) : undefined;
  if (loader === undefined || walked === undefined) return libraryCanonize(input, options);
  const { shape } = walked;
  let cache = caches.get(owner);
  if (cache === undefined) {
    cache = { fixedByStructure: new Map(), templates: new Map(), termNames: new Map() };
    caches.set(owner, cache);
  }
  if (cache.templates.size > MAX_TEMPLATES) {
    cache.templates.clear();
    cache.fixedByStructure.clear();
  }
  const contextsKey = JSON.stringify(shape.contexts);
  let names = cache.termNames.get(contextsKey);
  if (names === undefined) {
    names = await termNamesOf(shape.contexts, loader);
    cache.termNames.set(contextsKey, names);
  }
  if (names === null) return libraryCanonize(input, options);
  const fixed = cache.fixedByStructure.get(shape.structure) ?? new Set<number>();
  let { key, distinct } = keyOf(shape, fixed, names);
  let template = cache.templates.get(key);
  if (template === undefined) {
    // Built on a copy: the slots of a template are only right for the fixed positions it was built with, whatever
    // other calls add meanwhile.
    const grown = new Set(fixed);
    template = await buildTemplate(input, shape, grown, options, names);
    if (template === null || grown.size === fixed.size) cache.templates.set(key, template);
    else {
      ({ key, distinct } = keyOf(shape, grown, names));
      cache.templates.set(key, template);
      const shared = cache.fixedByStructure.get(shape.structure) ?? new Set<number>();
      for (const i of grown) shared.add(i);
      cache.fixedByStructure.set(shape.structure, shared);
    }
  }
  if (template === null || distinct.some((value, n) => (template.iriSlots.has(n) ? template.reservedIri : template.reservedLiteral).has(value))) return libraryCanonize(input, options);
  const dataset: RdfQuad[] = template.quads.map(([s, p, o, g]) => ({ subject: copyTerm(s, distinct), predicate: copyTerm(p, distinct), object: copyTerm(o, distinct), graph: copyTerm(g, distinct) }));
  return canonizeDataset(dataset, options);
}

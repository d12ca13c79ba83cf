// Seeded generator of credentials for the templated-canonicalisation differential tests: Open Badges credentials from
// random completion records and generic VC 2.0 credentials with random fields, values and unicode.
import { buildCredential } from '../../src/credential';
import type { IssuerProfile } from '../../src/signing';
import { EXAMPLES_CONTEXT } from './fixtures';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** A small seeded PRNG (mulberry32), so a failing case can be found again from its seed and index. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number): boolean => r() < p;

// Text that stresses N-Quads escaping, unicode, IRI-looking strings, term names and keyword-looking strings.
const PIECES = [
  'Ada',
  'Lovelace',
  'Grace Hopper',
  'Zoë',
  'Ærøskøbing',
  '中文名字',
  'עברית',
  'العربية',
  '🎓',
  '👩🏽‍⚕️',
  'e\u0301',
  '"quoted"',
  'back\\slash',
  'line\nbreak',
  'tab\there',
  'cr\rlf',
  'Note: see below',
  ' padded ',
  '',
  '%20',
  '<angle>',
  'name',
  'type',
  'Achievement',
  'Completed',
  'https://example.org/a/b?c=d#e',
  'urn:uuid:6f1c2b9e-0000-4000-8000-000000000001',
  'did:example:ada',
  'mailto:ada@example.org',
  'xsd:string',
  'schema:name',
  '2025-03-01T09:30:00Z',
  '12',
  '-0',
  'true',
];

/** A random string made of one to three pieces. */
export function text(r: Random): string {
  const n = 1 + Math.floor(r() * 3);
  return Array.from({ length: n }, () => pick(r, PIECES)).join(pick(r, ['', ' ', ': ', '/']));
}

/** A random absolute IRI of several schemes (some with colons in odd places, some with unicode). */
export function iri(r: Random): string {
  const tail = Math.floor(r() * 1e6).toString(36);
  return pick(r, [
    `https://example.org/${tail}`,
    `https://example.org/ü/${tail}`,
    `urn:uuid:${tail}-0000-4000-8000-000000000000`,
    `did:example:${tail}`,
    `did:key:z6Mk${tail}`,
    `http://example.com/${tail}#frag`,
    `urn:example:${tail}:x`,
    'https://example.org/shared',
  ]);
}

function date(r: Random): string {
  const year = 2000 + Math.floor(r() * 40);
  const month = String(1 + Math.floor(r() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  const ms = chance(r, 0.2) ? `.${Math.floor(r() * 1000)}` : '';
  return `${year}-${month}-${day}T${String(Math.floor(r() * 24)).padStart(2, '0')}:30:00${ms}${pick(r, ['Z', '+02:00', '-05:30'])}`;
}

function value(r: Random, depth: number): unknown {
  const kind = Math.floor(r() * (depth > 2 ? 6 : 9));
  switch (kind) {
    case 0:
    case 1:
      return text(r);
    case 2:
      return iri(r);
    case 3:
      return pick(r, [0, 1, -1, 16, 2.5, -3.75, 1e21, 123456789, 0.1]);
    case 4:
      return chance(r, 0.5);
    case 5:
      return date(r);
    case 6:
      return Array.from({ length: 1 + Math.floor(r() * 3) }, () => (chance(r, 0.7) ? text(r) : iri(r)));
    case 7:
      return { '@value': text(r), '@language': pick(r, ['en', 'fr-CA', 'de']) };
    default:
      return object(r, depth + 1);
  }
}

const KEYS = ['name', 'description', 'note', 'score', 'alumniOf', 'degree', 'tags', 'url', 'level', 'extra', 'résumé', 'ex:custom', 'https://example.org/vocab#prop'];

function object(r: Random, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (chance(r, 0.4)) out.id = iri(r);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out[pick(r, KEYS)] = value(r, depth);
  return out;
}

/** A generic VC 2.0 credential: random contexts among the bundled ones, optional fields present or absent. */
export function genericCredential(r: Random, issuerDid: string): Record<string, unknown> {
  // Mostly contexts with a @vocab; the Open Badges context defines no @vocab, so random fields make safe mode refuse.
  const contexts = pick(r, [[V2], [V2], [V2, EXAMPLES_CONTEXT], [V2, EXAMPLES_CONTEXT], [V2, OB]]);
  const credential: Record<string, unknown> = { '@context': contexts };
  if (chance(r, 0.7)) credential.id = iri(r);
  const extraType = contexts.includes(EXAMPLES_CONTEXT) ? 'ExampleAchievementCredential' : contexts.includes(OB) ? 'OpenBadgeCredential' : undefined;
  credential.type = extraType && chance(r, 0.7) ? ['VerifiableCredential', extraType] : ['VerifiableCredential'];
  credential.issuer = chance(r, 0.5) ? issuerDid : { id: issuerDid, ...(chance(r, 0.5) ? { name: text(r) } : {}) };
  if (chance(r, 0.6)) credential.validFrom = date(r);
  if (chance(r, 0.3)) credential.validUntil = date(r);
  if (chance(r, 0.4)) credential.name = chance(r, 0.8) ? text(r) : { '@value': text(r), '@language': 'en' };
  if (chance(r, 0.3)) credential.description = text(r);
  credential.credentialSubject = chance(r, 0.15) ? [object(r, 1), object(r, 1)] : object(r, 1);
  return credential;
}

/** An Open Badges credential from a random valid completion record, through the project's builder. */
export function openBadgeCredential(r: Random, issuer: IssuerProfile, now: () => Date): Record<string, unknown> {
  const safe = (): string => {
    // The builder refuses control characters and blank names; keep printable pieces.
    const t = text(r).replace(/[\n\r\t]/g, ' ').trim();
    return t === '' ? 'Ada' : t;
  };
  const learner: Record<string, unknown> = {};
  if (chance(r, 0.7)) learner.email = `learner${Math.floor(r() * 1e6)}@example.org`;
  if (!learner.email || chance(r, 0.5)) learner.did = `did:example:${Math.floor(r() * 1e6).toString(36)}`;
  if (chance(r, 0.7)) learner.name = safe();
  const module: Record<string, unknown> = { id: pick(r, [`https://hospital.example/modules/${Math.floor(r() * 50)}`, `urn:example:module:${Math.floor(r() * 50)}`]), name: safe(), description: safe(), criteria: safe() };
  if (chance(r, 0.6)) module.image = `https://hospital.example/badges/${Math.floor(r() * 9)}.png`;
  if (chance(r, 0.6)) module.credits = pick(r, [1, 2.5, 8, 16, 40]);
  const record: Record<string, unknown> = { learner, module, completedAt: `2025-0${1 + Math.floor(r() * 2)}-${String(1 + Math.floor(r() * 27)).padStart(2, '0')}T09:30:00Z` };
  if (chance(r, 0.6)) record.result = { ...(chance(r, 0.8) ? { status: pick(r, ['Completed', 'Failed', 'Provisional']) } : {}), ...(chance(r, 0.7) ? { value: safe() } : {}) };
  const until = r();
  if (until < 0.5) record.validFor = pick(r, ['P1Y', 'P2Y', 'P6M']);
  else if (until < 0.75) record.expiresAt = '2027-06-01T00:00:00Z';
  return buildCredential({ record, issuer, now });
}

/** Paths of every leaf (string, number, boolean) of a JSON value outside `@context` and `proof`. */
export function leafPaths(document: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(document)) return document.flatMap((item, i) => leafPaths(item, [...prefix, i]));
  if (typeof document === 'object' && document !== null) {
    return Object.entries(document).flatMap(([k, v]) => (k === '@context' || k === 'proof' ? [] : leafPaths(v, [...prefix, k])));
  }
  return [prefix];
}

/** A copy of `document` with the leaf at `path` changed (string: one character added; number: +1; boolean: flipped). */
export function mutateLeaf(document: unknown, path: ReadonlyArray<string | number>): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const old = at[last];
  at[last] = typeof old === 'string' ? `${old}x` : typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : 'x';
  return copy;
}

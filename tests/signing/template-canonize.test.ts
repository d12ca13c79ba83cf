// Templated canonicalisation gives the library's N-Quads: reused shapes, escaping, IRI classes, equal values, term-name
// values, and documents the library refuses (tests/signing/template-canonize-differential.test.ts runs 10,000 cases).
import { describe, expect, it } from 'vitest';
import { createDocumentLoader } from '../../src/contexts';
import { libraryCanonize } from '../../src/libraries';
import { templateCanonize } from '../../src/signing/template-canonize';
import { SigningKey, createDidKeyIssuer } from '../../src/signing';
import { EXAMPLES_CONTEXT, readVector } from './fixtures';
import { genericCredential, openBadgeCredential, rng } from './generated-credentials';

const V2 = 'https://www.w3.org/ns/credentials/v2';
const SCHEMA_PREFIXED = { '@context': { schema: 'http://schema.org/', knows: { '@id': 'schema:knows', '@type': '@id' }, kind: { '@id': 'schema:kind', '@type': '@vocab' }, label: 'schema:name' } };

// A fresh loader per test: templates are kept per loader, so each test starts with an empty cache.
function loader() {
  return createDocumentLoader({ extraDocuments: { [EXAMPLES_CONTEXT]: readVector('w3c-contexts/credentials-examples-v2.jsonld') } });
}

async function both(document: object, documentLoader: ReturnType<typeof loader>): Promise<{ fast: string | Error; library: string | Error }> {
  const options = { documentLoader, base: null, safe: true };
  const settle = (p: Promise<string>): Promise<string | Error> => p.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return { fast: await settle(templateCanonize(document, options, documentLoader)), library: await settle(libraryCanonize(document, options)) };
}

function credential(subject: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@context': [V2, EXAMPLES_CONTEXT], id: 'urn:uuid:0b0b0b0b-0000-4000-8000-000000000000', type: ['VerifiableCredential'], issuer: 'did:example:issuer', credentialSubject: subject, ...extra };
}

describe('templateCanonize', () => {
  it('matches the library for one shape filled with escapes, unicode and IRI-looking strings', async () => {
    const documentLoader = loader();
    const values = ['Ada', 'line\nbreak "quoted" back\\slash\ttab\rcr', 'Zoë 中文 🎓 e\u0301 עברית', 'Note: colon', 'https://example.org/x', 'urn:example:a', '2025-03-01T09:30:00Z', '', ' '];
    for (const name of values) {
      for (const id of ['did:example:ada', 'https://example.org/people/ü', 'urn:uuid:1']) {
        const { fast, library } = await both(credential({ id, name }), documentLoader);
        expect(fast).toBe(library);
        expect(typeof fast).toBe('string');
      }
    }
  });

  it('merges nodes exactly as the library does when values repeat or differ', async () => {
    const documentLoader = loader();
    for (const [a, b] of [
      ['did:example:same', 'did:example:same'],
      ['did:example:one', 'did:example:two'],
    ]) {
      const doc = credential({ id: a, name: 'x', alumniOf: { id: b, name: 'x' } });
      const { fast, library } = await both(doc, documentLoader);
      expect(fast).toBe(library);
    }
  });

  it('matches the library for compact IRIs, @vocab positions and values equal to term names', async () => {
    const documentLoader = loader();
    for (const knows of ['schema:Person', 'https://example.org/p', 'other:thing', 'label']) {
      for (const kind of ['label', 'knows', 'schema:Thing', 'https://example.org/kind', 'Plain']) {
        for (const label of ['label', 'schema:name', 'Ada']) {
          const doc = { ...SCHEMA_PREFIXED, '@id': 'https://example.org/s', knows, kind, label };
          const { fast, library } = await both(doc, documentLoader);
          expect(fast).toStrictEqual(library);
        }
      }
    }
  });

  it('refuses what the library refuses (a relative id, an undefined term under a context without @vocab)', async () => {
    const documentLoader = loader();
    const relative = await both(credential({ id: 'relative/path', name: 'Ada' }), documentLoader);
    expect(relative.library).toBeInstanceOf(Error);
    expect(relative.fast).toBeInstanceOf(Error);
    const undefinedTerm = await both({ '@context': { label: 'http://schema.org/name' }, '@id': 'https://example.org/s', label: 'x', unknown: 'y' }, documentLoader);
    expect(undefinedTerm.library).toBeInstanceOf(Error);
    expect(undefinedTerm.fast).toBeInstanceOf(Error);
  });

  it('matches the library on 150 generated credentials sharing one loader', async () => {
    const documentLoader = loader();
    const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'Unit Hospital', url: 'https://hospital.example' });
    const r = rng(42);
    const now = (): Date => new Date('2025-03-02T08:00:00Z');
    let strings = 0;
    for (let i = 0; i < 150; i++) {
      const doc = i % 2 === 0 ? genericCredential(r, issuer.did) : openBadgeCredential(r, issuer.profile, now);
      const { fast, library } = await both(doc, documentLoader);
      if (typeof library === 'string') {
        strings++;
        expect(fast, JSON.stringify(doc)).toBe(library);
      } else {
        expect(fast, JSON.stringify(doc)).toBeInstanceOf(Error);
      }
    }
    expect(strings).toBeGreaterThan(90);
  });
});

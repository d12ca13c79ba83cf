// Known-nasty inputs and fast-check arbitraries shared by the hostile-input tests.
import fc from 'fast-check';

/** Keys that reach Object.prototype when assigned carelessly, and JSON-LD keywords. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '@context', '@type', '@id', '@vocab', '@protected', '@import'];

/** Strings that break naive code: control characters, lone surrogates, RTL override, formula starts, paths. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e\u0041\u0042',
  '\ufeff',
  '=cmd|"/c calc"!A1',
  '+1+1',
  '-1+1',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%',
  '%E0%A4%A',
  '%00',
  'a'.repeat(10_000),
  '<script>alert(1)</script>',
  "'; DROP TABLE credentials; --",
  'did:web:169.254.169.254',
  'https://169.254.169.254/latest/meta-data/',
  'data:application/ld+json,{"@context":{"@vocab":"https://evil.example/"}}',
];

/** JSON texts (not values: some cannot be built as values without blowing the stack, or keep their exact digits). */
export function nastyJsonTexts(): string[] {
  const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
  const deepObject = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
  const unclosed = '{"a":'.repeat(10_000);
  return [
    deepArray,
    deepObject,
    unclosed,
    '[' + '[1,'.repeat(40) + '1' + ']'.repeat(41),
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '123456789012345678901234567890123456789012345678901234567890',
    '{"credits": 1e308, "n": 9007199254740993}',
    '{"__proto__": {"polluted": "yes"}}',
    '{"constructor": {"prototype": {"polluted": "yes"}}}',
    '{"type": ["VerifiableCredential"], "__proto__": {"polluted": "yes"}, "credentialSubject": {"__proto__": {"polluted": "yes"}}}',
    '{"credential": {"__proto__": {"polluted": "yes"}, "type": "VerifiableCredential"}}',
    '{"records": [{"__proto__": {"polluted": "yes"}}], "__proto__": {"records": []}}',
    '{"reasonCode": "superseded", "__proto__": {"reason": "x"}}',
    '"\\ud800"',
    '{"a": "\\u0000\\ud800\\udfff"}',
    '\ufeff{"type": "VerifiableCredential"}',
    '{"a": 1, "a": 2}',
    '[]',
    '{}',
    'null',
    'true',
    '""',
    '"' + 'A'.repeat(200_000) + '"',
    '{"x": "' + 'x'.repeat(200_000) + '"}',
    '[' + Array.from({ length: 60_000 }, () => '0').join(',') + ']',
    '{',
    '',
    '   ',
    'NaN',
    'Infinity',
    "{'a': 1}",
    '{"a": 1,}',
  ];
}

/** Byte sequences that are not UTF-8: lone continuation, bad lead, overlong, surrogate, truncated, out of range. */
export const INVALID_UTF8: readonly Uint8Array[] = [
  new Uint8Array([0xff]),
  new Uint8Array([0xfe, 0xff]),
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  new Uint8Array([0xc0, 0xaf]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0xe2, 0x82]),
  new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
  new Uint8Array([0x80, 0x80, 0x80]),
  new Uint8Array([0x7b, 0x7d, 0xff]),
];

/** Media types a client might send, right or wrong. */
export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/ld+json',
  'application/vc',
  'application/vc+jwt',
  'text/plain',
  'text/csv',
  'text/csv; charset=utf-16',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  ';;;',
  '',
  'application/json; charset="utf-8"; charset=latin1',
];

/** Path segments for credential ids: traversal, encodings, unicode, 10 KB. */
export const NASTY_ID_SEGMENTS = [
  '..',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%25',
  '%',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '%ff',
  encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000'),
  '00000000-0000-4000-8000-000000000000',
  encodeURIComponent('ünïcødé-✓-🎓'),
  encodeURIComponent('\u202e'),
  'a'.repeat(10 * 1024),
  encodeURIComponent('x'.repeat(10 * 1024)),
  encodeURIComponent("' OR 1=1 --"),
  '__proto__',
  'constructor',
];

/** Any JSON value, with nasty keys and strings mixed into the generated objects. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue(),
    fc.constantFrom<unknown>(...NASTY_STRINGS, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, null, true),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 })), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** JSON text of any value fast-check's `anything` makes (values JSON cannot hold are dropped or become null). */
export const anythingAsJson: fc.Arbitrary<string> = fc
  .anything({ withBoxedValues: true, withMap: true, withSet: true, withObjectString: true, withNullPrototype: true, withSparseArray: true, maxDepth: 4 })
  .map((value) => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      return 'null';
    }
  });

/** A credential-shaped object: the VerifiableCredential type with generated junk everywhere else. */
export const credentialShapedJunk: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      '@context': fc.oneof(fc.constant(['https://www.w3.org/ns/credentials/v2']), nastyJson),
      id: nastyJson,
      issuer: fc.oneof(nastyJson, fc.record({ id: fc.string(), name: nastyJson })),
      validFrom: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), nastyJson),
      validUntil: nastyJson,
      credentialSubject: nastyJson,
      proof: fc.oneof(
        nastyJson,
        fc.record({ type: fc.constantFrom('DataIntegrityProof', 'Ed25519Signature2020', 'MerkleAnchorProof'), cryptosuite: fc.string(), proofValue: fc.string(), verificationMethod: fc.string() }),
      ),
      extra: fc.dictionary(fc.constantFrom(...NASTY_KEYS), nastyJson, { maxKeys: 4 }),
    },
    { requiredKeys: ['@context'] },
  )
  .map(({ extra, ...rest }) => ({ ...extra, ...rest, type: ['VerifiableCredential', 'OpenBadgeCredential'] }));

const REMOTE = 'https://evil.example/context.jsonld';

/** JSON-LD @context tricks applied to a signed credential's context. Each returns the new @context. */
export function contextTricks(original: unknown): Array<{ name: string; context: unknown }> {
  const base = Array.isArray(original) ? original : [original];
  return [
    { name: 'remote context URL', context: [...base, REMOTE] },
    { name: 'remote context replacing the VC context', context: [REMOTE, ...base.slice(1)] },
    { name: 'http context', context: [...base, 'http://evil.example/ctx'] },
    { name: 'data: URL context', context: [...base, 'data:application/ld+json,{"@context":{"name":"https://evil.example/name"}}'] },
    { name: 'context object redefining a term', context: [...base, { name: 'https://evil.example/name', achievement: { '@id': 'https://evil.example/achievement', '@type': '@id' } }] },
    { name: '@protected override', context: [...base, { '@protected': false, type: '@type', issuer: 'https://evil.example/issuer' }] },
    { name: '@vocab injection', context: [...base, { '@vocab': 'https://evil.example/vocab#' }] },
    { name: '@import of a remote context', context: [...base, { '@import': REMOTE, '@propagate': true }] },
    { name: '@import of a data: URL', context: [...base, { '@import': 'data:application/ld+json,{}' }] },
    { name: 'type-scoped remote context', context: [...base, { Evil: { '@id': 'https://evil.example/Evil', '@context': REMOTE } }] },
    { name: 'context with a did:web URL', context: [...base, 'did:web:169.254.169.254'] },
    { name: 'context of the wrong type', context: 42 },
    { name: 'null context', context: null },
    { name: 'empty context list', context: [] },
    { name: 'context with __proto__', context: [...base, JSON.parse('{"__proto__": {"@vocab": "https://evil.example/"}}') as unknown] },
    { name: '@version 1.0 downgrade', context: [...base, { '@version': 1.0 }] },
  ];
}

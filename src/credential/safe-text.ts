// Characters refused in human-readable credential text: they hide or reorder what a reader sees, or break storage.

// C0/C1 controls (NUL, ESC, ...), bidirectional embeddings, overrides and isolates, and the invisible BOM.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/u;
// A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above, less tab, LF and CR
const UNSAFE_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/**
 * Why `text` is not acceptable, or null: a control character, a bidirectional override or isolate (which can make
 * "Ada ‮ecalevol" read as another name), or a lone surrogate (not valid Unicode, so not valid UTF-8 on disk or on
 * the wire). `multiline` allows tab, line feed and carriage return (descriptions, criteria).
 */
export function unsafeTextProblem(text: string, options: { multiline?: boolean } = {}): string | null {
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (invalid Unicode)';
  if ((options.multiline === true ? UNSAFE_EXCEPT_LINES : UNSAFE).test(text)) return 'must not contain control characters or bidirectional overrides';
  return null;
}

// Check 1, parse: is the input a Data Integrity credential, a JWS, an envelope or a presentation?
import type { ParsedInput } from '../input';
import { checkResult, type CheckResult } from '../result';

const SECURING_WORDS = {
  'data-integrity': 'a credential secured with a Data Integrity proof',
  'vc-jose': 'a credential secured as a JWS (VC-JOSE)',
  'vc-jose-envelope': 'a JWS credential in an envelope with its anchor proof',
  'vc-cose-envelope': 'a credential secured with COSE (VC-COSE) in an envelope',
} as const;

/** PARSE_OK (passed) with data {kind, securing}; otherwise failed with the parser's PARSE_* code. */
export function parseCheck(parsed: ParsedInput): CheckResult {
  if (parsed.kind === 'credential') {
    return checkResult('parse', 'passed', 'PARSE_OK', `This is ${SECURING_WORDS[parsed.securing]}.`, { kind: 'credential', securing: parsed.securing });
  }
  if (parsed.kind === 'presentation') {
    return checkResult('parse', 'passed', 'PARSE_OK', `This is a presentation holding ${parsed.entries.length} credential(s).`, {
      kind: 'presentation',
      credentials: parsed.entries.length,
    });
  }
  return checkResult('parse', 'failed', parsed.code, parsed.message);
}

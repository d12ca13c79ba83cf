// The error catalog: typed codes, one status and exit code per code, every code used in src/ and cli/ listed, docs current.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, MicrocredError, couldNotCheck, exitCodeOf, httpStatusOf, isErrorCode, isMicrocredError } from '../../src/errors';
import { errorTableMarkdown } from '../../src/errors/table';
import { PROBLEM_CODES } from '../../src/server/problem';

const ROOT = path.resolve(__dirname, '../..');

/** Every .ts file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('MicrocredError', () => {
  it('carries a stable code and details, and is recognised by code', () => {
    const error = new MicrocredError('ERR_USAGE', 'what to do next', { details: { field: 'x' } });
    expect(error.code).toBe('ERR_USAGE');
    expect(error.details).toEqual({ field: 'x' });
    expect(error.name).toBe('MicrocredError');
    expect(isMicrocredError(error, 'ERR_USAGE')).toBe(true);
    expect(isMicrocredError(error, 'ERR_FAILED')).toBe(false);
    expect(isMicrocredError(new Error('plain'))).toBe(false);
  });

  it('takes only codes from the catalog (a typo does not compile)', () => {
    // @ts-expect-error -- ERR_USAGEE is not in the catalog; tsc --noEmit fails if this line ever compiles.
    const typo = new MicrocredError('ERR_USAGEE', 'typo');
    expect(isErrorCode(typo.code)).toBe(false);
  });
});

describe('the error catalog', () => {
  it('gives every code an HTTP error status, an exit code of 1, 2 or 3 and a one-line meaning', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(code).toMatch(/^ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      expect(entry.http, code).toBeGreaterThanOrEqual(400);
      expect(entry.http, code).toBeLessThanOrEqual(599);
      expect([1, 2, 3], code).toContain(entry.exit);
      expect(entry.meaning, code).toMatch(/^\S.*[.)]$/);
      expect(entry.meaning, code).not.toContain('\n');
    }
  });

  it('answers lookups, and treats an unknown code as could-not-check and 500, never as invalid', () => {
    expect(httpStatusOf('ERR_CREDENTIAL_NOT_FOUND')).toBe(404);
    expect(exitCodeOf('ERR_USAGE')).toBe(2);
    expect(exitCodeOf('ERR_STATUS_TRANSITION')).toBe(1);
    expect(exitCodeOf('ERR_RPC_UNAVAILABLE')).toBe(3);
    expect(exitCodeOf('ERR_NOT_A_CODE')).toBe(3);
    expect(httpStatusOf('ERR_NOT_A_CODE')).toBe(500);
    expect(isErrorCode('constructor')).toBe(false);
    expect(couldNotCheck('ERR_DID_WEB_TIMEOUT')).toBe(true);
    expect(couldNotCheck('ERR_DID_VM_NOT_FOUND')).toBe(false);
    expect(couldNotCheck('ERR_JOSE_SIGNATURE')).toBe(false);
  });

  it('agrees with the problem codes of the servers', () => {
    for (const [code, problem] of Object.entries(PROBLEM_CODES)) expect(httpStatusOf(code), code).toBe(problem.status);
  });

  it('lists every ERR_* code that src/ or cli/ throws, returns or names', () => {
    const catalogFile = path.join(ROOT, 'src', 'errors', 'catalog.ts');
    const files = [...sourceFiles('src'), ...sourceFiles('cli')].filter((file) => file !== catalogFile);
    const used = new Map<string, string>();
    for (const file of files) {
      // A code ends in a letter or digit; "ERR_DID_*" in a comment names a family, not a code.
      for (const match of readFileSync(file, 'utf8').matchAll(/\bERR_[A-Z0-9_]*[A-Z0-9]\b(?!_?\*)/g)) used.set(match[0], path.relative(ROOT, file));
    }
    expect(used.size, 'the scan found too few codes: is it reading the right folders?').toBeGreaterThan(100);
    const missing = [...used].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'add these codes to src/errors/catalog.ts').toEqual([]);
  });

  it('is what docs/errors.md shows (regenerate with npx tsx scripts/docs-errors-table.ts)', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');
    expect(doc).toContain(`<!-- errors:start -->\n${errorTableMarkdown()}\n<!-- errors:end -->`);
  });
});

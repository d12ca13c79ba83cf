// The fast lane stays fast: no file in the `unit` project starts a chain, a child process, the system or a browser.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TESTS, INTEGRATION_TESTS, SLOW_MARKERS } from '../lanes';

const ROOT = path.resolve(__dirname, '../..');

/** True when `file` (relative, with /) matches one of the lane globs (a path, or a folder followed by **). */
function listed(file: string, globs: readonly string[]): boolean {
  return globs.some((glob) => (glob.endsWith('/**/*.test.ts') ? file.startsWith(glob.slice(0, -'**/*.test.ts'.length)) : file === glob));
}

describe('test lanes', () => {
  const files = readdirSync(path.join(ROOT, 'tests'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));

  it('keeps every unit-lane file free of chains, child processes, the whole system and browsers', () => {
    const unit = files.filter((file) => !listed(file, INTEGRATION_TESTS) && !listed(file, E2E_TESTS));
    expect(unit.length).toBeGreaterThan(30);
    const slow = unit.filter((file) => SLOW_MARKERS.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(slow, 'list these in tests/lanes.ts (integration or e2e)').toEqual([]);
  });

  it('lists only files that exist, and each in one lane', () => {
    for (const glob of [...INTEGRATION_TESTS, ...E2E_TESTS]) expect(files.some((file) => listed(file, [glob])), glob).toBe(true);
    for (const file of files) expect(listed(file, INTEGRATION_TESTS) && listed(file, E2E_TESTS), file).toBe(false);
  });

  it('puts the files that do start something in a slow lane', () => {
    const starters = files.filter((file) => SLOW_MARKERS.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(starters.length).toBeGreaterThan(20);
    for (const file of starters) expect(listed(file, INTEGRATION_TESTS) || listed(file, E2E_TESTS), file).toBe(true);
  });
});

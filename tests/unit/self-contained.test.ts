// No project file reads outside the repository: a fresh clone, with nothing beside it, must build, run and test.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
/** Folders and top-level files of the project that hold code or configuration (not docs, not build output). */
const FOLDERS = ['src', 'cli', 'tests', 'scripts', 'bench', '.ci', 'bin', 'types', 'contracts', 'examples'];
const TOP_FILES = ['package.json', 'hardhat.config.ts', 'vitest.config.ts', 'tsconfig.json', 'eslint.config.mjs', '.npmrc', '.solhint.json'];
// The team's folder beside the clone, spelt so that this file does not itself name the path it looks for.
const TEAM_FOLDER = ['sha', 'red'].join('');
const OUTSIDE_FOLDER = new RegExp(`\\.\\.[/\\\\]+${TEAM_FOLDER}\\b|['"]\\.\\.['"]\\s*,\\s*['"]${TEAM_FOLDER}['"]`, 'g');
const CODE = /\.(ts|cts|mts|js|cjs|mjs|json|sh|sol)$|^run$/;

function projectFiles(): string[] {
  const inFolders = FOLDERS.flatMap((folder) =>
    readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && CODE.test(entry.name) && !entry.parentPath.includes('node_modules'))
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
  return [...inFolders, ...TOP_FILES.map((file) => path.join(ROOT, file))].filter((file) => statSync(file, { throwIfNoEntry: false }) !== undefined);
}

const inside = (target: string): boolean => target === ROOT || target.startsWith(ROOT + path.sep);

/** Every place in `text` (of `file`) that names a path outside the repository. */
function escapes(file: string, text: string): string[] {
  const found: string[] = [];
  const dir = path.dirname(file);
  // The workplace folder beside the repository, in any spelling.
  for (const match of text.matchAll(OUTSIDE_FOLDER)) found.push(match[0]);
  // Module specifiers: import … from '…', import('…'), require('…'), export … from '…'.
  for (const match of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g)) {
    if (!inside(path.resolve(dir, match[1]!))) found.push(match[1]!);
  }
  // Paths built from this file's folder: path.join/resolve(__dirname, 'a', '../b', …) with literal segments.
  for (const match of text.matchAll(/path\.(?:join|resolve)\(\s*__dirname\s*((?:,\s*['"][^'"]*['"]\s*)+)\)/g)) {
    const segments = [...match[1]!.matchAll(/['"]([^'"]*)['"]/g)].map((m) => m[1]!);
    if (!inside(path.resolve(dir, ...segments))) found.push(match[0]);
  }
  return found;
}

describe('the repository is self-contained', () => {
  // This file names such paths on purpose, to prove the scan sees them.
  const files = projectFiles().filter((file) => file !== __filename);

  it('scans the code of every folder', () => {
    expect(files.length).toBeGreaterThan(200);
    for (const folder of ['src', 'cli', 'tests', 'scripts', 'bench', '.ci']) expect(files.some((file) => file.startsWith(path.join(ROOT, folder) + path.sep)), folder).toBe(true);
  });

  it('has no file that reads the team folder beside the clone, or a path above the repository root', () => {
    const offenders = files.flatMap((file) => escapes(file, readFileSync(file, 'utf8')).map((what) => `${path.relative(ROOT, file)}: ${what}`));
    expect(offenders).toEqual([]);
  });

  it('would notice one (the scan is not blind)', () => {
    const here = path.join(ROOT, 'tests', 'unit', 'x.ts');
    expect(escapes(here, `readFileSync(path.resolve(__dirname, '../../../${TEAM_FOLDER}/vectors/a.json'))`)).toHaveLength(2);
    expect(escapes(here, "import x from '../../../outside';")).toEqual(['../../../outside']);
    expect(escapes(here, "path.join(__dirname, '..', '..', '..', 'elsewhere')")).toHaveLength(1);
    expect(escapes(here, "import x from '../../src/errors'; path.join(__dirname, '..', 'vectors')")).toEqual([]);
  });
});

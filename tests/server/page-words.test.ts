// The page's words (src/server/page/words.js): every code the checks emit has a plain sentence, every on-chain reason
// number has words, and docs/verification.md gives the same words.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { STATUS_REASON_CODES } from '../../src/anchoring/status-reasons';
import { PAGE_DIR } from '../../src/server/page-routes';
import { FLAGS } from '../../src/verify/result';

interface Words {
  STATES: Record<string, { title: string; text: string }>;
  CODES: Record<string, { text: string | ((data: object, date: (v: string) => string) => string); word?: string }>;
  REASONS: Record<string, string>;
}

function loadWords(): Words {
  const sandbox: { window: { MicrocredWords?: Words } } = { window: {} };
  vm.runInNewContext(readFileSync(path.join(PAGE_DIR, 'words.js'), 'utf8'), sandbox);
  return sandbox.window.MicrocredWords!;
}

const words = loadWords();
const docs = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'verification.md'), 'utf8');
const CHECKS_DIR = path.resolve(__dirname, '..', '..', 'src', 'verify', 'checks');

/** Every code a check can return, read from the checks' sources (`checkResult('name', 'status', 'CODE'`). */
function emittedCodes(): string[] {
  const codes = new Set<string>();
  for (const file of readdirSync(CHECKS_DIR)) {
    const source = readFileSync(path.join(CHECKS_DIR, file), 'utf8');
    for (const match of source.matchAll(/checkResult\(\s*'[a-z-]+',\s*'[a-z]+',\s*'([A-Z_]+)'/g)) codes.add(match[1]!);
  }
  return [...codes];
}

describe('the page’s words', () => {
  it('has a plain sentence for every code a check returns', () => {
    const codes = emittedCodes();
    expect(codes.length).toBeGreaterThan(40);
    const missing = codes.filter((code) => words.CODES[code] === undefined);
    expect(missing, 'add plain words for these codes to src/server/page/words.js and docs/verification.md').toEqual([]);
  });

  it('has a state for every flag, and words for every on-chain reason number', () => {
    for (const flag of FLAGS) expect(words.STATES[flag], flag).toBeDefined();
    for (const number of Object.values(STATUS_REASON_CODES)) expect(words.REASONS[number], String(number)).toBeDefined();
  });

  it('docs/verification.md gives the same words', () => {
    for (const [state, look] of Object.entries(words.STATES)) {
      expect(docs, state).toContain(`| \`${state}\` | ${look.title} | ${look.text} |`);
    }
    for (const [code, entry] of Object.entries(words.CODES)) {
      if (typeof entry.text === 'string') expect(docs, code).toContain(entry.text);
    }
    for (const reason of Object.values(words.REASONS).filter((r) => r !== '')) expect(docs).toContain(reason);
  });
});

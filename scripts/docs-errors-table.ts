// Writes the error table of docs/errors.md from src/errors/catalog.ts, so the table and the code cannot drift apart.
// Usage: npx tsx scripts/docs-errors-table.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorTableMarkdown } from '../src/errors/table';

const DOC = path.resolve(__dirname, '../docs/errors.md');
const START = '<!-- errors:start -->';
const END = '<!-- errors:end -->';

const text = readFileSync(DOC, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/errors.md needs the markers ${START} and ${END}`);
const updated = `${text.slice(0, start + START.length)}\n${errorTableMarkdown()}\n${text.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== text) {
    console.error('docs/errors.md error table is stale: run npx tsx scripts/docs-errors-table.ts');
    process.exit(1);
  }
} else {
  writeFileSync(DOC, updated);
}

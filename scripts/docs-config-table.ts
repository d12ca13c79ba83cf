// Writes the README's configuration table from src/config/env.ts, so the table and the code cannot drift apart.
// Usage: npx tsx scripts/docs-config-table.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configTableMarkdown } from '../src/config/table';

const README = path.resolve(__dirname, '../README.md');
const START = '<!-- config:start -->';
const END = '<!-- config:end -->';

const text = readFileSync(README, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
const updated = `${text.slice(0, start + START.length)}\n${configTableMarkdown()}\n${text.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== text) {
    console.error('README.md configuration table is stale: run npx tsx scripts/docs-config-table.ts');
    process.exit(1);
  }
} else {
  writeFileSync(README, updated);
}

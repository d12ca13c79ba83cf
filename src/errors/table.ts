// Renders the error catalog as the Markdown table of docs/errors.md.
import { ERROR_CATALOG } from './catalog';

/** The error table: code, HTTP status, CLI exit code and meaning, one row per code in catalog order. */
export function errorTableMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOG).map(([code, entry]) => `| \`${code}\` | ${entry.http} | ${entry.exit} | ${entry.meaning.replaceAll('|', '\\|')} |`);
  return ['| code | HTTP | exit | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

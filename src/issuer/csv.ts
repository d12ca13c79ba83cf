// Reads a cohort CSV (documented columns, header row) into completion records, each tagged with its row in the file.
import { parse } from 'csv-parse/sync';
import { checkCompletionRecord, type RecordIssue } from '../credential';
import { MicrocredError } from '../errors';
import type { BatchRowInput } from './types';

/** The columns a cohort CSV may have, and the completion-record field each one fills (docs/api.md). */
export const CSV_COLUMNS = {
  learner_email: 'learner.email',
  learner_did: 'learner.did',
  learner_name: 'learner.name',
  /** A module of the issuer's catalog; replaces the module_* columns (docs/catalog.md). */
  moduleid: 'moduleId',
  module_id: 'module.id',
  module_name: 'module.name',
  module_description: 'module.description',
  criteria: 'module.criteria',
  image: 'module.image',
  credits: 'module.credits',
  completed_at: 'completedAt',
  expires_at: 'expiresAt',
  valid_for: 'validFor',
  result_status: 'result.status',
  result_value: 'result.value',
} as const;

/** A CSV column name. */
export type CsvColumn = keyof typeof CSV_COLUMNS;

/** Columns every file must have (a learner column too: learner_email or learner_did), unless it names catalog modules. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['module_id', 'module_name', 'module_description', 'criteria', 'completed_at'];

/** Columns a file that names catalog modules (a `moduleId` column) must have. */
export const REQUIRED_CATALOG_CSV_COLUMNS: readonly CsvColumn[] = ['moduleid', 'completed_at'];

/** Default cap on data rows per file or request. */
export const DEFAULT_MAX_CSV_ROWS = 50_000;

const COLUMN_BY_FIELD = new Map<string, string>(Object.entries(CSV_COLUMNS).map(([column, field]) => [field, column]));
COLUMN_BY_FIELD.set('learner', 'learner_email');
COLUMN_BY_FIELD.set('moduleId', 'moduleId');
COLUMN_BY_FIELD.set('module', 'module_id');
COLUMN_BY_FIELD.set('result', 'result_status');

/** The CSV column for a completion-record field path (`module.name` → `module_name`); unknown paths pass through. */
export function csvColumnOf(field: string): string {
  return COLUMN_BY_FIELD.get(field) ?? field;
}

function csvError(message: string, details: Record<string, unknown> = {}): MicrocredError {
  return new MicrocredError('ERR_CSV_INVALID', message, { details });
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1] as string] = value;
}

/**
 * Parses CSV text: the first row names the columns (any order, case-insensitive); each later row becomes one
 * completion record (empty cells are left out) with `row` = its line in the file (header = 1). Rows with bad cells
 * carry `issues` named by column. Throws ERR_CSV_INVALID for a file that cannot be read as a whole (no header,
 * unknown or missing columns, an unclosed quote) and ERR_BATCH_TOO_LARGE beyond `maxRows`.
 */
export function parseCohortCsv(text: string, options: { maxRows?: number } = {}): BatchRowInput[] {
  const maxRows = options.maxRows ?? DEFAULT_MAX_CSV_ROWS;
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw csvError(`The CSV cannot be read${typeof line === 'number' ? ` (line ${line})` : ''}: ${(error as Error).message}`, typeof line === 'number' ? { line } : {});
  }
  const [header, ...data] = records;
  if (header === undefined) throw csvError('The CSV is empty: the first row must name the columns (see docs/api.md).');
  const columns = header.record.map((name) => name.trim().toLowerCase());
  // Own keys only: `in` would accept "__proto__" or "constructor" and then map them to Object.prototype members.
  const unknown = columns.filter((c) => !Object.hasOwn(CSV_COLUMNS, c));
  const duplicate = columns.filter((c, i) => columns.indexOf(c) !== i);
  const missing = (columns.includes('moduleid') ? REQUIRED_CATALOG_CSV_COLUMNS : REQUIRED_CSV_COLUMNS).filter((c) => !columns.includes(c));
  if (!columns.includes('learner_email') && !columns.includes('learner_did')) missing.push('learner_email');
  if (unknown.length > 0 || duplicate.length > 0 || missing.length > 0) {
    const parts = [
      unknown.length > 0 ? `unknown columns ${unknown.join(', ')}` : '',
      duplicate.length > 0 ? `repeated columns ${duplicate.join(', ')}` : '',
      missing.length > 0 ? `missing columns ${missing.join(', ')} (learner_did may replace learner_email)` : '',
    ].filter((p) => p !== '');
    throw csvError(`The CSV header is not usable: ${parts.join('; ')}. Allowed columns: ${Object.keys(CSV_COLUMNS).map((c) => (c === 'moduleid' ? 'moduleId' : c)).join(', ')}.`, { unknown, duplicate, missing });
  }
  if (data.length > maxRows) {
    throw new MicrocredError('ERR_BATCH_TOO_LARGE', `The CSV has ${data.length} rows; send at most ${maxRows} per request (split the file).`, { details: { maxRows, rows: data.length } });
  }
  return data.map(({ record: cells, info }) => rowOf(columns as CsvColumn[], cells, info.lines));
}

function rowOf(columns: readonly CsvColumn[], cells: readonly string[], row: number): BatchRowInput {
  const issues: RecordIssue[] = [];
  if (cells.length !== columns.length) issues.push({ field: '(row)', message: `has ${cells.length} cells, the header has ${columns.length}` });
  const input: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const cell = cells[i];
    if (cell === undefined || cell === '') return;
    if (column === 'credits') {
      const value = Number(cell);
      if (!Number.isFinite(value)) issues.push({ field: column, message: 'must be a number' });
      else setPath(input, CSV_COLUMNS[column], value);
      return;
    }
    setPath(input, CSV_COLUMNS[column], cell);
  });
  if (issues.length === 0) {
    const checked = checkCompletionRecord(input);
    if (!checked.ok) for (const issue of checked.issues) issues.push({ field: csvColumnOf(issue.field), message: issue.message });
  }
  return issues.length > 0 ? { row, input, issues } : { row, input };
}

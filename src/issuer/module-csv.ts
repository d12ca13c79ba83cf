// Reads a module catalog CSV (one module per row) into module definitions, each tagged with its row in the file.
import { parse } from 'csv-parse/sync';
import type { RecordIssue } from '../credential';
import { MicrocredError } from '../errors';

/** The columns of a module CSV (docs/catalog.md); lists (tags) are separated by `;`. */
export const MODULE_CSV_COLUMNS = [
  'id',
  'name',
  'description',
  'criteria',
  'image',
  'credits',
  'credit_unit',
  'tags',
  'alignment_name',
  'alignment_url',
  'alignment_code',
  'alignment_framework',
  'accreditation_name',
  'accreditation_url',
] as const;

/** Columns every module CSV must have. */
export const REQUIRED_MODULE_CSV_COLUMNS = ['id', 'name', 'description', 'criteria'] as const;

/** One row of a module CSV: its line in the file and the definition it holds (unchecked), or the cell problems found. */
export interface ModuleCsvRow {
  row: number;
  input: Record<string, unknown>;
  issues?: RecordIssue[];
}

/** Most rows one module CSV may hold. */
export const MAX_MODULE_CSV_ROWS = 5000;

/** Parses a module CSV; ERR_CSV_INVALID for a file that cannot be read as a whole (header, columns, quoting). */
export function parseModuleCsv(text: string): ModuleCsvRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    throw new MicrocredError('ERR_CSV_INVALID', `The module CSV cannot be read: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (header === undefined) throw new MicrocredError('ERR_CSV_INVALID', `The module CSV is empty: the first row must name the columns (${MODULE_CSV_COLUMNS.join(', ')}).`);
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const known: readonly string[] = MODULE_CSV_COLUMNS;
  const unknown = columns.filter((c) => !known.includes(c));
  const missing = REQUIRED_MODULE_CSV_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    throw new MicrocredError(
      'ERR_CSV_INVALID',
      `The module CSV header is not usable: ${[unknown.length > 0 ? `unknown columns ${unknown.join(', ')}` : '', missing.length > 0 ? `missing columns ${missing.join(', ')}` : '', repeated.length > 0 ? `repeated columns ${repeated.join(', ')}` : ''].filter(Boolean).join('; ')}. Allowed columns: ${MODULE_CSV_COLUMNS.join(', ')}.`,
      { details: { unknown, missing, repeated } },
    );
  }
  if (data.length > MAX_MODULE_CSV_ROWS) throw new MicrocredError('ERR_BATCH_TOO_LARGE', `The module CSV has ${data.length} rows; import at most ${MAX_MODULE_CSV_ROWS} at a time.`, { details: { maxRows: MAX_MODULE_CSV_ROWS } });
  return data.map(({ record, info }) => rowOf(columns, record, info.lines));
}

function rowOf(columns: readonly string[], cells: readonly string[], row: number): ModuleCsvRow {
  const cell = new Map<string, string>();
  columns.forEach((c, i) => {
    const value = cells[i];
    if (value !== undefined && value !== '') cell.set(c, value);
  });
  const issues: RecordIssue[] = [];
  if (cells.length !== columns.length) issues.push({ field: '(row)', message: `has ${cells.length} cells, the header has ${columns.length}` });
  const input: Record<string, unknown> = {};
  for (const field of ['id', 'name', 'description', 'criteria', 'image'] as const) if (cell.has(field)) input[field] = cell.get(field);
  if (cell.has('credits')) {
    const credits = Number(cell.get('credits'));
    if (Number.isFinite(credits)) input.credits = credits;
    else issues.push({ field: 'credits', message: 'must be a number' });
  }
  if (cell.has('credit_unit')) input.creditUnit = cell.get('credit_unit');
  if (cell.has('tags')) input.tags = (cell.get('tags') as string).split(';').map((t) => t.trim()).filter((t) => t !== '');
  if (cell.has('alignment_name') || cell.has('alignment_url') || cell.has('alignment_code') || cell.has('alignment_framework')) {
    input.alignments = [
      {
        ...(cell.has('alignment_name') ? { targetName: cell.get('alignment_name') } : {}),
        ...(cell.has('alignment_url') ? { targetUrl: cell.get('alignment_url') } : {}),
        ...(cell.has('alignment_code') ? { targetCode: cell.get('alignment_code') } : {}),
        ...(cell.has('alignment_framework') ? { targetFramework: cell.get('alignment_framework') } : {}),
      },
    ];
  }
  if (cell.has('accreditation_name') || cell.has('accreditation_url')) {
    input.accreditation = { ...(cell.has('accreditation_name') ? { name: cell.get('accreditation_name') } : {}), ...(cell.has('accreditation_url') ? { url: cell.get('accreditation_url') } : {}) };
  }
  return issues.length > 0 ? { row, input, issues } : { row, input };
}

/** The CSV column a module definition field is read from (for per-row errors). */
export function moduleCsvColumnOf(field: string): string {
  if (field === 'creditUnit') return 'credit_unit';
  if (field.startsWith('alignments.0.target')) return `alignment_${field.slice('alignments.0.target'.length).toLowerCase()}`;
  if (field.startsWith('accreditation.')) return `accreditation_${field.slice('accreditation.'.length)}`;
  if (field.startsWith('tags')) return 'tags';
  return field;
}

// Which credentials an export means: ids, a batch, or a cohort file (a CSV of ids, or the cohort CSV that issued them).
import { parse } from 'csv-parse/sync';
import { checkCompletionRecord, validFromOf } from '../credential';
import { MicrocredError } from '../errors';
import type { CredentialRow, ExportStore } from '../store';
import { parseCohortCsv } from './csv';

/** What to export: credential ids, every credential of a batch, or the credentials a cohort file names. */
export type ExportSelection = { readonly ids: readonly string[] } | { readonly batchId: number } | { readonly cohortCsv: string };

/** A credential to export, with the file row that named it (cohort files). */
export interface ExportTarget {
  readonly credentialId: string;
  readonly row?: number;
  /** Older credentials the same cohort row also matches (the row was issued more than once); the newest is exported. */
  readonly alsoMatched?: readonly string[];
}

/** Something the selection named that no stored credential answers. */
export interface ExportMissing {
  /** The id, or a short description of the cohort row. */
  readonly reference: string;
  readonly row?: number;
  readonly reason: string;
}

/** The credentials selected, in the order they were named, and what matched nothing. */
export interface ExportSelected {
  readonly targets: ExportTarget[];
  readonly missing: ExportMissing[];
}

const UUID = /^(?:urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const ID_COLUMNS = ['credential_id', 'credentialid', 'id'];
/** Most credentials a batch export lists (a batch holds at most batch.maxLeaves; this bounds the paging loop). */
const MAX_BATCH_PAGES = 1000;

/** `urn:uuid:<lower-case uuid>` from an id or a bare UUID; null when it is neither. */
export function normaliseCredentialId(text: string): string | null {
  const match = UUID.exec(text.trim());
  return match === null ? null : `urn:uuid:${(match[1] as string).toLowerCase()}`;
}

function inputError(message: string, details: Record<string, unknown> = {}): MicrocredError {
  return new MicrocredError('ERR_EXPORT_INPUT', message, { details });
}

function byIds(store: ExportStore, named: ReadonlyArray<{ text: string; row?: number }>): ExportSelected {
  const targets: ExportTarget[] = [];
  const missing: ExportMissing[] = [];
  const seen = new Set<string>();
  for (const { text, row } of named) {
    const id = normaliseCredentialId(text);
    if (id === null) throw inputError(`"${text.slice(0, 80)}"${row === undefined ? '' : ` (row ${row})`} is not a credential id: give urn:uuid:… or the bare UUID.`, row === undefined ? {} : { row });
    if (seen.has(id)) continue;
    seen.add(id);
    if (store.getCredential(id) === null) missing.push({ reference: id, ...(row === undefined ? {} : { row }), reason: 'no credential with this id was issued here' });
    else targets.push({ credentialId: id, ...(row === undefined ? {} : { row }) });
  }
  return { targets, missing };
}

function byBatch(store: ExportStore, batchId: number): ExportSelected {
  if (store.getBatch(batchId) === null) throw new MicrocredError('ERR_BATCH_NOT_FOUND', `No batch ${batchId} in this data folder: list the batches with GET /v1/batches or microcred anchor --json.`, { details: { batchId } });
  const targets: ExportTarget[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_BATCH_PAGES; page++) {
    const { items, nextCursor } = store.listCredentials({ batchId, order: 'asc', limit: 1000, cursor });
    for (const row of items) targets.push({ credentialId: row.id });
    if (nextCursor === null) break;
    cursor = nextCursor;
  }
  return { targets, missing: [] };
}

/** The rows of a CSV of credential ids (a column named credential_id or id, or ids in the first row), or null. */
function idRows(text: string): Array<{ text: string; row: number }> | null {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    throw inputError(`The cohort file cannot be read as CSV: ${(error as Error).message}`);
  }
  const [first, ...rest] = records;
  if (first === undefined) throw inputError('The cohort file is empty: give a CSV of credential ids, or the cohort CSV the credentials were issued from.');
  const column = first.record.findIndex((cell) => ID_COLUMNS.includes(cell.toLowerCase()));
  if (column >= 0) return rest.map(({ record, info }) => ({ text: record[column] ?? '', row: info.lines }));
  const idColumn = first.record.findIndex((cell) => UUID.test(cell));
  if (idColumn >= 0) return records.map(({ record, info }) => ({ text: record[idColumn] ?? '', row: info.lines }));
  return null;
}

function documentOf(row: CredentialRow): Record<string, unknown> | string {
  return row.format === 'jose' ? row.document : (JSON.parse(row.document) as Record<string, unknown>);
}

/**
 * The cohort CSV the credentials were issued from: each good row is matched to the credential issued for it, by what
 * the issuer stores with every credential: the learner (email → learners table, or holder DID), the module id and
 * the completion time (the credential's validFrom). A row issued twice matches both; the newest is exported.
 */
function byCohort(store: ExportStore, text: string): ExportSelected {
  const targets: ExportTarget[] = [];
  const missing: ExportMissing[] = [];
  const seen = new Set<string>();
  for (const row of parseCohortCsv(text)) {
    const checked = row.issues === undefined ? checkCompletionRecord(row.input) : null;
    if (checked === null || !checked.ok) {
      missing.push({ reference: `row ${row.row}`, row: row.row, reason: 'the row is not a valid completion record, so nothing was issued for it' });
      continue;
    }
    const { learner, completedAt } = checked.record;
    // A row that names a catalog module by moduleId carries the achievement id there, not in `module`.
    const moduleId = checked.record.module?.id ?? checked.record.moduleId ?? '';
    const who = learner.did ?? learner.email ?? '';
    const reference = `${who}, ${moduleId}, ${completedAt}`;
    let filter: { learnerRef: string } | { learnerId: string } | null = null;
    if (learner.did !== undefined) filter = { learnerRef: learner.did };
    else if (learner.email !== undefined) {
      const found = store.findLearnerByEmail(learner.email);
      filter = found === null ? null : { learnerId: found.id };
    }
    const when = Date.parse(completedAt);
    const matches = filter === null ? [] : store.listCredentials({ ...filter, moduleId, limit: 1000 }).items.filter((c) => Date.parse(validFromOf(documentOf(c)) ?? '') === when);
    const [newest, ...older] = matches;
    if (newest === undefined) {
      missing.push({ reference, row: row.row, reason: 'no credential issued here matches this row (learner, module and completion time); was it issued, or the learner erased?' });
      continue;
    }
    if (seen.has(newest.id)) continue;
    seen.add(newest.id);
    targets.push({ credentialId: newest.id, row: row.row, ...(older.length > 0 ? { alsoMatched: older.map((c) => c.id) } : {}) });
  }
  return { targets, missing };
}

/**
 * Resolves a selection to stored credentials. Throws ERR_EXPORT_INPUT for an id that is not one or an unreadable file,
 * ERR_CSV_INVALID for a cohort CSV whose header is wrong, ERR_BATCH_NOT_FOUND for an unknown batch.
 */
export function selectForExport(store: ExportStore, selection: ExportSelection): ExportSelected {
  if ('ids' in selection) return byIds(store, selection.ids.map((text) => ({ text })));
  if ('batchId' in selection) return byBatch(store, selection.batchId);
  const ids = idRows(selection.cohortCsv);
  return ids === null ? byCohort(store, selection.cohortCsv) : byIds(store, ids);
}

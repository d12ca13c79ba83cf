// Turns one batch request (a CSV cohort or JSON records, plus query options) into rows and issue options.
import { MicrocredError } from '../errors';
import type { CredentialFormat } from '../store';
import { csvColumnOf, DEFAULT_MAX_CSV_ROWS, parseCohortCsv } from './csv';
import type { BatchOutcome, BatchRowInput, IssueManyOptions } from './types';

/** A batch as it arrived: CSV text, or JSON records with the body's own options. */
export type BatchSource = { readonly csv: string } | { readonly records: readonly unknown[]; readonly format?: CredentialFormat; readonly atomic?: boolean };

/** What {@link planBatch} reads: the body, the query's options, the row cap and who asks. */
export interface BatchRequest {
  readonly source: BatchSource;
  /** Options from the query string; options in a JSON body win over them. */
  readonly query: { readonly format?: CredentialFormat; readonly atomic?: boolean };
  /** Most rows per request (default {@link DEFAULT_MAX_CSV_ROWS}). */
  readonly maxRows?: number;
  readonly actor: string;
}

/** Rows ready for issueMany/prepareMany and the options to issue them with. */
export interface BatchPlan {
  readonly rows: readonly BatchRowInput[];
  readonly options: IssueManyOptions & { readonly format: CredentialFormat; readonly atomic: boolean; readonly actor: string };
}

/**
 * Decides the rows and options of a batch: CSV rows are read with the cohort columns (errors named by column), JSON
 * records are numbered from 1; the body's `format`/`atomic` win over the query's; ERR_BATCH_TOO_LARGE over the row
 * cap, ERR_BATCH_EMPTY without rows, ERR_CSV_INVALID for a CSV that cannot be read.
 */
export function planBatch(request: BatchRequest): BatchPlan {
  const maxRows = request.maxRows ?? DEFAULT_MAX_CSV_ROWS;
  let format = request.query.format ?? 'di';
  let atomic = request.query.atomic ?? false;
  let rows: BatchRowInput[];
  const { source } = request;
  if ('csv' in source) {
    rows = parseCohortCsv(source.csv, { maxRows });
  } else {
    format = source.format ?? format;
    atomic = source.atomic ?? atomic;
    if (source.records.length > maxRows) {
      throw new MicrocredError('ERR_BATCH_TOO_LARGE', `Send at most ${maxRows} records per request (got ${source.records.length}).`, { details: { maxRows } });
    }
    rows = source.records.map((input, index) => ({ row: index + 1, input }));
  }
  if (rows.length === 0) throw new MicrocredError('ERR_BATCH_EMPTY', 'The batch has no rows; send at least one completion record.');
  return { rows, options: { format, atomic, actor: request.actor, ...('csv' in source ? { fieldName: csvColumnOf } : {}) } };
}

/** ERR_BATCH_REJECTED: an atomic batch with bad rows; the details list them and say nothing was issued. */
export function batchRejected(outcome: BatchOutcome): MicrocredError {
  const bad = outcome.rows.filter((r) => r.status === 'invalid' || r.status === 'failed');
  return new MicrocredError('ERR_BATCH_REJECTED', `Nothing was issued: ${bad.length} row(s) are bad and atomic=true. Fix them and send the batch again.`, {
    details: { issued: 0, failed: bad.length, rows: bad },
  });
}

// Words and files for a bulk run: the per-file line, the summary text, and a CSV report safe to open in a spreadsheet.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { BulkResult, BulkSummary } from './bulk';
import { FLAGS } from './result';

const LABEL: Record<BulkResult['category'], string> = {
  valid: 'VALID',
  invalid: 'INVALID',
  indeterminate: 'COULD NOT CHECK',
  'not-credential': 'NOT A CREDENTIAL',
};

/** The reason that made the verdict: a failed check first, then a check that could not be done, then any. */
export function mainReason(result: BulkResult): BulkResult['reasons'][number] | undefined {
  return result.reasons.find((r) => r.status === 'failed') ?? result.reasons.find((r) => r.status === 'error') ?? result.reasons.find((r) => r.status !== 'passed') ?? result.reasons[0];
}

/** One line for a file that is not valid: label, file, flags, and the reason in words with its code. */
export function resultLine(result: BulkResult): string {
  const first = mainReason(result);
  const flags = result.flags.length > 0 ? ` [${result.flags.join(', ')}]` : '';
  const reason = first ? ` ${first.check}: ${first.code} — ${first.message}` : '';
  return `${LABEL[result.category]}  ${result.file}${flags}${reason}`;
}

/** The summary as lines of text. */
export function summaryLines(summary: BulkSummary): string[] {
  const lines = [
    `Verified ${summary.total} file(s): ${summary.valid} valid, ${summary.invalid} invalid, ${summary.indeterminate} could not be checked, ${summary.notCredential} not credentials.`,
  ];
  const flags = FLAGS.filter((f) => summary.flags[f] > 0).map((f) => `${f} ${summary.flags[f]}`);
  if (flags.length > 0) lines.push(`Flags: ${flags.join(', ')}.`);
  lines.push(`Registry calls: ${summary.chainReads} (lookupMany, a few hundred credentials each; distinct roots ${summary.distinctRoots}, distinct credentials ${summary.distinctLeaves}).`);
  return lines;
}

// Cells a spreadsheet would run as a formula get a leading quote: those starting with = + - @ (also their full-width
// and small forms, which some spreadsheets fold to ASCII), after any leading white space, and those starting with a
// tab, carriage return or line feed (which can hide a formula on the next line).
const FORMULA_START = /^(?:[\s\u00a0\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66]|[\t\r\n])/;

/** Neutralises spreadsheet formula injection (OWASP "CSV injection"): prefixes risky cells with a single quote. */
export function safeCell(value: string | number | boolean | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The CSV report's columns, in order. */
export const CSV_COLUMNS = ['file', 'result', 'verdict', 'kind', 'flags', 'codes', 'reason', 'credential_id', 'issuer', 'achievement'] as const;

/** A CSV report being written row by row (csv-stringify does the quoting; {@link safeCell} the injection guard). */
export interface CsvReport {
  write(result: BulkResult): void;
  close(): Promise<void>;
}

/** Opens a CSV report at `file` (overwritten) with a header row. */
export function openCsvReport(file: string): CsvReport {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let failure: Error | undefined;
  // Kept, not thrown from an event: a report that cannot be written fails the close, not the process.
  out.on('error', (error) => {
    failure = error;
  });
  const finished = once(out, 'finish').catch((error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
  });
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
  csv.pipe(out);
  return {
    write(result) {
      const first = mainReason(result);
      const row = {
        file: result.file,
        result: result.category,
        // A file that is not a credential has no verdict of its own (the summary counts it apart), unless --strict-files.
        verdict: result.category === 'not-credential' ? 'not-credential' : result.verdict,
        kind: result.kind,
        flags: result.flags.join(' '),
        codes: result.reasons.map((r) => r.code).join(' '),
        reason: first?.message,
        credential_id: result.credentialId,
        issuer: result.issuer,
        achievement: result.achievement,
      };
      csv.write(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, safeCell(v)])));
    },
    async close() {
      csv.end();
      await finished;
      if (failure) throw failure;
    },
  };
}

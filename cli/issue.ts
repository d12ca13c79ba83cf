// `microcred issue`: one credential from flags or a JSON record, or a cohort from `--csv`, written to `--out` files.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { prepareExportFolder } from '../src/delivery';
import { MicrocredError } from '../src/errors';
import { csvColumnOf, exportCredentials, parseCohortCsv, waitForAnchors, type BatchOutcome, type ExportReport, type ExportTarget } from '../src/issuer';
import type { CredentialFormat, Store } from '../src/store';
import { EXIT, issuerServiceOf, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';
import { describeExport, exportExitCode } from './export';
import { readInputText } from './runner';

interface IssueOptions extends CommonOptions {
  record?: string;
  csv?: string;
  out?: string;
  format: CredentialFormat;
  atomic: boolean;
  email?: string;
  did?: string;
  name?: string;
  moduleId?: string;
  moduleName?: string;
  moduleDescription?: string;
  criteria?: string;
  image?: string;
  credits?: string;
  completedAt?: string;
  expiresAt?: string;
  validFor?: string;
  wait: boolean;
  waitTimeout: string;
}

/** Default of --wait-timeout: the default batch interval (5 s) many times over, and a slow chain's confirmations. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 120;

/** Writes `text` to `dir/<uuid>.<ext>` through a temp file and a rename, so a reader never sees half a credential. */
export function writeCredentialFile(dir: string, credentialId: string, credential: Record<string, unknown> | string): string {
  const name = `${credentialId.replace(/^urn:uuid:/, '')}.${typeof credential === 'string' ? 'jwt' : 'json'}`;
  const target = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, typeof credential === 'string' ? `${credential}\n` : `${JSON.stringify(credential, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
  return target;
}

function recordFromFlags(o: IssueOptions): Record<string, unknown> {
  const learner: Record<string, unknown> = {};
  if (o.email !== undefined) learner.email = o.email;
  if (o.did !== undefined) learner.did = o.did;
  if (o.name !== undefined) learner.name = o.name;
  const module: Record<string, unknown> = { id: o.moduleId, name: o.moduleName, description: o.moduleDescription, criteria: o.criteria };
  if (o.image !== undefined) module.image = o.image;
  if (o.credits !== undefined) {
    const credits = Number(o.credits);
    if (!Number.isFinite(credits)) throw usageError('--credits must be a number.');
    module.credits = credits;
  }
  // --module-id alone names a module of the catalog, which fills in the rest (docs/catalog.md).
  const fromCatalog = o.moduleId !== undefined && [o.moduleName, o.moduleDescription, o.criteria, o.image, o.credits].every((v) => v === undefined);
  const record: Record<string, unknown> = { learner, ...(fromCatalog ? { moduleId: o.moduleId } : { module }), completedAt: o.completedAt };
  if (o.expiresAt !== undefined) record.expiresAt = o.expiresAt;
  if (o.validFor !== undefined) record.validFor = o.validFor;
  return record;
}

/** Reads and parses a JSON file; ERR_USAGE naming the file when it cannot. */
export function readJsonFile(file: string): unknown {
  const text = readInputText(file, 'the file');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw usageError(`${file} is not valid JSON: ${(cause as Error).message}`);
  }
}

function printBatch(outcome: BatchOutcome, files: Map<string, string>, json: boolean, form?: 'pre-anchoring' | 'anchored'): void {
  if (json) {
    const rows = outcome.rows.map((r) =>
      r.status === 'issued' ? { row: r.row, status: r.status, credentialId: r.credentialId, learnerName: r.learnerName, leaf: r.leaf, batchId: r.batchId, ...(files.has(r.credentialId) ? { file: files.get(r.credentialId) } : {}) } : r,
    );
    const ok = outcome.failed === 0 && (form !== 'anchored' || files.size === outcome.issued);
    console.log(JSON.stringify({ ok, issued: outcome.issued, failed: outcome.failed, atomic: outcome.atomic, ...(form === undefined ? {} : { form }), rows }));
    return;
  }
  console.log(`Issued ${outcome.issued} of ${outcome.rows.length} credential(s)${outcome.atomic && outcome.issued === 0 && outcome.failed > 0 ? ' (atomic: nothing issued)' : ''}.`);
  for (const r of outcome.rows) {
    if (r.status === 'invalid') for (const e of r.errors) console.log(`  row ${r.row}: ${e.field} ${e.message}`);
    else if (r.status === 'failed') console.log(`  row ${r.row}: ${r.code} ${r.message}`);
  }
}

function batchList(ids: readonly number[]): string {
  return [...new Set(ids)].sort((a, b) => a - b).join(', ');
}

/** What to run once the batches are anchored (or to get there), for messages. */
function exportHint(batchIds: readonly number[], out: string): string {
  const batches = [...new Set(batchIds)];
  return batches.length === 1 ? `microcred export --batch ${batches[0]} --out ${out}` : `microcred export --batch <n> --out ${out} (batches ${batchList(batches)})`;
}

/** The note that --out without --wait holds the pre-anchoring form, and how to get the final one. */
function preAnchoringNote(batchIds: readonly number[], out: string): string {
  return `These files are the pre-anchoring form: verifiers say "pending anchor" and they are not for learners yet. Once the batch is anchored, write the final form with \`${exportHint(batchIds, out)}\` (or issue with --wait).`;
}

/**
 * --wait: waits for the outbox of this data folder to anchor the batches, then writes the anchored form. ERR_BATCH_FAILED
 * (exit 1) when a batch is parked as failed, ERR_ANCHOR_WAIT_TIMEOUT (exit 3) when the time runs out; both say what next.
 */
async function waitAndExport(store: Store, targets: ExportTarget[], batchIds: number[], out: string, timeoutSeconds: number, quiet: boolean): Promise<ExportReport> {
  if (!quiet) process.stderr.write(`Waiting up to ${timeoutSeconds} s for batch ${batchList(batchIds)} to be anchored…\n`);
  const outcome = await waitForAnchors(store, batchIds, { timeoutMs: timeoutSeconds * 1000 });
  if (outcome.failed.length > 0) {
    const failed = outcome.failed[0]!;
    throw new MicrocredError(
      'ERR_BATCH_FAILED',
      `Batch ${failed.id} could not be anchored (${failed.lastError ?? 'see the server log'}). The credentials are issued and stored: fix the cause, run \`microcred anchor\` (it retries failed batches), then \`${exportHint(batchIds, out)}\`.`,
      { details: { batches: outcome.failed.map((b) => b.id), issued: targets.map((t) => t.credentialId) } },
    );
  }
  if (!outcome.anchored) {
    const states = outcome.pending.map((b) => `batch ${b.id} ${b.state}`).join(', ');
    throw new MicrocredError(
      'ERR_ANCHOR_WAIT_TIMEOUT',
      `Not anchored within ${timeoutSeconds} s (${states}). The credentials are issued and stored; nothing was written to ${out}. Batches are anchored by \`microcred serve\` running on this data folder, or by \`microcred anchor\`; once that is done run \`${exportHint(batchIds, out)}\` (or wait longer with --wait-timeout).`,
      { details: { batches: outcome.pending.map((b) => b.id), issued: targets.map((t) => t.credentialId) } },
    );
  }
  return exportCredentials(store, { targets, missing: [] }, { dir: out, format: 'json', existing: 'avoid' });
}

/**
 * Builds the `issue` command. Exit codes: 0 every credential issued (with --wait: and written anchored); 1 some rows
 * were not issued (listed), issuing failed, or (--wait) a batch failed to anchor; 2 usage error (bad flags, unreadable
 * file, a CSV whose header is wrong, an invalid single record, an --out that cannot be written); 3 (--wait) not
 * anchored within --wait-timeout.
 */
export function issueCommand(): Command {
  return withCommonOptions(
    new Command('issue')
      .description('Issue one credential (flags or --record file.json) or a cohort (--csv file.csv).')
      .addHelpText(
        'after',
        [
          '',
          'Examples: microcred issue --csv cohort.csv --out ./credentials --wait   (the anchored files, ready for learners)',
          '          microcred issue --record completion.json',
          '',
          'Without --wait, --out gets the pre-anchoring form (verifiers say "pending anchor"); write the final form later',
          'with microcred export. --wait needs an anchoring worker on this data folder: a running microcred serve, or microcred anchor.',
        ].join('\n'),
      )
      .option('--record <file>', 'a completion record as JSON (see docs/api.md)')
      .option('--csv <file>', 'a cohort CSV (columns in docs/api.md); a progress bar shows on a terminal')
      .option('--out <dir>', 'write each credential to <dir>/<uuid>.json (Data Integrity) or .jwt (VC-JOSE); with --wait, the anchored form as <Learner>_<Module>_<id>.json')
      .option('--wait', 'wait until the credentials are anchored, then write their final (anchored) form to --out', false)
      .option('--wait-timeout <seconds>', 'with --wait: give up after this many seconds (exit 3)', String(DEFAULT_WAIT_TIMEOUT_SECONDS))
      .addOption(new Option('--format <form>', 'securing form').choices(['di', 'jose']).default('di'))
      .option('--atomic', 'with --csv: issue nothing unless every row is good', false)
      .option('--email <email>', 'learner email (only its salted hash enters the credential)')
      .option('--did <did>', 'learner holder DID')
      .option('--name <name>', 'learner display name')
      .option('--module-id <uri>', 'module (achievement) id; given alone, a module of the catalog (`microcred module list`)')
      .option('--module-name <text>', 'module name')
      .option('--module-description <text>', 'module description')
      .option('--criteria <text>', 'what the learner had to do')
      .option('--image <uri>', 'badge image URL')
      .option('--credits <n>', 'CPD credits')
      .option('--completed-at <date-time>', 'completion time, e.g. 2025-03-01T09:30:00Z')
      .option('--expires-at <date-time>', 'expiry time')
      .option('--valid-for <duration>', 'validity as an ISO 8601 duration, e.g. P2Y'),
  ).action(async (options: IssueOptions) =>
    runCommand('issue', options.json, async () => {
      if (options.csv !== undefined && options.record !== undefined) throw usageError('Give either --csv or --record, not both.');
      const timeoutSeconds = Number(options.waitTimeout);
      if (options.wait && options.out === undefined) throw usageError('--wait writes the anchored credentials into a folder: give --out <dir>.');
      if (options.wait && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) throw usageError(`--wait-timeout must be a number of seconds above 0 (got ${options.waitTimeout}).`);
      // The output folder is checked before anything is issued.
      if (options.out !== undefined) prepareExportFolder(options.out);
      const ctx = openContext(options);
      const service = issuerServiceOf(ctx);
      try {
        if (options.csv === undefined) {
          const input = options.record !== undefined ? readJsonFile(options.record) : recordFromFlags(options);
          const issued = await service.issue(input, { format: options.format, actor: 'cli' });
          if (options.wait) {
            const report = await waitAndExport(ctx.store, [{ credentialId: issued.credentialId }], [issued.batchId], options.out as string, timeoutSeconds, options.json === true);
            const file = report.written[0]?.file;
            if (options.json) console.log(JSON.stringify({ ok: file !== undefined, id: issued.credentialId, format: issued.format, leaf: issued.leaf, batchId: issued.batchId, form: 'anchored', file, notExported: report.notExported }));
            else for (const line of describeExport(report, `Issued ${issued.credentialId}; wrote`)) console.log(line);
            return exportExitCode(report) === EXIT.ok ? undefined : EXIT.failure;
          }
          const file = options.out === undefined ? undefined : writeCredentialFile(options.out, issued.credentialId, issued.credential);
          if (options.json) console.log(JSON.stringify({ ok: true, id: issued.credentialId, format: issued.format, leaf: issued.leaf, batchId: issued.batchId, ...(file === undefined ? { credential: issued.credential } : { file, form: 'pre-anchoring' }) }));
          else if (file !== undefined) console.log(`Issued ${issued.credentialId} → ${file} (batch ${issued.batchId}, pending anchor).\n${preAnchoringNote([issued.batchId], options.out as string)}`);
          else console.log(typeof issued.credential === 'string' ? issued.credential : JSON.stringify(issued.credential, null, 2));
          return;
        }
        const rows = parseCohortCsv(readInputText(options.csv, 'the cohort CSV'));
        const bar = process.stderr.isTTY && options.json !== true ? new SingleBar({ stream: process.stderr, format: 'Issuing [{bar}] {value}/{total} {eta_formatted}' }, Presets.shades_classic) : undefined;
        bar?.start(rows.length, 0);
        const outcome = await service.issueMany(rows, { format: options.format, atomic: options.atomic, actor: 'cli', fieldName: csvColumnOf, onProgress: (p) => bar?.update(p.done) });
        bar?.stop();
        const issuedRows = outcome.rows.filter((r) => r.status === 'issued');
        const batchIds = issuedRows.map((r) => r.batchId);
        const files = new Map<string, string>();
        if (options.wait && issuedRows.length > 0) {
          const report = await waitAndExport(ctx.store, issuedRows.map((r) => ({ credentialId: r.credentialId, row: r.row })), batchIds, options.out as string, timeoutSeconds, options.json === true);
          for (const w of report.written) files.set(w.credentialId, w.file);
          printBatch(outcome, files, options.json === true, 'anchored');
          if (!options.json) for (const line of describeExport(report, 'Wrote', 20)) console.log(line);
          if (outcome.failed > 0 || exportExitCode(report) !== EXIT.ok) process.exitCode = EXIT.failure;
          return;
        }
        if (options.out !== undefined) {
          for (const r of issuedRows) files.set(r.credentialId, writeCredentialFile(options.out, r.credentialId, r.credential));
        }
        printBatch(outcome, files, options.json === true, files.size > 0 ? 'pre-anchoring' : undefined);
        if (files.size > 0 && !options.json) console.log(preAnchoringNote(batchIds, options.out as string));
        if (outcome.failed > 0) process.exitCode = EXIT.failure;
      } finally {
        await service.close();
        ctx.close();
      }
    }),
  );
}

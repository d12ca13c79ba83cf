// `microcred issue`: one credential from flags or a JSON record, or a cohort from `--csv`, written to `--out` files.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { csvColumnOf, parseCohortCsv, type BatchOutcome } from '../src/issuer';
import type { CredentialFormat } from '../src/store';
import { EXIT, issuerServiceOf, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';

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
}

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

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw usageError(`Cannot read ${file}: ${(cause as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw usageError(`${file} is not valid JSON: ${(cause as Error).message}`);
  }
}

function printBatch(outcome: BatchOutcome, files: Map<string, string>, json: boolean): void {
  if (json) {
    const rows = outcome.rows.map((r) => (r.status === 'issued' ? { row: r.row, status: r.status, credentialId: r.credentialId, leaf: r.leaf, batchId: r.batchId, ...(files.has(r.credentialId) ? { file: files.get(r.credentialId) } : {}) } : r));
    console.log(JSON.stringify({ ok: outcome.failed === 0, issued: outcome.issued, failed: outcome.failed, atomic: outcome.atomic, rows }));
    return;
  }
  console.log(`Issued ${outcome.issued} of ${outcome.rows.length} credential(s)${outcome.atomic && outcome.issued === 0 && outcome.failed > 0 ? ' (atomic: nothing issued)' : ''}.`);
  for (const r of outcome.rows) {
    if (r.status === 'invalid') for (const e of r.errors) console.log(`  row ${r.row}: ${e.field} ${e.message}`);
    else if (r.status === 'failed') console.log(`  row ${r.row}: ${r.code} ${r.message}`);
  }
}

/**
 * Builds the `issue` command. Exit codes: 0 every credential issued; 1 some rows were not issued (listed) or
 * issuing failed; 2 usage error (bad flags, unreadable file, a CSV whose header is wrong, an invalid single record).
 */
export function issueCommand(): Command {
  return withCommonOptions(
    new Command('issue')
      .description('Issue one credential (flags or --record file.json) or a cohort (--csv file.csv).')
      .addHelpText('after', '\nExamples: microcred issue --csv cohort.csv --out ./credentials\n          microcred issue --record completion.json')
      .option('--record <file>', 'a completion record as JSON (see docs/api.md)')
      .option('--csv <file>', 'a cohort CSV (columns in docs/api.md); a progress bar shows on a terminal')
      .option('--out <dir>', 'write each credential to <dir>/<uuid>.json (Data Integrity) or .jwt (VC-JOSE)')
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
      const ctx = openContext(options);
      const service = issuerServiceOf(ctx);
      try {
        if (options.out !== undefined) mkdirSync(options.out, { recursive: true });
        if (options.csv === undefined) {
          const input = options.record !== undefined ? readJsonFile(options.record) : recordFromFlags(options);
          const issued = await service.issue(input, { format: options.format, actor: 'cli' });
          const file = options.out === undefined ? undefined : writeCredentialFile(options.out, issued.credentialId, issued.credential);
          if (options.json) console.log(JSON.stringify({ ok: true, id: issued.credentialId, format: issued.format, leaf: issued.leaf, batchId: issued.batchId, ...(file === undefined ? { credential: issued.credential } : { file }) }));
          else if (file !== undefined) console.log(`Issued ${issued.credentialId} → ${file} (batch ${issued.batchId}, pending anchor).`);
          else console.log(typeof issued.credential === 'string' ? issued.credential : JSON.stringify(issued.credential, null, 2));
          return;
        }
        let text: string;
        try {
          text = readFileSync(options.csv, 'utf8');
        } catch (cause) {
          throw usageError(`Cannot read ${options.csv}: ${(cause as Error).message}`);
        }
        const rows = parseCohortCsv(text);
        const bar = process.stderr.isTTY && options.json !== true ? new SingleBar({ stream: process.stderr, format: 'Issuing [{bar}] {value}/{total} {eta_formatted}' }, Presets.shades_classic) : undefined;
        bar?.start(rows.length, 0);
        const outcome = await service.issueMany(rows, { format: options.format, atomic: options.atomic, actor: 'cli', fieldName: csvColumnOf, onProgress: (p) => bar?.update(p.done) });
        bar?.stop();
        const files = new Map<string, string>();
        if (options.out !== undefined) {
          for (const r of outcome.rows) if (r.status === 'issued') files.set(r.credentialId, writeCredentialFile(options.out, r.credentialId, r.credential));
        }
        printBatch(outcome, files, options.json === true);
        if (outcome.failed > 0) process.exitCode = EXIT.failure;
      } finally {
        await service.close();
        ctx.close();
      }
    }),
  );
}

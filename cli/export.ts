// `microcred export`: the final (anchored) form of credentials by id, batch or cohort file, in files named for people.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { publicBaseUrlOf } from '../src/config';
import { EXPORT_FORMATS, type ExportFormat } from '../src/delivery';
import { exportCredentials, selectForExport, type ExportReport, type ExportSelection } from '../src/issuer';
import { buildShareService } from '../src/runtime';
import { EXIT, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';
import type { ExitCode } from '../src/errors';

interface ExportFlags extends CommonOptions {
  id: string[];
  batch?: string;
  cohort?: string;
  out: string;
  format: ExportFormat;
  image?: string;
  verifierUrl?: string;
  force: boolean;
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw usageError(`Cannot read the ${what} ${file}: ${(cause as Error).message}`);
  }
}

function selectionOf(flags: ExportFlags): ExportSelection {
  const given = [flags.id.length > 0, flags.batch !== undefined, flags.cohort !== undefined].filter(Boolean).length;
  if (given !== 1) throw usageError('Say which credentials to export with exactly one of --id <id> (repeatable), --batch <n> or --cohort <file.csv>.');
  if (flags.batch !== undefined) {
    const batchId = Number(flags.batch);
    if (!Number.isInteger(batchId) || batchId < 1) throw usageError(`--batch must be a batch number (got ${flags.batch}).`);
    return { batchId };
  }
  if (flags.cohort !== undefined) return { cohortCsv: readInput(flags.cohort, 'cohort file').toString('utf8') };
  return { ids: flags.id };
}

/** Human lines of a report: the files, then what was not exported and why. */
export function describeExport(report: ExportReport, label = 'Exported', maxFiles = Number.POSITIVE_INFINITY): string[] {
  const lines = [`${label} ${report.written.length} credential(s) to ${report.dir} (${report.format}, anchored form).`];
  for (const w of report.written.slice(0, maxFiles)) lines.push(`  ${path.basename(w.file)}`);
  if (report.written.length > maxFiles) lines.push(`  … and ${report.written.length - maxFiles} more`);
  if (report.notExported.length > 0) lines.push(`Not exported (${report.notExported.length}):`);
  for (const n of report.notExported) lines.push(`  ${n.credentialId}${n.row === undefined ? '' : ` (row ${n.row})`}: ${n.reason}`);
  if (report.missing.length > 0) lines.push(`Not found (${report.missing.length}):`);
  for (const m of report.missing) lines.push(`  ${m.row === undefined ? m.reference : `row ${m.row} (${m.reference})`}: ${m.reason}`);
  return lines;
}

/** 0 everything written; 3 some only wait for their anchor (run again later); 1 some are revoked, suspended or unknown. */
export function exportExitCode(report: ExportReport): ExitCode {
  if (report.missing.length > 0 || report.notExported.some((n) => n.state !== 'pending_anchor')) return EXIT.failure;
  return report.notExported.length > 0 ? EXIT.couldNotCheck : EXIT.ok;
}

/** Builds the `export` command (exit codes in docs/cli.md). */
export function exportCommand(): Command {
  return withCommonOptions(
    new Command('export')
      .description('Write the final (anchored) form of issued credentials into a folder, in files named after the learner and the module.')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  microcred export --batch 7 --out ./to-send',
          '  microcred export --cohort cohort.csv --out ./to-send          (the CSV the cohort was issued from, or a CSV of ids)',
          '  microcred export --id urn:uuid:6f1c… --id 0b7e… --out ./to-send --format pdf --verifier-url https://verify.example.edu/',
          '',
          'Files are named Learner-Name_Module-Name_<first 8 hex digits of the id>.<format>. Credentials not anchored yet,',
          'revoked or suspended are listed and never written. Exit 3 when some only wait for their anchor: run it again later.',
        ].join('\n'),
      )
      .option('--id <id>', 'a credential id (urn:uuid:… or the bare UUID); repeat for more', (value: string, all: string[]) => [...all, value], [] as string[])
      .option('--batch <n>', 'every credential of this anchoring batch')
      .option('--cohort <file>', 'a CSV of credential ids (column credential_id or id), or the cohort CSV the credentials were issued from')
      .requiredOption('--out <dir>', 'folder to write into (created when missing)')
      .addOption(new Option('--format <form>', 'json: the credential file; png/svg: baked into --image; pdf: a certificate').choices([...EXPORT_FORMATS]).default('json'))
      .option('--image <file>', 'with --format png or svg: the unbaked badge image')
      .option('--verifier-url <url>', "with --format pdf: the verification page the QR code links to (default: this issuer's public URL)")
      .option('--force', 'replace files of the same name in --out', false),
  ).action(async (flags: ExportFlags) =>
    runCommand('export', flags.json, async () => {
      const selection = selectionOf(flags);
      const image = flags.image === undefined ? undefined : readInput(flags.image, 'badge image');
      const ctx = openContext(flags);
      try {
        // Without --verifier-url a PDF is the issuer's own certificate: its QR code opens the credential's share link.
        const base = publicBaseUrlOf(ctx.config);
        const share = buildShareService({ config: ctx.config, store: ctx.store, baseUrl: () => base });
        const verifierUrl = flags.verifierUrl ?? `${base}/`;
        const selected = selectForExport(ctx.store, selection);
        if (selected.targets.length === 0 && selected.missing.length === 0) throw usageError('The selection names no credential (an empty cohort file?).');
        const report = await exportCredentials(ctx.store, selected, {
          dir: flags.out,
          format: flags.format,
          existing: flags.force ? 'replace' : 'refuse',
          ...(image === undefined ? {} : { image: flags.format === 'svg' ? image.toString('utf8') : new Uint8Array(image) }),
          ...(flags.format === 'pdf' ? { verifierUrl } : {}),
          ...(flags.format === 'pdf' && flags.verifierUrl === undefined ? { certificateFor: async (id: string) => (await share.certificate(id, 'cli')).bytes } : {}),
        });
        const code = exportExitCode(report);
        if (flags.json) console.log(JSON.stringify({ ok: code === EXIT.ok, ...report }));
        else for (const line of describeExport(report)) console.log(line);
        return code;
      } finally {
        ctx.close();
      }
    }),
  );
}

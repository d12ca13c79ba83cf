// `microcred certificate`: PDF certificates, for one credential file or, from the data folder, one credential or a
// whole cohort (one PDF file per credential, each with its QR code to the credential's share link).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { publicBaseUrlOf, type RawSettings } from '../src/config';
import { certificatePdf, isAnchoredPayload, loadLogo, toPayload, type PaperSize } from '../src/delivery';
import type { ExitCode } from '../src/errors';
import { buildShareService } from '../src/runtime';
import { EXIT, openContext, runCommand, usageError, withCommonOptions, type CommonOptions } from './context';
import { assertOutputFolder, readInputText } from './runner';
import { credentialIdArg } from './share';

interface CertificateFlags extends CommonOptions {
  out?: string;
  outDir?: string;
  verifierUrl?: string;
  link?: string;
  id?: string;
  batch?: string;
  ids?: string;
  paper?: string;
  logo?: string;
  force: boolean;
  allowUnanchored: boolean;
}

function write(file: string, bytes: Uint8Array, force: boolean): void {
  try {
    writeFileSync(file, bytes, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw usageError(exists ? `${file} exists; pass --force to replace it.` : `Cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function paperOf(flags: CertificateFlags): PaperSize | undefined {
  if (flags.paper === undefined) return undefined;
  if (flags.paper !== 'A4' && flags.paper !== 'Letter') throw usageError(`--paper must be A4 or Letter (got ${flags.paper}).`);
  return flags.paper;
}

/** Credential ids from a file: one per line, or a CSV whose first column (or `credentialId`/`id` column) holds them. */
function idsFromFile(file: string): string[] {
  const text = readInputText(file, 'the id list');
  const rows = text.split(/\r?\n/).map((line) => line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '')));
  const header = rows[0] ?? [];
  const column = Math.max(0, header.findIndex((cell) => cell === 'credentialId' || cell === 'id'));
  return rows
    .map((cells) => cells[column] ?? '')
    .filter((cell) => /^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cell))
    .map(credentialIdArg);
}

/** One credential file → one PDF, with the QR code to --link or to --verifier-url (the file may come from anywhere). */
async function fromFile(file: string, flags: CertificateFlags): Promise<void> {
  if (flags.out === undefined) throw usageError('Give --out <file.pdf>.');
  if ((flags.verifierUrl === undefined) === (flags.link === undefined)) throw usageError('Give exactly one of --link <share link> or --verifier-url <url> for the QR code.');
  const text = readInputText(file, 'the credential');
  if (!flags.allowUnanchored && !isAnchoredPayload(toPayload(text))) {
    throw usageError(`${file} has no anchor proof yet: give the anchored form (microcred certificate --id <credential-id> takes it from the data folder), or --allow-unanchored.`);
  }
  const paperSize = paperOf(flags);
  const pdf = await certificatePdf(text, {
    ...(flags.link === undefined ? { verifierUrl: flags.verifierUrl! } : { link: flags.link }),
    ...(flags.logo === undefined ? {} : { logo: loadLogo(flags.logo) }),
    ...(paperSize === undefined ? {} : { paperSize }),
  });
  write(flags.out, pdf, flags.force);
  console.log(flags.json ? JSON.stringify({ ok: true, written: [flags.out] }) : `Wrote the certificate for ${file} to ${flags.out}.`);
}

/** From the data folder: one credential (--id) or a cohort (--batch, --ids), QR code to each credential's share link. */
async function fromStore(flags: CertificateFlags): Promise<ExitCode> {
  const paperSize = paperOf(flags);
  const overrides: RawSettings = { certificate: { ...(flags.logo === undefined ? {} : { logo: flags.logo }), ...(paperSize === undefined ? {} : { paperSize }) } };
  const ctx = openContext({ ...flags, overrides });
  try {
    const base = publicBaseUrlOf(ctx.config);
    const share = buildShareService({ config: ctx.config, store: ctx.store, baseUrl: () => base });
    if (flags.id !== undefined) {
      if (flags.out === undefined) throw usageError('Give --out <file.pdf> with --id.');
      const file = await share.certificate(credentialIdArg(flags.id), 'cli');
      write(flags.out, file.bytes, flags.force);
      console.log(flags.json ? JSON.stringify({ ok: true, written: [flags.out] }) : `Wrote the certificate of ${credentialIdArg(flags.id)} to ${flags.out}.`);
      return EXIT.ok;
    }
    if (flags.outDir === undefined) throw usageError('Give --out-dir <folder> for a cohort: one PDF per credential is written there.');
    let ids: string[];
    if (flags.batch !== undefined) {
      if (!/^[1-9]\d{0,9}$/.test(flags.batch)) throw usageError(`--batch must be a batch number (got ${flags.batch}).`);
      ids = [];
      let cursor: string | null = null;
      do {
        const page = ctx.store.listCredentials({ batchId: Number(flags.batch), order: 'asc', limit: 1000, cursor });
        ids.push(...page.items.map((row) => row.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
    } else {
      ids = idsFromFile(flags.ids!);
    }
    if (ids.length === 0) throw usageError('The cohort names no credential: check --batch or the --ids file.');
    mkdirSync(flags.outDir, { recursive: true });
    const written: string[] = [];
    const skipped: { credentialId: string; reason: string }[] = [];
    for (const item of await share.certificates(ids, 'cli')) {
      if (item.status !== 'ready') {
        skipped.push({ credentialId: item.credentialId, reason: item.status });
        continue;
      }
      const out = path.join(flags.outDir, item.file.fileName);
      write(out, item.file.bytes, flags.force);
      written.push(out);
    }
    if (flags.json) console.log(JSON.stringify({ ok: skipped.length === 0, written, skipped }));
    else {
      console.log(`Wrote ${written.length} certificate(s) to ${flags.outDir}.`);
      const words: Record<string, string> = { not_anchored: 'not anchored yet; run again once it is', not_found: 'no such credential', not_a_badge: 'a generic credential without an achievement has no certificate' };
      for (const s of skipped) console.log(`  skipped ${s.credentialId}: ${words[s.reason] ?? s.reason}`);
    }
    return skipped.length === 0 ? EXIT.ok : EXIT.failure;
  } finally {
    ctx.close();
  }
}

/**
 * Builds the `certificate` command. Exit codes: 0 written; 1 some credentials of a cohort were skipped (not anchored
 * yet, unknown) or the one credential is not anchored; 2 usage error or unusable input (bad file, logo, output exists).
 */
export function certificateCommand(): Command {
  return withCommonOptions(
    new Command('certificate')
      .description('Make PDF certificates (A4 or Letter): QR code, institution logo, the anchored credential attached. One file per credential.')
      .argument('[credential]', 'an anchored credential file (Data Integrity JSON or VC-JOSE envelope); or use --id, --batch, --ids')
      .option('--out <file>', 'the PDF to write (one credential)')
      .option('--out-dir <folder>', 'where a cohort\'s PDFs go, one per credential, named <module>-<short id>.pdf')
      .option('--id <credential-id>', 'a credential of the data folder; its QR code opens its share link')
      .option('--batch <n>', 'every credential of anchoring batch n (a cohort)')
      .option('--ids <file>', 'a cohort: credential ids, one per line or a CSV with a credentialId column')
      .option('--link <url>', 'with a credential file: the QR code opens this link (the credential\'s share link)')
      .option('--verifier-url <url>', 'with a credential file: the QR code opens this verification page')
      .option('--paper <size>', 'A4 (default: certificate.paperSize) or Letter')
      .option('--logo <file>', 'the institution logo, PNG or JPEG up to 512 KiB (default: certificate.logo)')
      .option('--force', 'replace existing files', false)
      .option('--allow-unanchored', 'with a credential file: accept one without its anchor proof', false)
      .addHelpText(
        'after',
        '\nExamples:\n  microcred certificate --id urn:uuid:6f1c2a3b-… --out ada-acls.pdf\n  microcred certificate --batch 7 --out-dir certificates/ --paper Letter\n  microcred certificate credential.json --verifier-url https://verify.example.edu/ --out ada-acls.pdf',
      ),
  ).action(async (file: string | undefined, flags: CertificateFlags) =>
    runCommand('certificate', flags.json, async () => {
      const sources = [file, flags.id, flags.batch, flags.ids].filter((v) => v !== undefined).length;
      if (sources !== 1) throw usageError('Give exactly one of: a credential file, --id <credential-id>, --batch <n> or --ids <file>.');
      // The output's folder is checked before any credential is read or any PDF made.
      assertOutputFolder('--out', flags.out);
      if (file !== undefined) return fromFile(file, flags);
      return fromStore(flags);
    }),
  );
}

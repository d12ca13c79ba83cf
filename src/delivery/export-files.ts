// Exported files: one anchored credential rendered as JSON, a baked PNG or SVG badge, or a PDF certificate, and
// written into an output folder without ever leaving half a file or replacing one unasked.
import { accessSync, closeSync, constants, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import { certificatePdf } from './certificate-pdf';
import { bakePng } from './png';
import { bakeSvg } from './svg';

/** The forms an export can take. */
export type ExportFormat = 'json' | 'png' | 'svg' | 'pdf';

/** Every export form, for option lists and help text. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'png', 'svg', 'pdf'];

/** How to render: the badge template for png/svg, the verification page for the PDF's QR code. */
export interface ExportRenderOptions {
  readonly format: ExportFormat;
  /** The unbaked badge image: PNG bytes for `png`, SVG text for `svg`. */
  readonly image?: Uint8Array | string;
  /** The verification page the PDF's QR code links to. */
  readonly verifierUrl?: string;
  readonly now?: () => Date;
}

/** The file extension of a format. */
export function extensionOf(format: ExportFormat): string {
  return format;
}

/** Throws ERR_EXPORT_OPTIONS when the format lacks what it needs (a template image, a verifier URL). */
export function checkRenderOptions(options: ExportRenderOptions): void {
  if ((options.format === 'png' || options.format === 'svg') && options.image === undefined) {
    throw new MicrocredError('ERR_EXPORT_OPTIONS', `--format ${options.format} bakes the credential into a badge image: give the unbaked template with --image badge.${options.format}.`);
  }
  if (options.format === 'png' && typeof options.image === 'string') throw new MicrocredError('ERR_EXPORT_OPTIONS', 'The PNG badge template must be read as bytes.');
  if (options.format === 'pdf' && options.verifierUrl === undefined) {
    throw new MicrocredError('ERR_EXPORT_OPTIONS', 'A PDF certificate needs the verification page its QR code links to: give --verifier-url https://verify.example.edu/.');
  }
}

/** The file's content: the anchored credential itself (JSON), baked into the template image, or in a PDF certificate. */
export async function renderExport(anchored: Record<string, unknown>, options: ExportRenderOptions): Promise<Uint8Array | string> {
  checkRenderOptions(options);
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(anchored, null, 2)}\n`;
    case 'png':
      return bakePng(options.image as Uint8Array, anchored);
    case 'svg':
      return bakeSvg(typeof options.image === 'string' ? options.image : Buffer.from(options.image as Uint8Array).toString('utf8'), anchored);
    case 'pdf':
      return certificatePdf(anchored, { verifierUrl: options.verifierUrl, ...(options.now === undefined ? {} : { now: options.now }) });
  }
}

function outputError(message: string, cause?: unknown): MicrocredError {
  return new MicrocredError('ERR_EXPORT_OUTPUT', message, cause === undefined ? {} : { cause });
}

/**
 * Makes sure `dir` is a folder this process can write (creating it when missing) before any work starts, and returns
 * the names already in it. Throws ERR_EXPORT_OUTPUT naming the folder otherwise.
 */
export function prepareExportFolder(dir: string): string[] {
  let stat;
  try {
    stat = statSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) mkdirSync(dir, { recursive: true });
    else if (!stat.isDirectory()) throw outputError(`--out ${dir} is a file, not a folder: choose a folder for the exported files.`);
    accessSync(dir, constants.W_OK);
    return readdirSync(dir);
  } catch (error) {
    if (error instanceof MicrocredError) throw error;
    throw outputError(`Cannot write into --out ${dir}: ${(error as Error).message}. Choose a folder you can write.`, error);
  }
}

/**
 * Writes one file through a temp file: a reader never sees half of it. Without `replace`, an existing file of that
 * name is never touched (a hard link fails on it) and ERR_EXPORT_OUTPUT says so.
 */
export function writeExportFile(dir: string, name: string, content: Uint8Array | string, options: { replace?: boolean } = {}): string {
  const target = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.replace === true) renameSync(temp, target);
    else {
      linkSync(temp, target);
      unlinkSync(temp);
    }
  } catch (error) {
    unlinkSync(temp);
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw outputError(exists ? `${target} appeared while exporting; nothing replaced it. Export again into an empty folder or with --force.` : `Cannot write ${target}: ${(error as Error).message}`, error);
  }
  return target;
}

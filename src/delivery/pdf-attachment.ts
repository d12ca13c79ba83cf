// Reads the credential attached to a PDF certificate: the embedded file named credential.json (or credential.jwt).
import { inflateSync } from 'node:zlib';
import type * as PdfLib from 'pdf-lib';
import type { PDFDict, PDFDocument } from 'pdf-lib';
import { MicrocredError } from '../errors';
import { PdfDecodeBudgetExceeded, withPdfDecodeBudget } from '../libraries';
import { CERTIFICATE_ATTACHMENT_JSON, CERTIFICATE_ATTACHMENT_JWT } from './certificate-names';

/** Largest attached credential read (decompressed); no credential comes near it. */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024;
/**
 * Most bytes pdf-lib may decompress while loading one PDF (its object and cross-reference streams). A certificate's
 * come to a few kilobytes; without a bound a 1 MB upload can inflate to gigabytes.
 */
export const MAX_PDF_DECODED_BYTES = 32 * 1024 * 1024;
/** Most name-tree nodes visited, so a hostile PDF cannot make the reader walk forever. */
const MAX_TREE_NODES = 1000;

type Lib = typeof PdfLib;

const textOf = (lib: Lib, value: unknown): string | undefined => (value instanceof lib.PDFString || value instanceof lib.PDFHexString ? value.decodeText() : undefined);

// Loaded on first use: pdf-lib takes about 0.2 s to load, which every verifier process would otherwise pay at start.
// A package import works both under tsx's CommonJS hook (the CLI) and in vitest; CommonJS may expose it as `default`.
async function loadPdfLib(): Promise<Lib> {
  const loaded = (await import('pdf-lib')) as Lib & { default?: Lib };
  return typeof loaded.PDFDocument === 'function' ? loaded : loaded.default!;
}

// The embedded-files name tree: [name, filespec] pairs in Names, possibly spread over Kids.
function embeddedFiles(lib: Lib, doc: PDFDocument): Array<{ name: string; spec: PDFDict }> {
  const root = doc.catalog.lookupMaybe(lib.PDFName.of('Names'), lib.PDFDict)?.lookupMaybe(lib.PDFName.of('EmbeddedFiles'), lib.PDFDict);
  const found: Array<{ name: string; spec: PDFDict }> = [];
  const queue = root === undefined ? [] : [root];
  for (let visited = 0; queue.length > 0; visited++) {
    if (visited >= MAX_TREE_NODES) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The PDF\'s attachment list is too large to be a certificate.');
    const node = queue.shift()!;
    const names = node.lookupMaybe(lib.PDFName.of('Names'), lib.PDFArray);
    for (let i = 0; names !== undefined && i + 1 < names.size(); i += 2) {
      const spec = names.lookupMaybe(i + 1, lib.PDFDict);
      const name = (spec && (textOf(lib, spec.lookup(lib.PDFName.of('UF'))) ?? textOf(lib, spec.lookup(lib.PDFName.of('F'))))) ?? textOf(lib, names.lookup(i));
      if (spec !== undefined && name !== undefined) found.push({ name, spec });
    }
    const kids = node.lookupMaybe(lib.PDFName.of('Kids'), lib.PDFArray);
    for (let i = 0; kids !== undefined && i < kids.size(); i++) {
      const kid = kids.lookupMaybe(i, lib.PDFDict);
      if (kid !== undefined) queue.push(kid);
    }
  }
  return found;
}

// The file's bytes: stored plainly or with FlateDecode (what pdf-lib writes), inflated with a hard output bound.
function fileBytes(lib: Lib, spec: PDFDict): Uint8Array {
  let stream: unknown;
  try {
    stream = spec.lookupMaybe(lib.PDFName.of('EF'), lib.PDFDict)?.lookup(lib.PDFName.of('F'));
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The attached credential\'s file entry is broken.', { cause });
  }
  if (!(stream instanceof lib.PDFRawStream)) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The attached credential has no readable file stream.');
  const filter = stream.dict.lookup(lib.PDFName.of('Filter'));
  const filters = filter === undefined ? [] : filter instanceof lib.PDFArray ? filter.asArray() : [filter];
  const names = filters.map((f) => (f instanceof lib.PDFName ? f.asString() : '?'));
  if (names.length === 0) {
    if (stream.contents.length > MAX_ATTACHMENT_BYTES) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The attached credential is too large.');
    return stream.contents;
  }
  if (names.length !== 1 || names[0] !== '/FlateDecode') throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The attached credential uses the filter ${names.join(' ')}; only FlateDecode is read.`);
  try {
    return inflateSync(stream.contents, { maxOutputLength: MAX_ATTACHMENT_BYTES });
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The attached credential could not be decompressed, or is larger than a credential can be.', { cause });
  }
}

/**
 * The credential attached to a PDF certificate, as text for the verifier. Throws ERR_EMBEDDED_NONE when the PDF has
 * no credential.json / credential.jwt attachment and ERR_EMBEDDED_MALFORMED when the PDF or the attachment is broken.
 */
export async function credentialFromPdf(bytes: Uint8Array): Promise<string> {
  const lib = await loadPdfLib();
  let doc: PDFDocument;
  try {
    doc = await withPdfDecodeBudget(MAX_PDF_DECODED_BYTES, () => lib.PDFDocument.load(bytes, { updateMetadata: false }));
  } catch (cause) {
    if (cause instanceof PdfDecodeBudgetExceeded) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The PDF's internal streams decompress to more than ${MAX_PDF_DECODED_BYTES / 1024 / 1024} MiB, far more than a certificate holds; it is not read.`, { cause });
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The PDF could not be read: ${cause instanceof Error ? cause.message.slice(0, 200) : String(cause)}.`, { cause });
  }
  let all: Array<{ name: string; spec: PDFDict }>;
  try {
    all = embeddedFiles(lib, doc);
  } catch (cause) {
    // pdf-lib throws its own errors when an object has an unexpected type: a broken PDF, not a bug here.
    if (cause instanceof MicrocredError) throw cause;
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The PDF\'s attachment list is broken.', { cause });
  }
  const files = all.filter((f) => f.name === CERTIFICATE_ATTACHMENT_JSON || f.name === CERTIFICATE_ATTACHMENT_JWT);
  if (files.length === 0) throw new MicrocredError('ERR_EMBEDDED_NONE', `The PDF has no attached ${CERTIFICATE_ATTACHMENT_JSON}; it is not a microcred certificate.`);
  if (files.length > 1) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The PDF has more than one attached credential; a certificate carries exactly one.');
  const file = fileBytes(lib, files[0]!.spec);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The attached credential is not UTF-8 text.', { cause });
  }
}

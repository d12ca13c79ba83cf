// Verifies many files (or stdin) with bounded concurrency, streaming folders, and tallies verdicts, flags and chain reads.
import { createReadStream } from 'node:fs';
import { opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { extractEmbedded } from '../delivery';
import { MicrocredError, isMicrocredError } from '../errors';
import type { Verifier } from './verifier';
import { FLAGS, type CheckResult, type Flag, type VerificationOutcome } from './result';

/** Largest file read as a credential; bigger files are reported as not credentials without being read. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Parse codes meaning "this file is not a credential at all" (as opposed to a broken credential). */
export const NOT_CREDENTIAL_CODES: ReadonlySet<string> = new Set(['PARSE_UNKNOWN_FORMAT', 'PARSE_JSON_INVALID', 'FILE_TOO_LARGE', 'FILE_EMPTY', 'FILE_NO_CREDENTIAL']);

/** How one file counts in the summary. */
export type BulkCategory = 'valid' | 'invalid' | 'indeterminate' | 'not-credential';

/** One input to verify: a file path, or `-` for standard input. */
export interface BulkInput {
  readonly name: string;
}

/** The result for one file. */
export interface BulkResult {
  readonly file: string;
  readonly category: BulkCategory;
  /** The verifier's verdict (a not-credential file has the verdict `invalid` from its parse check). */
  readonly verdict: VerificationOutcome['verdict'];
  readonly flags: readonly Flag[];
  /** What made the verdict (the outcome's reasons, a presentation's inner ones included), for the per-file line. */
  readonly reasons: readonly CheckResult[];
  readonly kind: VerificationOutcome['kind'];
  readonly credentialId?: string;
  readonly issuer?: string;
  readonly achievement?: string;
  /** DIDs of the accrediting bodies whose endorsements of the achievement verify (absent: none). */
  readonly endorsedBy?: readonly string[];
  /** The anchored roots and leaves this file referred to (for the read-count bound). */
  readonly roots: readonly string[];
  readonly leaves: readonly string[];
}

/** Totals of a run. */
export interface BulkSummary {
  total: number;
  valid: number;
  invalid: number;
  indeterminate: number;
  notCredential: number;
  flags: Record<Flag, number>;
  /** Registry calls sent (lookupMany, up to the reader's batch size each), and the distinct roots and leaves seen. */
  chainReads: number;
  distinctRoots: number;
  distinctLeaves: number;
  /** 0 all valid, 1 any invalid, 3 indeterminate and none invalid (2, a usage error, never comes from a run). */
  exitCode: 0 | 1 | 3;
}

/**
 * A verifier that reads and verifies files itself (the worker-thread pool), so the calling thread only tallies. Each
 * name gets exactly one result, in completion order.
 */
export interface FileVerifier extends Verifier {
  verifyFiles(names: AsyncIterable<string>, options: { readonly strictFiles: boolean; readonly onResult: (result: BulkResult) => void }): Promise<void>;
}

/** True when the verifier verifies files itself (see {@link FileVerifier}). */
export function isFileVerifier(verifier: Verifier): verifier is FileVerifier {
  return typeof (verifier as Partial<FileVerifier>).verifyFiles === 'function';
}

/** Options of {@link verifyInputs}. */
export interface BulkOptions {
  /** The single-thread verifier, or the worker-thread pool (a {@link FileVerifier}). */
  readonly verifier: Verifier;
  /** Files verified at once. Default 8. */
  readonly concurrency?: number;
  /** Count files that are not credentials as invalid (default: reported apart, exit code unaffected). */
  readonly strictFiles?: boolean;
  /** Called after every file, in completion order. */
  readonly onResult?: (result: BulkResult) => void;
  /** Reads standard input for `-` (injected for tests). */
  readonly readStdin?: () => Promise<string>;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch (cause) {
    throw new MicrocredError('ERR_VERIFY_PATH', `Cannot read "${p}": check that it exists.`, { cause, details: { path: p } });
  }
}

/**
 * Lists the inputs: `-`, files as given, and every file under a folder (recursively; names starting with "." are
 * skipped). Folders are read entry by entry, never loaded whole. Throws ERR_VERIFY_PATH for a path that does not exist.
 */
export async function* listInputs(paths: readonly string[]): AsyncGenerator<BulkInput> {
  for (const p of paths) {
    if (p === '-') {
      yield { name: '-' };
      continue;
    }
    if (!(await isDirectory(p))) {
      yield { name: p };
      continue;
    }
    const folders = [p];
    while (folders.length > 0) {
      const folder = folders.pop()!;
      const dir = await opendir(folder);
      for await (const entry of dir) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) folders.push(full);
        else if (entry.isFile()) yield { name: full };
      }
    }
  }
}

/** Counts the inputs without reading them (for a progress bar's total). */
export async function countInputs(paths: readonly string[]): Promise<number> {
  let n = 0;
  for await (const _ of listInputs(paths)) n++;
  return n;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_FILE_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Standard input as text (at most MAX_FILE_BYTES). */
export async function readStdin(): Promise<string> {
  return (await readAll(process.stdin)).toString('utf8');
}

function fileOutcome(code: string, message: string, verdict: 'invalid' | 'indeterminate'): VerificationOutcome {
  const check: CheckResult = { check: 'parse', status: verdict === 'invalid' ? 'failed' : 'error', code, message };
  return { verdict, flags: [], checks: [check], reasons: [check], kind: 'unknown' };
}

// A baked PNG or SVG badge or a PDF certificate gives the credential inside it; anything else is read as UTF-8 text.
async function contentOf(bytes: Buffer): Promise<string | VerificationOutcome> {
  try {
    const embedded = await extractEmbedded(bytes);
    return embedded === undefined ? bytes.toString('utf8') : embedded.credential;
  } catch (error) {
    if (isMicrocredError(error, 'ERR_EMBEDDED_NONE')) return fileOutcome('FILE_NO_CREDENTIAL', error.message, 'invalid');
    if (isMicrocredError(error, 'ERR_EMBEDDED_MALFORMED')) return fileOutcome('FILE_EMBEDDED_MALFORMED', error.message, 'invalid');
    throw error;
  }
}

async function readInput(input: BulkInput, readStdinText?: () => Promise<string>): Promise<string | VerificationOutcome> {
  let bytes: Buffer;
  try {
    if (input.name === '-') bytes = Buffer.from(await (readStdinText ?? readStdin)(), 'utf8');
    else {
      const info = await stat(input.name);
      if (info.size > MAX_FILE_BYTES) return fileOutcome('FILE_TOO_LARGE', `The file is larger than ${MAX_FILE_BYTES} bytes; no credential is that large.`, 'invalid');
      // createReadStream keeps the door open for special files without loading more than the cap.
      bytes = info.isFile() ? await readFile(input.name) : await readAll(createReadStream(input.name));
    }
  } catch (error) {
    return fileOutcome('FILE_UNREADABLE', `The file could not be read: ${error instanceof Error ? error.message : String(error)}`, 'indeterminate');
  }
  return contentOf(bytes);
}

/**
 * Reads one input (a file, or `-` for standard input) as the bulk run verifies it: its text without a byte-order mark,
 * or the outcome the file itself decides (too large, unreadable, empty, an image or PDF without a credential). Never throws.
 */
export async function readBulkInput(name: string, readStdinText?: () => Promise<string>): Promise<string | VerificationOutcome> {
  const content = await readInput({ name }, readStdinText);
  if (typeof content !== 'string') return content;
  const text = content.replace(/^\uFEFF/, '');
  return text.trim() === '' ? fileOutcome('FILE_EMPTY', 'The file is empty.', 'invalid') : text;
}

function collect(outcome: VerificationOutcome, roots: Set<string>, leaves: Set<string>): void {
  for (const check of outcome.checks) {
    if (check.check === 'anchor' && check.data) {
      if (typeof check.data.root === 'string') roots.add(check.data.root);
      if (typeof check.data.leaf === 'string') leaves.add(check.data.leaf);
    }
  }
  for (const inner of outcome.credentials ?? []) collect(inner, roots, leaves);
}

/** Turns one outcome into a bulk result. */
export function toBulkResult(file: string, outcome: VerificationOutcome, strictFiles = false): BulkResult {
  const roots = new Set<string>();
  const leaves = new Set<string>();
  collect(outcome, roots, leaves);
  // The policy's reasons: what made the verdict (never empty unless valid without a flag).
  const reasons: CheckResult[] = Array.isArray(outcome.reasons) ? [...(outcome.reasons as readonly CheckResult[])] : [];
  const parse = outcome.checks.find((c) => c.check === 'parse');
  const notCredential = outcome.kind === 'unknown' && parse !== undefined && NOT_CREDENTIAL_CODES.has(parse.code);
  const category: BulkCategory = notCredential && !strictFiles ? 'not-credential' : outcome.verdict;
  const s = outcome.summary;
  const endorsedBy = (outcome.endorsements ?? []).filter((e) => e.verified && e.endorser !== undefined).map((e) => e.endorser as string);
  return {
    file,
    category,
    verdict: outcome.verdict,
    flags: outcome.flags,
    reasons,
    kind: outcome.kind,
    ...(s?.credentialId ? { credentialId: s.credentialId } : {}),
    ...(s?.issuerId ? { issuer: s.registeredIssuerName ?? s.issuerName ?? s.issuerId } : {}),
    ...(s?.achievementName ? { achievement: s.achievementName } : {}),
    ...(endorsedBy.length > 0 ? { endorsedBy } : {}),
    roots: [...roots],
    leaves: [...leaves],
  };
}

/** An empty summary. */
export function emptySummary(): BulkSummary {
  return {
    total: 0,
    valid: 0,
    invalid: 0,
    indeterminate: 0,
    notCredential: 0,
    flags: Object.fromEntries(FLAGS.map((f) => [f, 0])) as Record<Flag, number>,
    chainReads: 0,
    distinctRoots: 0,
    distinctLeaves: 0,
    exitCode: 0,
  };
}

/** The exit code a summary stands for. */
export function exitCodeOf(summary: Pick<BulkSummary, 'invalid' | 'indeterminate'>): 0 | 1 | 3 {
  return summary.invalid > 0 ? 1 : summary.indeterminate > 0 ? 3 : 0;
}

/** Inputs read and prefetched together: a whole number of lookupMany calls, so the reads stay ceil(n / batch). */
function chunkSizeOf(verifier: Verifier): number {
  return (verifier.reader?.batchSize ?? 250) * 4;
}

/**
 * Verifies every input with at most `concurrency` at once and returns the totals. Inputs go in chunks: each chunk is
 * read, its registry questions are asked together (lookupMany, a few hundred per call), then its credentials are
 * verified from the cache. Files that are not credentials are counted apart (`notCredential`) and never stop the run.
 * Throws ERR_VERIFY_PATH (a path that does not exist) and ERR_REGISTRY_* (the registry is misconfigured).
 */
export async function verifyInputs(paths: readonly string[], options: BulkOptions): Promise<BulkSummary> {
  const summary = emptySummary();
  const roots = new Set<string>();
  const leaves = new Set<string>();
  const readsBefore = options.verifier.reader?.stats().reads ?? 0;
  const inputs = listInputs(paths);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, 256));
  const chunkSize = chunkSizeOf(options.verifier);

  const record = (result: BulkResult): void => {
    summary.total++;
    if (result.category === 'not-credential') summary.notCredential++;
    else summary[result.category]++;
    for (const flag of result.flags) summary.flags[flag]++;
    for (const r of result.roots) roots.add(r);
    for (const l of result.leaves) leaves.add(l);
    options.onResult?.(result);
  };

  if (isFileVerifier(options.verifier)) await verifyThroughFiles(options.verifier, inputs, options, record);
  else {
    for (let done = false; !done; ) {
      const names: string[] = [];
      for (; names.length < chunkSize; ) {
        const next = await inputs.next();
        if (next.done) {
          done = true;
          break;
        }
        names.push(next.value.name);
      }
      if (names.length === 0) break;
      const contents: Array<string | VerificationOutcome> = new Array<string | VerificationOutcome>(names.length);
      await eachBounded(names.length, concurrency, async (i) => {
        contents[i] = await readBulkInput(names[i]!, options.readStdin);
      });
      await options.verifier.prefetch(contents.filter((c): c is string => typeof c === 'string'));
      await eachBounded(names.length, concurrency, async (i) => {
        const content = contents[i]!;
        const outcome = typeof content !== 'string' ? content : await options.verifier.verify(content);
        contents[i] = '';
        record(toBulkResult(names[i]!, outcome, options.strictFiles));
      });
    }
  }
  summary.chainReads = (options.verifier.reader?.stats().reads ?? 0) - readsBefore;
  summary.distinctRoots = roots.size;
  summary.distinctLeaves = leaves.size;
  summary.exitCode = exitCodeOf(summary);
  return summary;
}

/** Files go to the verifier's threads, which read, verify and report them; standard input is read here. */
async function verifyThroughFiles(verifier: FileVerifier, inputs: AsyncGenerator<BulkInput>, options: BulkOptions, record: (result: BulkResult) => void): Promise<void> {
  let stdin = 0;
  async function* files(): AsyncGenerator<string> {
    for await (const input of inputs) {
      if (input.name === '-') stdin++;
      else yield input.name;
    }
  }
  await verifier.verifyFiles(files(), { strictFiles: options.strictFiles ?? false, onResult: record });
  for (let i = 0; i < stdin; i++) {
    const content = await readBulkInput('-', options.readStdin);
    record(toBulkResult('-', typeof content === 'string' ? await verifier.verify(content) : content, options.strictFiles));
  }
}

/** Runs `run(0..n-1)` with at most `concurrency` at once. */
export async function eachBounded(n: number, concurrency: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await run(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** Throws ERR_VERIFY_PATH for the first path (other than `-`) that does not exist; call before a run. */
export async function assertPathsExist(paths: readonly string[]): Promise<void> {
  for (const p of paths) if (p !== '-') await isDirectory(p);
}

// Extra JSON-LD contexts an operator adds from a folder, each pinned by the SHA-256 of its bytes; nothing is fetched.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MicrocredError, type ErrorCode } from '../errors';
import { bundledContexts } from './bundled';

/** One pinned context file: the URL credentials name it by, the file in the folder, and the SHA-256 of its bytes. */
export interface ContextPin {
  readonly url: string;
  readonly file: string;
  /** Lower-case hex SHA-256 of the file's bytes (`sha256sum <file>`). */
  readonly sha256: string;
}

/** The operator's context setting: a folder and the pins of the files in it. */
export interface OperatorContextsOptions {
  readonly dir: string;
  readonly pins: readonly ContextPin[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const CONTEXT_FILE = /\.(json|jsonld)$/i;

function invalid(code: ErrorCode, message: string, details: Record<string, unknown>): MicrocredError {
  return new MicrocredError(code, message, { details });
}

function readPinned(dir: string, pin: ContextPin): object {
  if (!/^https?:\/\//.test(pin.url)) {
    throw invalid('ERR_CONTEXT_FILE_INVALID', `The context URL "${pin.url}" must be an http(s) URL.`, { url: pin.url });
  }
  if (!SHA256_HEX.test(pin.sha256)) {
    throw invalid('ERR_CONTEXT_FILE_INVALID', `The pin of ${pin.file} must be 64 lower-case hex digits (sha256sum of the file).`, { file: pin.file });
  }
  // Only plain names: a pin must not reach outside the folder the operator named.
  if (path.basename(pin.file) !== pin.file || pin.file.startsWith('.')) {
    throw invalid('ERR_CONTEXT_FILE_INVALID', `The pinned file "${pin.file}" must be a plain file name inside the contexts folder.`, { file: pin.file });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, pin.file));
  } catch (cause) {
    throw new MicrocredError('ERR_CONTEXT_FILE_MISSING', `The context file ${pin.file} (for ${pin.url}) cannot be read from ${dir}; put it there or remove its pin.`, {
      cause,
      details: { file: pin.file, url: pin.url },
    });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== pin.sha256) {
    throw invalid(
      'ERR_CONTEXT_HASH_MISMATCH',
      `The context file ${pin.file} (for ${pin.url}) has changed: its SHA-256 is ${actual}, but the configuration pins ${pin.sha256}. Restore the file, or pin the new hash after reviewing it.`,
      { file: pin.file, url: pin.url, expected: pin.sha256, actual },
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('ERR_CONTEXT_FILE_INVALID', `The context file ${pin.file} is not JSON.`, { file: pin.file });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('@context' in document)) {
    throw invalid('ERR_CONTEXT_FILE_INVALID', `The context file ${pin.file} is not a JSON-LD context: it needs a top-level "@context".`, { file: pin.file });
  }
  return document;
}

/**
 * Reads the operator's context files: every pinned file must exist and match its hash, and every `.json`/`.jsonld`
 * file in the folder must be pinned (an unpinned file is a mistake, not something to ignore). A bundled context cannot
 * be replaced. Returns URL → document for the document loader. Throws ERR_CONTEXT_HASH_MISMATCH,
 * ERR_CONTEXT_FILE_MISSING, ERR_CONTEXT_FILE_INVALID or ERR_CONTEXT_UNPINNED.
 */
export function loadOperatorContexts(options: OperatorContextsOptions): Map<string, object> {
  const { dir, pins } = options;
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => CONTEXT_FILE.test(name));
  } catch (cause) {
    throw new MicrocredError('ERR_CONTEXT_FILE_MISSING', `The contexts folder ${dir} cannot be read; create it or unset the contexts setting.`, { cause, details: { dir } });
  }
  const pinned = new Set(pins.map((pin) => pin.file));
  const unpinned = names.filter((name) => !pinned.has(name));
  if (unpinned.length > 0) {
    throw invalid('ERR_CONTEXT_UNPINNED', `The contexts folder ${dir} holds files without a pin: ${unpinned.join(', ')}. Pin each with its URL and SHA-256, or remove it.`, {
      files: unpinned,
    });
  }
  const bundled = bundledContexts();
  const out = new Map<string, object>();
  for (const pin of pins) {
    if (bundled.has(pin.url)) {
      throw invalid('ERR_CONTEXT_FILE_INVALID', `${pin.url} is bundled with microcred and cannot be replaced by an operator file.`, { url: pin.url });
    }
    if (out.has(pin.url)) throw invalid('ERR_CONTEXT_FILE_INVALID', `${pin.url} is pinned twice.`, { url: pin.url });
    out.set(pin.url, readPinned(dir, pin));
  }
  return out;
}

// Open Badges 3.0 PNG baking: the credential in an uncompressed iTXt chunk with the keyword `openbadgecredential`.
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { decodeSync, encodeSync } from 'png-chunk-itxt';
import { MicrocredError, type ErrorCode } from '../errors';
import { ANCHOR_PNG_KEYWORD, OB3_PNG_KEYWORD, fromCarriers, toPayload } from './payload';

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Chunk = { name: string; data: Uint8Array };

/** True when `bytes` starts with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

// png-chunks-extract allocates each chunk at its declared length before reading it, so a hostile length (up to 4 GiB)
// must be refused first: every declared length has to fit in the bytes that are actually there.
function assertChunkLengths(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PNG_SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    if (length > bytes.length - offset - 12) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The PNG is truncated or corrupt: a chunk is longer than the file.');
    const name = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    if (name === 'IEND') return;
    offset += length + 12;
  }
  throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The PNG is truncated: it has no IEND chunk.');
}

function readChunks(bytes: Uint8Array, code: ErrorCode): Chunk[] {
  if (!isPng(bytes)) throw new MicrocredError(code, 'The file is not a PNG image (no PNG signature).');
  assertChunkLengths(bytes);
  try {
    return extractChunks(bytes);
  } catch (cause) {
    throw new MicrocredError(code, `The PNG is corrupt: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause });
  }
}

// The keyword is the chunk's Latin-1 bytes up to the first NUL (1 to 79 bytes by the PNG specification).
function keywordOf(chunk: Chunk): string | undefined {
  if (chunk.name !== 'iTXt') return undefined;
  const end = chunk.data.indexOf(0);
  return end < 1 || end > 79 ? undefined : Buffer.from(chunk.data.subarray(0, end)).toString('latin1');
}

function itxt(keyword: string, text: string): Chunk {
  return { name: 'iTXt', data: encodeSync({ keyword, compressionFlag: false, compressionMethod: 0, languageTag: '', translatedKeyword: '', text }) };
}

/**
 * Bakes a credential into a PNG badge image. A Data Integrity credential goes in as JSON; a VC-JOSE credential as its
 * compact JWS (as the spec says), with its anchor proof in a second iTXt chunk `microcred-anchor-proof`. Throws
 * ERR_BAKE_IMAGE (not a PNG), ERR_BAKE_ALREADY_BAKED (the image carries a credential) or ERR_BAKE_CREDENTIAL.
 */
export function bakePng(image: Uint8Array, credential: Record<string, unknown> | string): Uint8Array {
  const payload = toPayload(credential);
  const chunks = readChunks(image, 'ERR_BAKE_IMAGE');
  if (chunks.some((c) => keywordOf(c) === OB3_PNG_KEYWORD || keywordOf(c) === ANCHOR_PNG_KEYWORD)) {
    throw new MicrocredError('ERR_BAKE_ALREADY_BAKED', 'The image already carries a credential; bake into the unbaked badge image.');
  }
  const added = payload.kind === 'json' ? [itxt(OB3_PNG_KEYWORD, payload.json)] : [itxt(OB3_PNG_KEYWORD, payload.jws), ...(payload.anchorProof === undefined ? [] : [itxt(ANCHOR_PNG_KEYWORD, payload.anchorProof)])];
  // Right after IHDR, so that a reader that stops at the first openbadgecredential chunk reads little of the file.
  return encodeChunks([chunks[0]!, ...added, ...chunks.slice(1)]);
}

function textOf(chunks: Chunk[], keyword: string): string | undefined {
  const found = chunks.filter((c) => keywordOf(c) === keyword);
  if (found.length === 0) return undefined;
  if (found.length > 1) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The PNG has more than one "${keyword}" iTXt chunk; the spec allows one.`);
  const data = found[0]!.data;
  // Compression MUST NOT be used (spec), and refusing it also means a hostile image cannot inflate to gigabytes.
  if (data[keyword.length + 1] !== 0) throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The "${keyword}" iTXt chunk is compressed; the spec forbids compression.`);
  try {
    return decodeSync(data).text;
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', `The "${keyword}" iTXt chunk is malformed.`, { cause });
  }
}

/**
 * The verifier input baked into a PNG: the credential JSON, the anchored envelope (JWS plus anchor proof) or the JWS.
 * Throws ERR_EMBEDDED_NONE when the image carries no credential and ERR_EMBEDDED_MALFORMED when it is corrupt.
 */
export function unbakePng(image: Uint8Array): string {
  const chunks = readChunks(image, 'ERR_EMBEDDED_MALFORMED');
  const credential = textOf(chunks, OB3_PNG_KEYWORD);
  if (credential === undefined) throw new MicrocredError('ERR_EMBEDDED_NONE', `The PNG carries no baked credential (no "${OB3_PNG_KEYWORD}" iTXt chunk).`);
  return fromCarriers(credential, textOf(chunks, ANCHOR_PNG_KEYWORD));
}

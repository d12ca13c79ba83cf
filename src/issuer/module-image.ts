// Badge images for the catalog: the type read from the bytes (never from a file name or header), and a size cap.
import { createHash } from 'node:crypto';
import { MicrocredError } from '../errors';

/** Largest badge image the catalog stores (OB images are small; a credential embeds only the URL). */
export const MAX_IMAGE_BYTES = 512 * 1024;

/** The image types the catalog accepts. */
export type ImageContentType = 'image/png' | 'image/jpeg' | 'image/svg+xml';

/** The file extension each type is served with. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageContentType, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg' };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** True when the text, after an optional XML declaration, comments and doctype, starts with an `<svg` element. */
function isSvg(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  } catch {
    // A cut in the middle of a multi-byte character at 4096 is not a reason to refuse: decode leniently then.
    text = bytes.subarray(0, 4096).toString('utf8');
  }
  const rest = text.replace(/^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*/i, '');
  return /^<svg[\s>]/.test(rest);
}

/** The type of an image by its first bytes, or null when it is none of PNG, JPEG, SVG. */
export function sniffImageType(bytes: Buffer): ImageContentType | null {
  if (bytes.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (bytes.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return isSvg(bytes) ? 'image/svg+xml' : null;
}

/** A checked image: its bytes, type and content address. */
export interface CheckedImage {
  bytes: Buffer;
  contentType: ImageContentType;
  sha256: string;
}

/** Checks an uploaded image: ERR_IMAGE_TOO_LARGE above `maxBytes`, ERR_IMAGE_INVALID when it is not PNG, JPEG or SVG. */
export function checkImage(bytes: Buffer, maxBytes = MAX_IMAGE_BYTES): CheckedImage {
  if (bytes.length > maxBytes) {
    throw new MicrocredError('ERR_IMAGE_TOO_LARGE', `The image is ${bytes.length} bytes; the catalog accepts at most ${maxBytes}. Make it smaller (a badge needs about 400×400 pixels).`, {
      details: { size: bytes.length, maxBytes },
    });
  }
  const contentType = sniffImageType(bytes);
  if (contentType === null) {
    throw new MicrocredError('ERR_IMAGE_INVALID', 'The image is not a PNG, JPEG or SVG file (judged by its bytes, not its name); convert it to one of those.', { details: { size: bytes.length } });
  }
  return { bytes, contentType, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The path an image is served at, below the issuer's public base URL. */
export function imagePath(sha256: string, contentType: ImageContentType): string {
  return `/modules/images/${sha256}.${IMAGE_EXTENSIONS[contentType]}`;
}

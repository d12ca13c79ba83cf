// Finds the credential inside a baked PNG or SVG badge, or a PDF certificate, so that the verifier can check it.
import { MicrocredError, isMicrocredError } from '../errors';
import { isPdf } from './certificate-names';
import { credentialFromPdf } from './pdf-attachment';
import { isPng, unbakePng } from './png';
import { looksLikeXml, unbakeSvg } from './svg';

/** The containers a credential can travel in besides a plain file. */
export type Container = 'png' | 'svg' | 'pdf';

/** What a container carried: the credential as text the verifier accepts (JSON or a compact JWS). */
export interface Unbaked {
  readonly container: Container;
  readonly credential: string;
}

/** The container `bytes` is, by its signature (PNG, `%PDF-`) or its first character (`<`: XML, read as SVG), if any. */
export function containerOf(bytes: Uint8Array): Container | undefined {
  if (isPng(bytes)) return 'png';
  if (isPdf(bytes)) return 'pdf';
  return looksLikeXml(Buffer.from(bytes.subarray(0, 1024)).toString('utf8')) ? 'svg' : undefined;
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new MicrocredError('ERR_EMBEDDED_MALFORMED', 'The SVG is not UTF-8 text.', { cause });
  }
}

/**
 * The credential baked into a PNG or SVG badge image. Throws ERR_EMBEDDED_NONE (no credential, or not an image) or
 * ERR_EMBEDDED_MALFORMED (a broken image or embedding). The result is not verified: pass it to the verifier.
 */
export function unbake(image: Uint8Array | string): Unbaked {
  if (typeof image === 'string') return { container: 'svg', credential: unbakeSvg(image) };
  const container = containerOf(image);
  if (container === 'png') return { container, credential: unbakePng(image) };
  if (container === 'svg') return { container, credential: unbakeSvg(utf8(image)) };
  throw new MicrocredError('ERR_EMBEDDED_NONE', 'The file is neither a PNG nor an SVG image.');
}

/** Text that only a file carrying a credential has: the spec's PNG keyword and SVG element, the PDF attachment names. */
const MARKERS: Record<Container, readonly string[]> = {
  png: ['openbadgecredential'],
  svg: ['openbadges:credential'],
  pdf: ['credential.json', 'credential.jwt'],
};

/**
 * The credential inside a baked image or a PDF certificate, or undefined when `bytes` is none of these (a plain
 * credential file). Throws ERR_EMBEDDED_NONE for a container without a credential, and ERR_EMBEDDED_MALFORMED for a
 * broken one that shows signs of carrying one; any other broken image, XML or PDF counts as carrying none.
 */
export async function extractEmbedded(bytes: Uint8Array): Promise<Unbaked | undefined> {
  const container = containerOf(bytes);
  if (container === undefined) return undefined;
  try {
    if (container !== 'pdf') return unbake(bytes);
    return { container, credential: await credentialFromPdf(bytes) };
  } catch (caught) {
    // Hostile input must never escape as a library's own exception: anything unexpected is a broken container.
    const error = isMicrocredError(caught)
      ? caught
      : new MicrocredError('ERR_EMBEDDED_MALFORMED', `The ${container.toUpperCase()} could not be read: ${caught instanceof Error ? caught.message.slice(0, 200) : String(caught)}.`, { cause: caught });
    const claims = MARKERS[container].some((marker) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker, 0, 'latin1'));
    if (error.code === 'ERR_EMBEDDED_MALFORMED' && !claims) {
      throw new MicrocredError('ERR_EMBEDDED_NONE', `The file is a broken ${container.toUpperCase()} with no sign of a credential: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

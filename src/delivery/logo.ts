// The institution's logo for PDF certificates: a PNG or JPEG file, checked by its bytes and size before any page is drawn.
import { readFileSync, statSync } from 'node:fs';
import { MicrocredError } from '../errors';
import { isPng } from './png';

/** Largest logo accepted: a logo is a small image, and every certificate carries a copy. */
export const MAX_LOGO_BYTES = 512 * 1024;

/** A checked logo. */
export interface CertificateLogo {
  readonly type: 'png' | 'jpeg';
  readonly bytes: Uint8Array;
}

const isJpeg = (bytes: Uint8Array): boolean => bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/** Checks logo bytes: PNG or JPEG by signature, at most MAX_LOGO_BYTES; ERR_CERTIFICATE_LOGO otherwise. */
export function checkLogo(bytes: Uint8Array, name = 'the logo'): CertificateLogo {
  if (bytes.length > MAX_LOGO_BYTES) throw tooLarge(name, bytes.length);
  if (isPng(bytes)) return { type: 'png', bytes };
  if (isJpeg(bytes)) return { type: 'jpeg', bytes };
  throw new MicrocredError('ERR_CERTIFICATE_LOGO', `${name} is neither a PNG nor a JPEG image: set certificate.logo (MICROCRED_CERTIFICATE_LOGO) to a PNG or JPEG file.`);
}

function tooLarge(name: string, size: number): MicrocredError {
  return new MicrocredError('ERR_CERTIFICATE_LOGO', `${name} is ${size} bytes; a certificate logo may be at most ${MAX_LOGO_BYTES} bytes (512 KiB): give a smaller PNG or JPEG.`);
}

/** Reads and checks the logo file; ERR_CERTIFICATE_LOGO when it cannot be read or is not a small PNG/JPEG. */
export function loadLogo(file: string): CertificateLogo {
  const name = `The certificate logo ${file}`;
  let bytes: Buffer;
  try {
    // The size first, so a huge file named by mistake is refused without reading it.
    const size = statSync(file).size;
    if (size > MAX_LOGO_BYTES) throw tooLarge(name, size);
    bytes = readFileSync(file);
  } catch (cause) {
    if (cause instanceof MicrocredError) throw cause;
    throw new MicrocredError('ERR_CERTIFICATE_LOGO', `Cannot read the certificate logo ${file}: check certificate.logo (MICROCRED_CERTIFICATE_LOGO).`, { cause });
  }
  return checkLogo(bytes, name);
}

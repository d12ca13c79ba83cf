// Delivery test fixtures: badge templates (a small real PNG drawn with pngjs, an SVG) and reading a damaged file back.
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { extractEmbedded } from '../../src/delivery';

/** An 8×8 RGBA PNG with a diagonal pattern, so that pixel equality after baking means something. */
export function templatePng(): Buffer {
  const png = new PNG({ width: 8, height: 8 });
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const i = (y * 8 + x) * 4;
      png.data[i] = x === y ? 200 : 20;
      png.data[i + 1] = 40 + x * 10;
      png.data[i + 2] = 90 + y * 10;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** The decoded pixels of a PNG. */
export function pixels(bytes: Uint8Array): Buffer {
  return PNG.sync.read(Buffer.from(bytes)).data;
}

/** A badge SVG with a prolog, a comment and a ">" inside an attribute value (all legal, all must survive baking). */
export const TEMPLATE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- ACLS badge -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" data-note="a > b">
  <circle cx="50" cy="50" r="40" fill="#c33"/>
  <text x="50" y="55" text-anchor="middle">ACLS</text>
</svg>
`;

/**
 * The credential text a damaged image or PDF still yields, or undefined when there is none; a refusal must be one of
 * the embedded-file codes (anything else fails the test).
 */
export async function extractOrRefused(bytes: Uint8Array): Promise<string | undefined> {
  try {
    return (await extractEmbedded(bytes))?.credential;
  } catch (error) {
    expect((error as { code?: string }).code).toMatch(/^ERR_EMBEDDED_(NONE|MALFORMED)$/);
    return undefined;
  }
}

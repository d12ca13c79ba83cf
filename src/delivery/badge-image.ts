// The default badge images the share page bakes the credential into, when the institution gives none of its own.
import { readFileSync } from 'node:fs';
import path from 'node:path';

let png: Buffer | undefined;

/** A plain 160×160 badge (a check mark in a ring), as PNG; read once from src/delivery/assets/. */
export function defaultBadgePng(): Buffer {
  png ??= readFileSync(path.join(__dirname, 'assets', 'badge.png'));
  return png;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);

/** The same badge as SVG, with the achievement's name under it (escaped, cut to 60 characters). */
export function defaultBadgeSvg(achievement: string): string {
  const name = escapeXml([...achievement].slice(0, 60).join(''));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 230" width="200" height="230" role="img" aria-label="${name}">
  <title>${name}</title>
  <circle cx="100" cy="100" r="95" fill="#d4af37"/>
  <circle cx="100" cy="100" r="82" fill="#204078"/>
  <path d="M62 104 L88 130 L140 70" fill="none" stroke="#fff" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>
  <text x="100" y="222" font-family="Helvetica, Arial, sans-serif" font-size="13" text-anchor="middle" fill="#1a1a26">${name}</text>
</svg>
`;
}

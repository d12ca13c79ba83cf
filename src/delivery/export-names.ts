// File names a person can read for exported credentials: learner, module and a short id, safe on every file system.

/** Most UTF-8 bytes of the learner part and of the module part (the whole name stays far below 255 bytes). */
const MAX_PART_BYTES = 60;

/** Latin letters with a stroke, which NFKD does not decompose into a base letter. */
const STROKED: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', ß: 'ss', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe' };

/**
 * One part of a file name: letters and digits of any script, accents dropped (Windows, macOS and ZIP tools then agree
 * on the bytes), every run of anything else (spaces, slashes, dots, quotes, control characters) one "-". Empty → fallback.
 */
export function fileNamePart(text: string | null | undefined, fallback: string): string {
  const plain = Array.from((text ?? '').normalize('NFKD').replace(/\p{M}/gu, ''), (ch) => STROKED[ch] ?? ch).join('');
  const cleaned = plain.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').normalize('NFC');
  let out = '';
  for (const ch of cleaned) {
    if (Buffer.byteLength(out + ch, 'utf8') > MAX_PART_BYTES) break;
    out += ch;
  }
  out = out.replace(/-+$/, '');
  return out === '' ? fallback : out;
}

/** What names one exported file. */
export interface ExportNameFacts {
  readonly credentialId: string;
  readonly learnerName: string | null;
  readonly achievement: string | null;
}

function hexOfId(credentialId: string): string {
  const hex = credentialId.replace(/^urn:uuid:/i, '').toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex === '' ? 'credential' : hex;
}

/**
 * `<Learner-Name>_<Module-Name>_<first idLength hex digits of the id>.<ext>`, e.g. `Ada-Lovelace_ACLS_6f1c2a3b.json`.
 */
export function exportFileName(facts: ExportNameFacts, ext: string, idLength = 8): string {
  return `${fileNamePart(facts.learnerName, 'learner')}_${fileNamePart(facts.achievement, 'credential')}_${hexOfId(facts.credentialId).slice(0, idLength)}.${ext}`;
}

/**
 * Gives each credential of one export its own name: two names that differ only in case count as the same (macOS and
 * Windows would make them one file), so a clash takes more digits of the id, which is unique.
 */
export function uniqueExportNames(items: readonly ExportNameFacts[], ext: string, avoid: Iterable<string> = []): string[] {
  const used = new Set(Array.from(avoid, (n) => n.toLowerCase()));
  return items.map((facts) => {
    for (const length of [8, 12, 16, 32]) {
      const name = exportFileName(facts, ext, length);
      if (!used.has(name.toLowerCase())) {
        used.add(name.toLowerCase());
        return name;
      }
    }
    // The same credential twice in one export (or its full-id name already taken): number the copies. Among
    // used.size + 1 numbers one is free, so the loop ends.
    const stem = exportFileName(facts, ext, 32).slice(0, -(ext.length + 1));
    for (let n = 2; n <= used.size + 2; n++) {
      const name = `${stem}-${n}.${ext}`;
      if (!used.has(name.toLowerCase())) {
        used.add(name.toLowerCase());
        return name;
      }
    }
    throw new Error('unreachable: no free export file name');
  });
}

// Export file names: readable, the same on every file system, unique in a folder (case-insensitively), within 255 bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportFileName, fileNamePart, uniqueExportNames } from '../../src/delivery';

const ID = 'urn:uuid:6f1c2a3b-9d7e-4c21-8a55-0123456789ab';
/** Letters and digits of any script, "-" inside parts, "_" between them, and the extension. */
const PORTABLE = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*_[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*_[0-9a-f]+(?:-\d+)?\.json$/u;

describe('export file names', () => {
  it('are learner, module and the first 8 hex digits of the id', () => {
    expect(exportFileName({ credentialId: ID, learnerName: 'Ada Lovelace', achievement: 'Advanced Cardiac Life Support' }, 'json')).toBe(
      'Ada-Lovelace_Advanced-Cardiac-Life-Support_6f1c2a3b.json',
    );
  });

  it('drop accents, keep other scripts, and turn what file systems refuse into "-"', () => {
    expect(fileNamePart("Zoë O'Brien/Łukasz", 'x')).toBe('Zoe-O-Brien-Lukasz');
    expect(fileNamePart('ACLS: "Advanced" <Life> Support?*|\\', 'x')).toBe('ACLS-Advanced-Life-Support');
    expect(fileNamePart('  ..\u0000\u001f..  ', 'learner')).toBe('learner');
    expect(fileNamePart('李雷', 'x')).toBe('李雷');
    expect(fileNamePart('김민수', 'x')).toBe('김민수'); // Hangul survives the NFKD round trip
    expect(exportFileName({ credentialId: ID, learnerName: null, achievement: null }, 'pdf')).toBe('learner_credential_6f1c2a3b.pdf');
  });

  it('stay unique when names clash, ignoring case, and avoid names already in the folder', () => {
    const twin = (id: string, name: string) => ({ credentialId: `urn:uuid:6f1c2a3b-${id}`, learnerName: name, achievement: 'ACLS' });
    const names = uniqueExportNames([twin('0000-4000-8000-000000000001', 'Ann Lee'), twin('0000-4000-8000-000000000002', 'ANN LEE'), twin('0000-4000-8000-000000000002', 'Ann Lee')], 'json', [
      'ann-lee_acls_6f1c2a3b0000.json',
    ]);
    // The second skips 12 digits (already in the folder); the third clashes at 8 and 16 digits, so it takes all 32.
    expect(names).toEqual(['Ann-Lee_ACLS_6f1c2a3b.json', 'ANN-LEE_ACLS_6f1c2a3b00004000.json', 'Ann-Lee_ACLS_6f1c2a3b000040008000000000000002.json']);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
  });

  it('for any learner and module text: portable, unique in one export and at most 255 bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ learnerName: fc.option(fc.string({ unit: 'binary', maxLength: 300 })), achievement: fc.option(fc.string({ unit: 'binary', maxLength: 300 })), id: fc.uuid() }), { minLength: 1, maxLength: 8 }), (items) => {
        const facts = items.map((i) => ({ credentialId: `urn:uuid:${i.id}`, learnerName: i.learnerName, achievement: i.achievement }));
        const names = uniqueExportNames(facts, 'json');
        expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
        for (const name of names) {
          expect(name).toMatch(PORTABLE);
          expect(name.normalize('NFC')).toBe(name);
          expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(255);
        }
      }),
      { numRuns: 300 },
    );
  });
});

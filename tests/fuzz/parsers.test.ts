// Generated input for the CLI's parsers in-process (the CSV cohort reader, the config file loader, the policy file):
// they return or throw a MicrocredError with a code, never anything else, and never pollute Object.prototype.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { parseCohortCsv } from '../../src/issuer/csv';
import { policyFromJson } from '../../src/verify';
import { expectCodedOrOk } from '../helpers/errors';
import { NASTY_KEYS, NASTY_STRINGS, nastyJson, nastyJsonTexts } from './corpus';
import { prototypeClean } from './http-checks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-fuzz-parsers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER_NAMES = ['learner_email', 'learner_did', 'module_id', 'module_name', 'module_description', 'criteria', 'completed_at', 'credits', 'valid_for', ...NASTY_KEYS, 'hasOwnProperty', ''];
const cell = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 100), '"', '""', '"a\nb"', '\r\n', ',', '\ufeff', '1e400', 'NaN'));

describe('cohort CSV reader', () => {
  it('generated CSV text: rows or ERR_CSV_INVALID / ERR_BATCH_TOO_LARGE, never another error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HEADER_NAMES), { maxLength: 10 }), fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 8 }), fc.boolean(), fc.constantFrom('\n', '\r\n', '\r'), (header, rows, bom, eol) => {
        const text = (bom ? '\ufeff' : '') + [header.join(','), ...rows.map((r) => r.join(','))].join(eol);
        expectCodedOrOk(JSON.stringify(text).slice(0, 200), () => parseCohortCsv(text, { maxRows: 5 }), /^ERR_(CSV_INVALID|BATCH_TOO_LARGE)$/);
      }),
      { numRuns: 400 },
    );
    expect(prototypeClean()).toBe(true);
  });

  it('rows with the wrong number of cells are flagged per row, not dropped or thrown', () => {
    const rows = parseCohortCsv('learner_email,module_id,module_name,module_description,criteria,completed_at\na,b\na,b,c,d,e,f,g\n');
    expect(rows.map((r) => r.issues?.some((i) => i.field === '(row)'))).toEqual([true, true]);
  });
});

describe('config file and policy file', () => {
  it('generated and nasty config files: a config or ERR_CONFIG_INVALID / ERR_CONFIG_FILE', () => {
    let n = 0;
    const check = (text: string) => {
      const file = path.join(dir, `config-${n++}.json`);
      fs.writeFileSync(file, text);
      expectCodedOrOk(text.slice(0, 200), () => loadConfig({ env: {}, file, overrides: { dataDir: dir } }), /^ERR_CONFIG_(INVALID|FILE)$/);
    };
    for (const text of nastyJsonTexts()) check(text);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('role', 'port', 'host', 'chain', 'issuer', 'batch', 'verifier', 'anchoringKey', 'dataDir', ...NASTY_KEYS), nastyJson, { maxKeys: 6 }),
        (settings) => check(JSON.stringify({ ...settings, dataDir: dir })),
      ),
      { numRuns: 150 },
    );
    expect(prototypeClean()).toBe(true);
  });

  it('generated policy files: a policy or ERR_POLICY_INVALID', () => {
    fc.assert(
      fc.property(fc.oneof(nastyJson, fc.dictionary(fc.constantFrom('preset', 'trustedRegistries', 'acceptPendingAnchor', 'clockSkewSeconds', ...NASTY_KEYS), nastyJson)), (value) => {
        expectCodedOrOk(JSON.stringify(value)?.slice(0, 200) ?? 'undefined', () => policyFromJson(value), /^ERR_POLICY_INVALID$/);
      }),
      { numRuns: 300 },
    );
    for (const preset of ['constructor', '__proto__', 'toString']) expectCodedOrOk(preset, () => policyFromJson({ preset }), /^ERR_POLICY_INVALID$/);
  });
});

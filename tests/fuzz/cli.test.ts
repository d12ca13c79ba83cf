// The CLI's input parsers as real processes: `verify` over hostile files, `issue --csv` with hostile CSVs, `--config`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { microcred, type CliResult } from '../helpers/cli';
import { sampleRecord } from './system';

let dir: string;
let closedRpc: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-fuzz-cli-'));
  // A loopback port nobody listens on: the chain is unreachable, and nothing leaves the machine.
  closedRpc = `http://127.0.0.1:${await freePort()}`;
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const STACK = /\n\s+at \S|\.ts:\d+:\d+|node_modules/;

function expectClean(result: CliResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr.slice(0, 400)}`).not.toBeNull();
  expect(result.stderr, `${what}: a stack trace on stderr`).not.toMatch(STACK);
  expect(result.stdout, `${what}: a stack trace on stdout`).not.toMatch(STACK);
}

function write(file: string, content: string | Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('microcred verify over hostile files', () => {
  it('a folder of binary, empty, 10 MB, deep, __proto__ and formula-laden files: exit 1, no trace, a CSV report without formula cells', async () => {
    const folder = path.join(dir, 'hostile');
    write(path.join(folder, 'binary.json'), Uint8Array.from({ length: 4096 }, (_, i) => (i * 131) % 256));
    write(path.join(folder, 'empty.json'), '');
    write(path.join(folder, 'huge.json'), Buffer.alloc(10 * 1024 * 1024, 0x7b));
    write(path.join(folder, 'deep-array.json'), '['.repeat(200_000) + ']'.repeat(200_000));
    write(path.join(folder, 'deep-object.json'), deepJson(100_000));
    write(path.join(folder, 'proto.json'), '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "type": ["VerifiableCredential"]}');
    write(path.join(folder, 'not-utf8.jwt'), Uint8Array.of(0xff, 0xfe, 0x2e, 0xc3, 0x28, 0x2e, 0xed, 0xa0, 0x80));
    write(path.join(folder, 'jws-junk.jwt'), 'eyJhbGciOiJub25lIn0.eyJ0eXBlIjoiVmVyaWZpYWJsZUNyZWRlbnRpYWwifQ.AAAA');
    write(path.join(folder, 'nested', 'sub', 'remote-context.json'), JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx'], type: ['VerifiableCredential'], issuer: 'did:web:169.254.169.254', credentialSubject: {} }));
    // Every summary field of this credential starts like a spreadsheet formula.
    const formulas = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: '=HYPERLINK("http://evil.example","x")',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: '+did:key:z6Mk', type: ['Profile'], name: '-2+3+cmd|" /C calc"!A0' },
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { type: ['AchievementSubject'], achievement: { id: 'urn:x', type: ['Achievement'], name: '@SUM(1+1)*cmd|"/C calc"!A0', description: '\t=1', criteria: { narrative: '\r=1' } } },
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: '=1', proofValue: 'z1' },
    };
    write(path.join(folder, 'formulas.json'), JSON.stringify(formulas));
    for (const [name, value] of [['tab', `\t${JSON.stringify({ ...formulas, id: '\t=1' })}`], ['cr', JSON.stringify({ ...formulas, id: '\r=1', issuer: { ...formulas.issuer, name: '\r@x' } })]]) write(path.join(folder, `${name}.json`), value!);
    const report = path.join(dir, 'report.csv');
    const result = await microcred(['verify', folder, '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', '--csv', report, '--json'], { timeoutMs: 60_000 });
    expectClean(result, 'verify folder');
    expect(result.code).toBe(1);
    expect(result.json.summary.total).toBe(12);
    const rows: string[][] = parse(fs.readFileSync(report, 'utf8'), { bom: true, relax_column_count: false });
    expect(rows).toHaveLength(13);
    for (const row of rows) for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);
    // The formula text is kept, neutralised, so the reader still sees what the file said.
    expect(rows.flat().some((cell) => cell.startsWith("'@SUM(1+1)"))).toBe(true);
    expect(rows.flat().some((cell) => cell.startsWith("'=HYPERLINK"))).toBe(true);
  });

  it('usage errors exit 2: a missing path, a hostile --policy file, a preset named like an Object.prototype member', async () => {
    const policies = [
      write(path.join(dir, 'policy-deep.json'), deepJson(100_000)),
      write(path.join(dir, 'policy-proto.json'), '{"__proto__": {"acceptPendingAnchor": true}, "preset": "__proto__"}'),
    ];
    const runs = [
      ['verify', path.join(dir, 'does-not-exist'), '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337'],
      ...['constructor', '__proto__'].map((preset) => ['verify', dir, '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', '--policy', preset]),
      ...policies.map((file) => ['verify', dir, '--rpc', closedRpc, '--registry', REGISTRY, '--chain-id', '31337', '--policy', file]),
    ];
    const results = await Promise.all(runs.map((args) => microcred(args, { timeoutMs: 60_000 })));
    results.forEach((result, i) => {
      expectClean(result, runs[i]!.join(' '));
      expect(result.code, `${runs[i]!.join(' ').slice(0, 200)}: ${result.stderr.slice(0, 300)}`).toBe(2);
    });
  });
});

// Each case here is a whole process (about 2 s of start-up on this machine); the generated inputs run in-process in
// parsers.test.ts, so these are the corpus cases that prove the wiring: exit codes, messages, no trace.
describe('microcred issue --csv and --config with hostile input', () => {
  const header = 'learner_email,module_id,module_name,module_description,criteria,completed_at';
  const good = 'ada@example.org,https://example.org/m,"=HYPERLINK(""http://evil"")","multi\nline\r\nquoted",@SUM(1),2025-02-28T09:30:00Z';

  it('hostile CSVs: documented exit codes (0 issued, 1 bad rows, 2 unusable file), never a trace', async () => {
    const cases: Array<[string, string | Uint8Array, number]> = [
      ['BOM, formulas and quoted newlines', `\ufeff${header}\r\n${good}\r\n`, 0],
      ['wrong column counts and a 1 MB cell', `${header}\n${good},extra\nshort,row\nada@example.org,https://example.org/m,${'x'.repeat(1024 * 1024)},d,c,2025-02-28T09:30:00Z\n`, 1],
      ['20,000 columns', `${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',')}\n${'x,'.repeat(19_999)}x\n`, 2],
      ['a __proto__ column', `${header},__proto__\n${good},x\n`, 2],
      ['bytes that are not UTF-8', Uint8Array.of(0xff, 0xfe, 0x00, 0x41, 0x0a, 0xc3, 0x28), 2],
    ];
    const results = await Promise.all(
      cases.map(([name, content], i) => {
        const data = path.join(dir, `issuer-${i}`);
        const file = write(path.join(dir, `cohort-${i}.csv`), content);
        return microcred(['issue', '--data', data, '--csv', file, '--json'], { timeoutMs: 90_000 }).then((r) => [name, r] as const);
      }),
    );
    results.forEach(([name, result], i) => {
      expectClean(result, name);
      expect(result.code, `${name}: ${result.stdout.slice(0, 300)} ${result.stderr.slice(0, 300)}`).toBe(cases[i]![2]);
      if (result.code !== 0) expect(result.json?.ok, name).toBe(false);
    });
  });

  it('hostile --config files exit 2 with ERR_CONFIG_*, and a record file with __proto__ is refused as a usage error', async () => {
    const configs: Array<[string, string | Uint8Array]> = [
      ['deeply nested', deepJson(100_000)],
      ['prototype keys and huge numbers', '{"__proto__": {"role": "verifier"}, "constructor": {"prototype": {"port": 1}}, "port": 1e400, "batch": {"maxLeaves": 123456789012345678901234567890}}'],
      ['binary', Uint8Array.of(0x00, 0xff, 0xfe, 0x7b)],
    ];
    const record = write(path.join(dir, 'record-proto.json'), JSON.stringify(sampleRecord()).replace(/^\{/, '{"__proto__": {"polluted": true}, '));
    const runs = [
      ...configs.map(([, content], i) => ['token', 'list', '--config', write(path.join(dir, `config-${i}.json`), content), '--data', path.join(dir, `cfg-data-${i}`), '--json']),
      ['issue', '--data', path.join(dir, 'record-data'), '--record', record, '--json'],
    ];
    const results = await Promise.all(runs.map((args) => microcred(args, { timeoutMs: 90_000 })));
    results.forEach((result, i) => {
      const what = i < configs.length ? `config ${configs[i]![0]}` : 'record with __proto__';
      expectClean(result, what);
      expect(result.code, `${what}: ${result.stdout.slice(0, 300)} ${result.stderr.slice(0, 300)}`).toBe(2);
      if (i < configs.length) expect(result.json?.code, what).toMatch(/^ERR_CONFIG_(INVALID|FILE)$/);
    });
  });
});

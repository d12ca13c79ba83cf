// Child step: issues a cohort end to end through IssuerService.issueMany (the CSV import path) into a fresh store.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDocumentLoader } from '../src/contexts/loader';
import { createIssuerService, parseCohortCsv } from '../src/issuer';
import { openStore } from '../src/store';
import type { CredentialFormat } from '../src/store/types';
import { childMain, writeResult } from './child';
import { BENCH_NOW, cohortCsv, cohortRecord, loadBenchIssuer } from './fixture';
import { loopProgress, progress } from './progress';
import { createBenchSigner } from './signer-choice';

/** What the parent gets back. */
export interface IssueRunResult {
  form: CredentialFormat;
  n: number;
  issued: number;
  csvParseMs: number;
  issueMs: number;
  /** Credentials per second through issueMany (validate + build + sign + store + enqueue). */
  rate: number;
  /** Credentials per second including parsing the CSV. */
  rateWithCsv: number;
  /** Bytes of one unsigned credential (JSON) and of its secured form. */
  unsignedBytes: number;
  securedBytes: number;
  batches: number;
  signer: string;
}

childMain(async () => {
  const { values } = parseArgs({ options: { form: { type: 'string' }, n: { type: 'string' }, data: { type: 'string' }, issuer: { type: 'string' }, 'max-leaves': { type: 'string' } } });
  const form = values.form as CredentialFormat;
  const n = Number(values.n);
  const issuer = loadBenchIssuer(values.issuer!);
  const store = openStore({ path: path.join(values.data!, 'microcred.sqlite'), now: () => BENCH_NOW });
  const loader = defaultDocumentLoader();
  const { signer, label } = createBenchSigner({ keyring: issuer, loader, now: () => BENCH_NOW });
  const service = createIssuerService({ store, issuer, loader, now: () => BENCH_NOW, batch: { maxLeaves: Number(values['max-leaves'] ?? 1000) }, ...(signer ? { signer } : {}) });
  try {
    // Warm-up outside the clock (loads and caches the JSON-LD contexts and templates, compiles hot paths, starts the
    // signing threads as a running server has them); nothing is stored. Concurrent, so every thread gets work.
    signer?.expect?.(n, form);
    await Promise.all(Array.from({ length: 8 }, (_, i) => service.prepare(cohortRecord(i), { format: form, actor: 'bench' })));
    // VC-JOSE batch rows are validated, built and signed in the threads: a batch's worth warms them too (not stored).
    if (form === 'jose') await service.prepareMany(Array.from({ length: 400 }, (_, i) => ({ row: i + 1, input: cohortRecord(i) })), { format: form, actor: 'bench' });
    const warm = await service.prepare(cohortRecord(0), { format: form, actor: 'bench' });
    const text = cohortCsv(n);
    const t0 = performance.now();
    const rows = parseCohortCsv(text, { maxRows: n });
    const t1 = performance.now();
    progress(`issue ${form}: parsed ${rows.length} CSV rows in ${((t1 - t0) / 1000).toFixed(2)} s; issuing through issueMany (${label})`);
    const report = loopProgress(`issue ${form}`, n);
    const outcome = await service.issueMany(rows, { format: form, actor: 'bench', onProgress: ({ done }) => report(done) });
    const t2 = performance.now();
    if (outcome.issued !== n) throw new Error(`issueMany issued ${outcome.issued} of ${n}: ${JSON.stringify(outcome.rows.find((r) => r.status !== 'issued'))}`);
    const batches = store.listBatches({ limit: 1 }).items[0]?.id ?? 0;
    const result: IssueRunResult = {
      form,
      n,
      issued: outcome.issued,
      csvParseMs: t1 - t0,
      issueMs: t2 - t1,
      rate: n / ((t2 - t1) / 1000),
      rateWithCsv: n / ((t2 - t0) / 1000),
      unsignedBytes: Buffer.byteLength(JSON.stringify(unsignedOf(form, warm.document))),
      securedBytes: Buffer.byteLength(warm.document),
      batches,
      signer: label,
    };
    writeResult(result);
  } finally {
    await service.close();
    store.close();
  }
});

/** The credential without its securing: the JWS payload, or the Data Integrity document without `proof`. */
function unsignedOf(form: CredentialFormat, document: string): unknown {
  if (form === 'jose') return JSON.parse(Buffer.from(document.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const { proof: _proof, ...rest } = JSON.parse(document) as Record<string, unknown>;
  return rest;
}

// Measures VC-JOSE issuance end to end (issueMany over a parsed cohort CSV) against a bare jose CompactSign loop in one process, and prints the ratio.
// Usage: npx tsx scripts/jose-issue-ratio.ts [--n 10000] [--baseline 5000] [--threads <n>]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CompactSign } from 'jose';
import { BENCH_NOW, BENCH_ISSUER_PROFILE, cohortCsv, cohortRecord } from '../bench/fixture';
import { defaultDocumentLoader } from '../src/contexts';
import { buildCredential } from '../src/credential';
import { createIssuerService, createSigner, parseCohortCsv } from '../src/issuer';
import { SigningKey, createDidKeyIssuer } from '../src/signing';
import { openStore } from '../src/store';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string' }, baseline: { type: 'string' }, threads: { type: 'string' } } });
  const n = Number(values.n ?? 10_000);
  const baseN = Number(values.baseline ?? 5_000);
  const threads = values.threads === undefined ? os.availableParallelism() : Number(values.threads);
  const issuer = createDidKeyIssuer(SigningKey.generate('Ed25519'), BENCH_ISSUER_PROFILE);
  const now = (): Date => BENCH_NOW;

  const credentials = Array.from({ length: baseN }, (_, i) => buildCredential({ record: cohortRecord(i), issuer: issuer.profile, now }) as unknown as Record<string, unknown>);
  const keyObject = issuer.signingKey.privateKeyObject();
  const kid = issuer.signingKey.id!;
  const bare = async (): Promise<number> => {
    for (let i = 0; i < 50; i++) await new CompactSign(new TextEncoder().encode(JSON.stringify(credentials[i]))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid }).sign(keyObject);
    const t0 = performance.now();
    for (const credential of credentials) await new CompactSign(new TextEncoder().encode(JSON.stringify(credential))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid }).sign(keyObject);
    return baseN / ((performance.now() - t0) / 1000);
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jose-ratio-'));
  const store = openStore({ path: path.join(dir, 'microcred.sqlite'), now });
  const loader = defaultDocumentLoader();
  const signer = createSigner({ keyring: issuer, loader, now, threads });
  const service = createIssuerService({ store, issuer, loader, now, batch: { maxLeaves: 1000 }, signer });
  try {
    const before = await bare();
    signer.expect?.(n, 'jose');
    await Promise.all(Array.from({ length: 8 }, (_, i) => service.prepare(cohortRecord(i), { format: 'jose', actor: 'bench' })));
    // Warms the signing threads (loaded, caches filled) as a running server has them; nothing is stored.
    await service.prepareMany(Array.from({ length: 400 }, (_, i) => ({ row: i + 1, input: cohortRecord(i) })), { format: 'jose', actor: 'bench' });
    const text = cohortCsv(n);
    const t0 = performance.now();
    const rows = parseCohortCsv(text, { maxRows: n });
    const t1 = performance.now();
    const outcome = await service.issueMany(rows, { format: 'jose', actor: 'bench' });
    const t2 = performance.now();
    if (outcome.issued !== n) throw new Error(`issued ${outcome.issued} of ${n}`);
    const after = await bare();
    const rate = n / ((t2 - t1) / 1000);
    const baseline = (before + after) / 2;
    console.log(JSON.stringify({ n, threads, csvMs: Math.round(t1 - t0), issueMs: Math.round(t2 - t1), rate: Math.round(rate), bareBefore: Math.round(before), bareAfter: Math.round(after), ratio: Number((rate / baseline).toFixed(3)), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  } finally {
    await service.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();

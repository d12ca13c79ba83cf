// Child step: anchors a store's batches through the real outbox on the hardhat node, then writes the anchored
// credentials (DI documents with the anchor proof, or VC-JOSE envelopes) into a folder for bulk verification.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { anchoredCredential, createAnchorer } from '../src/anchoring';
import { openStore } from '../src/store';
import { issuerClient } from './chain';
import { childMain, writeResult } from './child';
import { progress } from './progress';

/** What the parent gets back. */
export interface AnchorRunResult {
  batches: number;
  anchorMs: number;
  files: number;
}

childMain(async () => {
  const { values } = parseArgs({ options: { data: { type: 'string' }, rpc: { type: 'string' }, registry: { type: 'string' }, 'chain-id': { type: 'string' }, out: { type: 'string' }, n: { type: 'string' }, 'max-leaves': { type: 'string' } } });
  const chain = { url: values.rpc!, chainId: Number(values['chain-id']), registryAddress: values.registry! };
  const n = Number(values.n);
  const store = openStore({ path: path.join(values.data!, 'microcred.sqlite') });
  const registry = await issuerClient(chain, process.env.BENCH_ANCHOR_KEY!);
  const anchorer = createAnchorer({
    store,
    registry,
    chainId: chain.chainId,
    registryAddress: chain.registryAddress,
    batch: { maxLeaves: Number(values['max-leaves']), maxAgeMs: 0 },
    receiptTimeoutMs: 60_000,
    retry: { baseMs: 200, maxMs: 1_000 },
  });
  try {
    const t0 = performance.now();
    let anchored = 0;
    // Each run seals and anchors everything due; a few runs at most, in case a receipt is slow.
    const pending = (): number => store.unfinishedBatches().length + store.listBatches({ state: 'open', limit: 1000 }).items.filter((b) => b.leafCount > 0).length;
    for (let run = 0; run < 20 && (run === 0 || pending() > 0); run++) {
      const summary = await anchorer.anchorNow();
      anchored += summary.anchored.length;
      progress(`anchoring ${path.basename(values.data!)}: ${anchored} batches anchored`);
      if (summary.retrying > 0) await new Promise((r) => setTimeout(r, 250));
    }
    const anchorMs = performance.now() - t0;
    if (pending() > 0) throw new Error('Some batches are still not anchored after 20 runs of the outbox');
    fs.mkdirSync(values.out!, { recursive: true });
    let files = 0;
    let cursor: string | null = null;
    for (let page = 0; page < 10_000 && files < n; page++) {
      const { items, nextCursor } = store.listCredentials({ limit: 500, cursor, order: 'asc' });
      for (const row of items) {
        if (files >= n) break;
        const anchoredForm = anchoredCredential(row);
        if (anchoredForm === null) throw new Error(`Credential ${row.id} has no anchor proof after anchoring`);
        fs.writeFileSync(path.join(values.out!, `${String(files).padStart(6, '0')}.json`), JSON.stringify(anchoredForm));
        files++;
      }
      if (nextCursor === null) break;
      cursor = nextCursor;
    }
    if (files < n) throw new Error(`Only ${files} credentials to write, ${n} wanted`);
    const result: AnchorRunResult = { batches: anchored, anchorMs, files };
    writeResult(result);
  } finally {
    await anchorer.stop();
    registry.close();
    store.close();
  }
});

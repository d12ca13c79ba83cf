// Child step: /v1/verify latency on the all-in-one server, alone and while one big batch is issued on the same server.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { childMain, writeResult } from './child';
import { cohortRecord } from './fixture';
import { progress } from './progress';

/** What the parent gets back. */
export interface BatchLatencyResult {
  connections: number;
  batchRows: number;
  /** Verification latency with nothing else running (autocannon for `durationS`). */
  alone: { requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** Verification latency while the batch request ran, from its start to its answer. */
  duringBatch: { requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** duringBatch.p99Ms / alone.p99Ms: how much one batch slows verification for everyone else. */
  p99Ratio: number;
  batchMs: number;
  batchIssued: number;
}

type Run = { requests: number; p50Ms: number; p99Ms: number; maxMs: number };

/** Runs autocannon until `until` settles (or for `durationS`), and returns its latency figures. */
function load(url: string, bodies: string[], connections: number, options: { durationS?: number; until?: Promise<unknown> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/verify`,
        connections,
        duration: options.durationS ?? 3600,
        requests: bodies.map((body) => ({ method: 'POST' as const, path: '/v1/verify', headers: { 'content-type': 'application/json' }, body })),
      },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
        if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`verification load saw ${result.non2xx} non-2xx answers and ${result.errors} errors`));
        resolve({ requests: result.requests.total, p50Ms: result.latency.p50, p99Ms: result.latency.p99, maxMs: result.latency.max });
      },
    );
    const stop = (): void => instance.stop();
    void options.until?.then(stop, stop);
  });
}

childMain(async () => {
  const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, folder: { type: 'string' }, bodies: { type: 'string' }, connections: { type: 'string' }, duration: { type: 'string' }, rows: { type: 'string' } } });
  const url = values.url!;
  const names = fs.readdirSync(values.folder!).filter((f) => f.endsWith('.json')).sort().slice(0, Number(values.bodies));
  const bodies = names.map((name) => JSON.stringify({ verifiableCredential: JSON.parse(fs.readFileSync(path.join(values.folder!, name), 'utf8')) as unknown }));
  const connections = Number(values.connections);
  const rows = Number(values.rows);
  progress(`batch latency: verification alone, ${connections} connections for ${values.duration} s`);
  const alone = await load(url, bodies, connections, { durationS: Number(values.duration) });
  progress(`batch latency: alone p99 ${alone.p99Ms} ms; now while a ${rows}-row batch is issued on the same server`);
  const records = Array.from({ length: rows }, (_, i) => cohortRecord(i));
  const started = performance.now();
  const batch = fetch(`${url}/v1/credentials/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${values.token!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'di', records }),
  }).then(async (response) => {
    const body = (await response.json()) as { issued?: number };
    if (response.status !== 200) throw new Error(`The batch answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { issued: body.issued ?? 0, ms: performance.now() - started };
  });
  const [duringBatch, done] = await Promise.all([load(url, bodies, connections, { until: batch }), batch]);
  const result: BatchLatencyResult = {
    connections,
    batchRows: rows,
    alone,
    duringBatch,
    p99Ratio: duringBatch.p99Ms / Math.max(1, alone.p99Ms),
    batchMs: done.ms,
    batchIssued: done.issued,
  };
  progress(`batch latency: ${done.issued} issued in ${(done.ms / 1000).toFixed(1)} s; verification p99 ${duringBatch.p99Ms} ms during it (${result.p99Ratio.toFixed(1)}× alone)`);
  writeResult(result);
});

// Child step: the load generator, in its own process: autocannon POSTs the bench's anchored credentials to /v1/verify.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { childMain, writeResult } from './child';
import { progress } from './progress';

/** What the parent gets back. */
export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  /** Mean requests per second over the run. */
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  /** How many different credentials the connections cycle through. */
  distinctBodies: number;
}

childMain(async () => {
  const { values } = parseArgs({ options: { url: { type: 'string' }, folder: { type: 'string' }, bodies: { type: 'string' }, connections: { type: 'string' }, duration: { type: 'string' } } });
  const names = fs.readdirSync(values.folder!).filter((f) => f.endsWith('.json')).sort().slice(0, Number(values.bodies));
  const bodies = names.map((name) => JSON.stringify({ verifiableCredential: JSON.parse(fs.readFileSync(path.join(values.folder!, name), 'utf8')) as unknown }));
  // Sanity first: one request per body shape must come back 200 with a valid verdict, or the load numbers mean nothing.
  const probe = await fetch(`${values.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
  const verdict = ((await probe.json()) as { verdict?: string }).verdict;
  if (probe.status !== 200 || verdict !== 'valid') throw new Error(`The probe request got ${probe.status} with verdict ${String(verdict)}`);
  const connections = Number(values.connections);
  const duration = Number(values.duration);
  progress(`http: ${connections} connections for ${duration} s over ${bodies.length} different credentials`);
  const result = await autocannon({
    url: `${values.url}/v1/verify`,
    connections,
    duration,
    // Each connection cycles through the bodies, so the server sees many credentials, not one cached answer.
    requests: bodies.map((body) => ({ method: 'POST' as const, path: '/v1/verify', headers: { 'content-type': 'application/json' }, body })),
  });
  const out: LoadResult = {
    connections,
    durationS: duration,
    requests: result.requests.total,
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    distinctBodies: bodies.length,
  };
  writeResult(out);
});

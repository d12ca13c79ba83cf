// Measures `microcred verify` (the built CLI, as real child processes) with worker threads against one thread, in
// the same run, over folders of anchored Data Integrity and VC-JOSE credentials on a `hardhat node`; prints ratios.
// Usage: npm run build && npx tsx scripts/bench-verify-pool.ts [--n 2000] [--threads 2] [--small 100,250,500]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { anchorCreated, attachAnchorProof, buildTree, credentialLeaf, encodeAnchorProof } from '../src/anchoring';
import { buildCredential } from '../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose } from '../src/signing';
import { BENCH_NOW, cohortRecord } from '../bench/fixture';
import { issuerClient, startBenchChain } from '../bench/chain';
import { runNode, startService } from '../bench/child';
import type { LoadResult } from '../bench/load-child';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' }, threads: { type: 'string', default: '2' }, small: { type: 'string', default: '100,250,500,1000' }, unreachable: { type: 'boolean', default: false }, hold: { type: 'boolean', default: false }, http: { type: 'string', default: '0' } } });
const n = Number(values.n);
const CLI = path.join(__dirname, '..', 'bin', 'microcred.cjs');

async function main(): Promise<void> {
  const issuer = createDidKeyIssuer(SigningKey.generate('Ed25519'), { name: 'Pool Bench Academy', url: 'https://academy.example' });
  const chain = await startBenchChain({ did: issuer.did, name: 'Pool Bench Academy' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-pool-bench-'));
  try {
    const client = await issuerClient(chain, chain.issuerPrivateKey);
    const folders: Record<string, string> = {};
    for (const form of ['di', 'jose'] as const) {
      const documents: Array<Record<string, unknown> | string> = [];
      for (let i = 0; i < n; i++) {
        const credential = buildCredential({ record: cohortRecord(i), issuer: issuer.profile, now: () => BENCH_NOW }) as unknown as Record<string, unknown>;
        documents.push(form === 'di' ? await signDataIntegrity(credential, { signingKey: issuer.signingKey, now: () => BENCH_NOW }) : await signJose(credential, { signingKey: issuer.signingKey }));
      }
      // Batches of 1,000, as the issuer's outbox makes them by default.
      const folder = path.join(scratch, form);
      fs.mkdirSync(folder);
      for (let start = 0; start < n; start += 1000) {
        const slice = documents.slice(start, start + 1000);
        const tree = buildTree(slice.map((d) => credentialLeaf(d)));
        const mined = await client.anchor(tree.root);
        slice.forEach((d, k) => {
          const proof = encodeAnchorProof(
            { chain: `eip155:${chain.chainId}`, registry: chain.registryAddress, root: tree.root, path: tree.proof(k), transaction: mined.hash, block: mined.blockNumber },
            anchorCreated(mined.timestamp),
          );
          const anchored = typeof d === 'string' ? attachAnchorProof('jose', d, proof) : attachAnchorProof('di', JSON.stringify(d), proof);
          fs.writeFileSync(path.join(folder, `${String(start + k).padStart(6, '0')}.json`), JSON.stringify(anchored));
        });
      }
      folders[form] = folder;
    }
    client.close();

    if (values.hold) {
      // For profiling by hand: print where everything is, and keep the chain up for at most ten minutes.
      console.log(JSON.stringify({ folders, rpc: chain.url, registry: chain.registryAddress, chainId: chain.chainId }));
      await new Promise((resolve) => setTimeout(resolve, 600_000));
      return;
    }
    // Wall time, and the CPU time of the whole process (every thread) from /usr/bin/time.
    const verify = (folder: string, threads: number): { ms: number; cpuS: number; reads: number; valid: number; total: number } => {
      const t0 = performance.now();
      const args = [CLI, 'verify', folder, '--json', '--quiet', '--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId), '--threads', String(threads)];
      const run = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 600_000 });
      const ms = performance.now() - t0;
      if (run.status !== 0) throw new Error(`verify exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
      const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(run.stderr);
      const { summary } = JSON.parse(run.stdout) as { summary: { chainReads: number; valid: number; total: number } };
      return { ms, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, reads: summary.chainReads, valid: summary.valid, total: summary.total };
    };

    const threads = Number(values.threads);
    for (const form of ['di', 'jose'] as const) {
      const one = verify(folders[form]!, 0);
      const pool = verify(folders[form]!, threads);
      console.log(
        `${form}: ${n} files: one thread ${(one.ms / 1000).toFixed(2)} s wall, ${one.cpuS.toFixed(2)} s CPU (${one.reads} reads); ${threads} threads ${(pool.ms / 1000).toFixed(2)} s wall, ${pool.cpuS.toFixed(2)} s CPU (${pool.reads} reads, ${(pool.reads / pool.total).toFixed(4)}/credential); ` +
          `threads/one = ${(one.ms / pool.ms).toFixed(2)}x faster; valid ${one.valid}/${pool.valid} of ${n}`,
      );
    }
    // HTTP: the bench's verifier server child on one thread and with threads, autocannon (8 connections) for --http seconds each.
    const httpSeconds = Number(values.http);
    for (const form of httpSeconds > 0 ? (['jose', 'di'] as const) : []) {
      for (const t of [0, threads]) {
        const server = await startService(path.join(__dirname, '..', 'bench', 'http-server-child.ts'), ['--rpc', chain.url, '--registry', chain.registryAddress, '--chain-id', String(chain.chainId), '--threads', String(t)], { timeoutMs: 120_000 });
        try {
          const load = await runNode<LoadResult>(path.join(__dirname, '..', 'bench', 'load-child.ts'), ['--url', server.ready, '--folder', folders[form]!, '--bodies', '200', '--connections', '8', '--duration', String(httpSeconds)], { timeoutMs: httpSeconds * 1000 + 120_000 });
          const r = load.result;
          console.log(`http ${form}, ${t} threads: ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p90 ${r.p90Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, errors ${r.errors}/${r.non2xx}`);
        } finally {
          await server.stop();
        }
      }
    }
    // The same runs with no chain reachable (every credential indeterminate): what is left is local work only.
    if (values.unreachable) {
      for (const form of ['di', 'jose'] as const) {
        for (const t of [0, threads]) {
          const t0 = performance.now();
          const args = [CLI, 'verify', folders[form]!, '--json', '--quiet', '--rpc', 'http://127.0.0.1:9', '--registry', chain.registryAddress, '--chain-id', String(chain.chainId), '--threads', String(t)];
          const run = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 600_000 });
          const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(run.stderr);
          console.log(`${form} unreachable chain, ${t} threads: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, CPU ${cpu ? (Number(cpu[1]) + Number(cpu[2])).toFixed(2) : '?'} s, exit ${run.status}`);
        }
      }
    }
    // Where threads start to pay: small folders, one thread against the pool (wall time includes starting the threads).
    for (const size of (values.small ?? '').split(',').filter(Boolean).map(Number)) {
      if (size > n) continue;
      for (const form of ['di', 'jose'] as const) {
        const small = path.join(scratch, `${form}-${size}`);
        fs.mkdirSync(small);
        for (const file of fs.readdirSync(folders[form]!).sort().slice(0, size)) fs.copyFileSync(path.join(folders[form]!, file), path.join(small, file));
        const one = verify(small, 0);
        const pool = verify(small, threads);
        console.log(`${form} ${size} files: one thread ${(one.ms / 1000).toFixed(2)} s (CPU ${one.cpuS.toFixed(2)} s), ${threads} threads ${(pool.ms / 1000).toFixed(2)} s (CPU ${pool.cpuS.toFixed(2)} s) = ${(one.ms / pool.ms).toFixed(2)}x`);
      }
    }
  } finally {
    await chain.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// keccak in worker threads: the same digests as on the main thread, and terminating a worker mid-hash never aborts the
// process (the native binding does: FATAL ERROR napi_create_reference, see src/anchoring/keccak.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createKeccakHash } from '../../src/anchoring';

const ROOT = path.resolve(__dirname, '../..');

describe('keccak in worker threads', () => {
  it('digests in a worker thread (pure-JS build) equal the main thread\'s (native binding)', async () => {
    const inputs = ['', 'abc', 'ü'.repeat(900), 'x'.repeat(137)];
    const source = `
      const { parentPort } = require('node:worker_threads');
      require('tsx/cjs');
      const { createKeccakHash } = require(${JSON.stringify(path.join(ROOT, 'src/anchoring/keccak.ts'))});
      parentPort.on('message', (inputs) => parentPort.postMessage(inputs.map((s) => createKeccakHash('keccak256').update(s, 'utf8').digest('hex'))));`;
    const worker = new Worker(source, { eval: true });
    try {
      const fromWorker = await new Promise<string[]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(inputs);
      });
      expect(fromWorker).toEqual(inputs.map((s) => createKeccakHash('keccak256').update(s, 'utf8').digest('hex')));
      expect(fromWorker[2]).toBe(createKeccakHash('keccak256').update(Buffer.from(inputs[2]!, 'utf8')).digest('hex'));
    } finally {
      await worker.terminate();
    }
  });

  it('a process survives 20 workers terminated while they hash', () => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures/terminate-hashing-workers.ts'), '20'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toContain('FATAL ERROR');
    expect({ status: run.status, signal: run.signal, stdout: run.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'survived 20' });
  });
});

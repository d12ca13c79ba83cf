import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store';
import { tempDir } from './helpers';

describe('durability', () => {
  it('every acknowledged credential survives SIGKILL of the writing process, with its batch row', async () => {
    const file = path.join(tempDir(), 'data', 'microcred.sqlite');
    openStore({ path: file }).close();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures/writer.ts'), file, '100000'], {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      acknowledged.push(...lines);
      if (acknowledged.length >= 200 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    const store = openStore({ path: file });
    try {
      for (const id of acknowledged) expect(store.getCredential(id), id).not.toBeNull();
      const stored = store.db.prepare('SELECT count(*) FROM credentials').pluck().get() as number;
      expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
      expect(store.db.prepare('SELECT sum(leaf_count) FROM batches').pluck().get()).toBe(stored);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});

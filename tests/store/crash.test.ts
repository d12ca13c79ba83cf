// SIGKILL while writing credentials: every acknowledged one survives, with its batch row.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store';
import { runWriterUntilKilled } from '../helpers/kill-writer';
import { tempDir } from './helpers';

describe('durability', () => {
  it('every acknowledged credential survives SIGKILL of the writing process, with its batch row', async () => {
    const file = path.join(tempDir(), 'data', 'microcred.sqlite');
    openStore({ path: file }).close();
    const { lines: acknowledged, signal } = await runWriterUntilKilled(path.join(__dirname, 'fixtures/writer.ts'), [file, '100000'], (lines) => lines.length >= 200);
    expect(signal).toBe('SIGKILL');
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

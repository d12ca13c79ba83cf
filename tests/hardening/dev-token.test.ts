// Finding 8: the development API token is kept sealed in the data folder, never as plain text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecret } from '../../src/issuer/secret';
import { ensureDevToken } from '../../src/runtime/dev-extras';
import { openStore } from '../../src/store';
import { tempDir } from '../issuer/fixture';

function folderBytes(dir: string): string {
  return fs.readdirSync(dir).filter((f) => !f.startsWith('microcred.sqlite')).map((f) => fs.readFileSync(path.join(dir, f), 'latin1')).join('\n');
}

describe('finding 8: development token at rest', () => {
  it('is not written in plain text, survives a restart, and an old plain-text file is removed', () => {
    const dataDir = tempDir();
    const env = {};
    const { secret } = resolveSecret({ dataDir, env, create: true });
    const store = openStore({ path: path.join(dataDir, 'microcred.sqlite'), secret });
    try {
      fs.writeFileSync(path.join(dataDir, 'dev-token'), 'mct_0000000000000000_old\n', { mode: 0o600 });
      const token = ensureDevToken({ store, dataDir }, env);
      expect(store.verifyToken(token)).not.toBeNull();
      expect(folderBytes(dataDir)).not.toContain(token);
      expect(folderBytes(dataDir)).not.toContain(token.split('_').pop());
      expect(fs.existsSync(path.join(dataDir, 'dev-token'))).toBe(false);
      expect(ensureDevToken({ store, dataDir }, env)).toBe(token);
    } finally {
      store.close();
    }
  });
});

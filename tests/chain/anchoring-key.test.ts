// The anchoring account's key: read from a 0600 file, a variable or the development account, with clear errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hardhatDevAccounts } from '../../src/chain';
import { loadConfig } from '../../src/config';
import { accountPrivateKey } from '../../src/chain/anchoring-key';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-key-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const KEY = `0x${'ab'.repeat(32)}`;

function keyFile(name: string, content: string, mode: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return file;
}

const withFile = (file: string) => loadConfig({ env: { MICROCRED_ANCHOR_KEY_FILE: file } });

describe('accountPrivateKey', () => {
  it('uses the development accounts on the embedded chain (#1 anchors, #0 administers)', () => {
    const config = loadConfig({ env: {} });
    const [admin, anchor] = hardhatDevAccounts(2);
    expect(accountPrivateKey(config)).toBe(anchor!.privateKey);
    expect(accountPrivateKey(config, { devAccount: 0 })).toBe(admin!.privateKey);
  });

  it('reads a 0600 key file, with or without 0x and a trailing newline, and --key-file wins', () => {
    expect(accountPrivateKey(withFile(keyFile('a.key', `${KEY.slice(2)}\n`, 0o600)))).toBe(KEY);
    const other = keyFile('b.key', `0x${'cd'.repeat(32)}`, 0o600);
    expect(accountPrivateKey(withFile(keyFile('c.key', KEY, 0o600)), { keyFile: other })).toBe(`0x${'cd'.repeat(32)}`);
  });

  it('refuses a key file others can read, a missing file and a malformed key, without printing the key', () => {
    expect(() => accountPrivateKey(withFile(keyFile('open.key', KEY, 0o644)))).toThrow(expect.objectContaining({ code: 'ERR_ACCOUNT_KEY_PERMISSIONS' }));
    expect(() => accountPrivateKey(withFile(path.join(dir, 'nope.key')))).toThrow(expect.objectContaining({ code: 'ERR_ACCOUNT_KEY_MISSING' }));
    const bad = 'not-a-key-but-secret-looking';
    let error: unknown;
    try {
      accountPrivateKey(withFile(keyFile('bad.key', bad, 0o600)));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'ERR_ACCOUNT_KEY_FORMAT' });
    expect(String((error as Error).message)).not.toContain(bad);
  });

  it('reads a key from the variable a config file names', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ anchoringKey: { source: 'env', variable: 'ANCHOR_KEY' } }));
    const config = loadConfig({ env: {}, file });
    expect(accountPrivateKey(config, { env: { ANCHOR_KEY: KEY } })).toBe(KEY);
    expect(() => accountPrivateKey(config, { env: {} })).toThrow(expect.objectContaining({ code: 'ERR_ACCOUNT_KEY_MISSING' }));
  });
});

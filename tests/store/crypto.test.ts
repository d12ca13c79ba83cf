import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, parseEncrypted } from '../../src/store/crypto';
import { isMicrocredError } from '../../src/errors';
import { codeOf } from '../helpers/errors';

const SECRET = 'correct horse battery staple!';
const FAST = { N: 2 ** 10, r: 8, p: 1 }; // small cost for speed; the default is exercised once below

describe('encrypt / decrypt', () => {
  it('round-trips with the default scrypt cost, and each encryption uses a fresh salt and IV', () => {
    const a = encrypt('{"d":"private"}', SECRET);
    const b = encrypt('{"d":"private"}', SECRET);
    expect(decrypt(a, SECRET).toString('utf8')).toBe('{"d":"private"}');
    const boxA = parseEncrypted(a);
    const boxB = parseEncrypted(b);
    expect(boxA.N).toBe(2 ** 15);
    expect(boxA.salt).not.toBe(boxB.salt);
    expect(boxA.iv).not.toBe(boxB.iv);
    expect(a).not.toContain('private');
  });

  it('round-trips binary data and associated data', () => {
    const data = Buffer.from([0, 1, 2, 250, 255]);
    const box = encrypt(data, SECRET, { aad: 'kid-1', scrypt: FAST });
    expect(decrypt(box, SECRET, { aad: 'kid-1' }).equals(data)).toBe(true);
  });

  it('a wrong secret gives ERR_KEY_DECRYPT whose message does not contain either secret', () => {
    const box = encrypt('hello', SECRET, { scrypt: FAST });
    let message = '';
    try {
      decrypt(box, 'another secret of enough length');
    } catch (error: unknown) {
      expect(isMicrocredError(error, 'ERR_KEY_DECRYPT')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toMatch(/secret/i);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('another secret');
  });

  it('detects tampering with ciphertext, tag, IV or salt, and a different AAD', () => {
    const box = parseEncrypted(encrypt('hello world', SECRET, { aad: 'kid-1', scrypt: FAST }));
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      return bytes.toString('base64url');
    };
    for (const field of ['ct', 'tag', 'iv', 'salt'] as const) {
      const altered = JSON.stringify({ ...box, [field]: flip(box[field]) });
      expect(codeOf(() => decrypt(altered, SECRET, { aad: 'kid-1' }))).toBe('ERR_KEY_DECRYPT');
    }
    const truncatedTag = JSON.stringify({ ...box, tag: Buffer.from(box.tag, 'base64url').subarray(0, 4).toString('base64url') });
    expect(codeOf(() => decrypt(truncatedTag, SECRET, { aad: 'kid-1' }))).toBe('ERR_KEY_DECRYPT');
    expect(codeOf(() => decrypt(JSON.stringify(box), SECRET, { aad: 'kid-2' }))).toBe('ERR_KEY_DECRYPT');
    expect(decrypt(JSON.stringify(box), SECRET, { aad: 'kid-1' }).toString()).toBe('hello world');
  });

  it('rejects malformed boxes and weak secrets with stable codes', () => {
    expect(codeOf(() => decrypt('not json', SECRET))).toBe('ERR_SEALED_FORMAT');
    expect(codeOf(() => decrypt('{"v":2}', SECRET))).toBe('ERR_SEALED_FORMAT');
    expect(codeOf(() => encrypt('x', 'short'))).toBe('ERR_SECRET_WEAK');
  });
});

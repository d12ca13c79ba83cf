import { describe, expect, it } from 'vitest';
import { open, parseSealed, seal } from '../../src/store/crypto';
import { isMicrocredError } from '../../src/errors';
import { codeOf } from '../helpers/errors';

const SECRET = 'correct horse battery staple!';
const FAST = { N: 2 ** 10, r: 8, p: 1 }; // small cost for speed; the default is exercised once below

describe('seal / open', () => {
  it('round-trips with the default scrypt cost, and each seal uses a fresh salt and IV', () => {
    const a = seal('{"d":"private"}', SECRET);
    const b = seal('{"d":"private"}', SECRET);
    expect(open(a, SECRET).toString('utf8')).toBe('{"d":"private"}');
    const boxA = parseSealed(a);
    const boxB = parseSealed(b);
    expect(boxA.N).toBe(2 ** 15);
    expect(boxA.salt).not.toBe(boxB.salt);
    expect(boxA.iv).not.toBe(boxB.iv);
    expect(a).not.toContain('private');
  });

  it('round-trips binary data and associated data', () => {
    const data = Buffer.from([0, 1, 2, 250, 255]);
    const box = seal(data, SECRET, { aad: 'kid-1', scrypt: FAST });
    expect(open(box, SECRET, { aad: 'kid-1' }).equals(data)).toBe(true);
  });

  it('a wrong secret gives ERR_KEY_DECRYPT whose message does not contain either secret', () => {
    const box = seal('hello', SECRET, { scrypt: FAST });
    let message = '';
    try {
      open(box, 'another secret of enough length');
    } catch (error: unknown) {
      expect(isMicrocredError(error, 'ERR_KEY_DECRYPT')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toMatch(/secret/i);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('another secret');
  });

  it('detects tampering with ciphertext, tag, IV or salt, and a different AAD', () => {
    const box = parseSealed(seal('hello world', SECRET, { aad: 'kid-1', scrypt: FAST }));
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      return bytes.toString('base64url');
    };
    for (const field of ['ct', 'tag', 'iv', 'salt'] as const) {
      const altered = JSON.stringify({ ...box, [field]: flip(box[field]) });
      expect(codeOf(() => open(altered, SECRET, { aad: 'kid-1' }))).toBe('ERR_KEY_DECRYPT');
    }
    const truncatedTag = JSON.stringify({ ...box, tag: Buffer.from(box.tag, 'base64url').subarray(0, 4).toString('base64url') });
    expect(codeOf(() => open(truncatedTag, SECRET, { aad: 'kid-1' }))).toBe('ERR_KEY_DECRYPT');
    expect(codeOf(() => open(JSON.stringify(box), SECRET, { aad: 'kid-2' }))).toBe('ERR_KEY_DECRYPT');
    expect(open(JSON.stringify(box), SECRET, { aad: 'kid-1' }).toString()).toBe('hello world');
  });

  it('rejects malformed boxes and weak secrets with stable codes', () => {
    expect(codeOf(() => open('not json', SECRET))).toBe('ERR_SEALED_FORMAT');
    expect(codeOf(() => open('{"v":2}', SECRET))).toBe('ERR_SEALED_FORMAT');
    expect(codeOf(() => seal('x', 'short'))).toBe('ERR_SECRET_WEAK');
  });
});

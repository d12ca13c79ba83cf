import { describe, expect, it } from 'vitest';
import { MicrocredError, isMicrocredError } from '../../src/errors';

describe('MicrocredError', () => {
  it('carries a stable code and details, and is recognised by code', () => {
    const error = new MicrocredError('ERR_EXAMPLE', 'what to do next', { details: { field: 'x' } });
    expect(error.code).toBe('ERR_EXAMPLE');
    expect(error.details).toEqual({ field: 'x' });
    expect(error.name).toBe('MicrocredError');
    expect(isMicrocredError(error, 'ERR_EXAMPLE')).toBe(true);
    expect(isMicrocredError(error, 'ERR_OTHER')).toBe(false);
    expect(isMicrocredError(new Error('plain'))).toBe(false);
  });
});

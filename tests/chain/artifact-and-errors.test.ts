// The artifact loader's failure mode and the error mapping that does not need a chain.
import { describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { isNetworkError, loadRegistryArtifact, toChainError, REVERT_CODES } from '../../src/chain';
import { MicrocredError, isMicrocredError } from '../../src/errors';

describe('loadRegistryArtifact', () => {
  it('fails with ERR_ARTIFACT_MISSING and says to compile when the artifact is absent', () => {
    try {
      loadRegistryArtifact('/nonexistent/CredentialRegistry.json');
      expect.fail('expected ERR_ARTIFACT_MISSING');
    } catch (error) {
      expect(isMicrocredError(error, 'ERR_ARTIFACT_MISSING')).toBe(true);
      expect((error as Error).message).toContain('npm run compile');
    }
  });

  it('loads the compiled registry with every custom error the client maps', () => {
    const { iface } = loadRegistryArtifact();
    const declared: string[] = [];
    iface.forEachError((fragment) => declared.push(fragment.name));
    for (const name of declared) expect(REVERT_CODES[name], `no code for ${name}`).toMatch(/^ERR_/);
  });
});

describe('toChainError and isNetworkError', () => {
  const iface = new Interface(['error Boom(uint256 x)']);

  it('classifies refused connections (also nested) as network errors, reverts and our own errors as not', () => {
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isNetworkError({ code: 'UNKNOWN_ERROR', error: { cause: { code: 'ECONNRESET' } } })).toBe(true);
    expect(isNetworkError({ code: 'CALL_EXCEPTION', data: '0x' })).toBe(false);
    expect(isNetworkError(new MicrocredError('ERR_RECEIPT_TIMEOUT', 'x', { cause: { code: 'TIMEOUT' } }))).toBe(false);
  });

  it('maps an unknown custom error to ERR_CONTRACT_REVERTED with its arguments, and a transport failure to ERR_RPC_UNAVAILABLE', () => {
    const data = iface.encodeErrorResult('Boom', [7]);
    const reverted = toChainError({ code: 'CALL_EXCEPTION', data }, iface, 'Testing');
    expect(reverted.code).toBe('ERR_CONTRACT_REVERTED');
    expect(reverted.details).toEqual({ error: 'Boom', args: { x: 7 } });
    expect(toChainError({ code: 'ECONNREFUSED' }, iface, 'Testing').code).toBe('ERR_RPC_UNAVAILABLE');
    const own = new MicrocredError('ERR_SIGN_FAILED', 'x');
    expect(toChainError(own, iface, 'Testing')).toBe(own);
  });
});

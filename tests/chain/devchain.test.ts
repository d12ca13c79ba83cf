// The in-process development chain: port, chain id, funded accounts, and a clean close.
import { describe, expect, it } from 'vitest';
import { detectChainId, hardhatDevAccounts, makeRpcProvider, startDevChain } from '../../src/chain';
import { isMicrocredError } from '../../src/errors';
import { freePort } from '../helpers/free-port';

describe('startDevChain', () => {
  it('serves the requested port and chain id with funded dev accounts, and stops answering after close()', async () => {
    const port = await freePort();
    const chain = await startDevChain({ port, chainId: 1337 });
    try {
      expect(chain.url).toBe(`http://127.0.0.1:${port}`);
      expect(await detectChainId([chain.url])).toBe(1337);
      expect(chain.accounts).toEqual(hardhatDevAccounts());
      const provider = makeRpcProvider(chain.url, 1337);
      expect(await provider.getBalance(chain.accounts[0]!.address)).toBeGreaterThan(0n);
      provider.destroy();
    } finally {
      await chain.close();
    }
    await detectChainId([chain.url]).then(
      () => expect.fail('the chain still answers after close()'),
      (error: unknown) => expect(isMicrocredError(error, 'ERR_RPC_UNAVAILABLE')).toBe(true),
    );
  });

  it('fails with ERR_DEVCHAIN_START when the port is taken', async () => {
    const first = await startDevChain();
    try {
      const port = Number(new URL(first.url).port);
      await startDevChain({ port }).then(
        async (second) => {
          await second.close();
          expect.fail('a second chain started on a taken port');
        },
        (error: unknown) => expect(isMicrocredError(error, 'ERR_DEVCHAIN_START')).toBe(true),
      );
    } finally {
      await first.close();
    }
  });
});

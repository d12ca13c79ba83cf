// The shared registry-client suite against anvil (Foundry's EVM node), a second EVM implementation.
import { expect } from 'vitest';
import { hardhatDevAccounts } from '../../src/chain';
import { ANVIL_CHAIN_ID, startAnvil } from '../helpers/anvil';
import { processGroupAlive } from '../helpers/hardhat-node';
import { registryClientSuite } from './registry-client.suite';

registryClientSuite('anvil', async () => {
  const node = await startAnvil();
  return {
    url: node.url,
    chainId: ANVIL_CHAIN_ID,
    // anvil's default mnemonic is Hardhat's, so the same well-known accounts are funded.
    accounts: hardhatDevAccounts(),
    async close() {
      await node.stop();
      expect(processGroupAlive(node.pid)).toBe(false);
    },
  };
});

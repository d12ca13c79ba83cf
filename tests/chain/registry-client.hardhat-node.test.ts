// The shared registry-client suite against a real `hardhat node` process, which must leave no process behind.
import { expect } from 'vitest';
import { DEV_CHAIN_ID, hardhatDevAccounts } from '../../src/chain';
import { processGroupAlive, startHardhatNode } from '../helpers/hardhat-node';
import { registryClientSuite } from './registry-client.suite';

registryClientSuite('a hardhat node process', async () => {
  const node = await startHardhatNode();
  return {
    url: node.url,
    chainId: DEV_CHAIN_ID,
    accounts: hardhatDevAccounts(),
    async close() {
      await node.stop();
      expect(processGroupAlive(node.pid)).toBe(false);
    },
  };
});

// The shared registry-client suite against the in-process Hardhat network.
import { startDevChain } from '../../src/chain';
import { registryClientSuite } from './registry-client.suite';

registryClientSuite('the in-process chain', () => startDevChain());

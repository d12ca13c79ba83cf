// Hardhat configuration: compiles the registry offline with the exactly-pinned solc-js from npm.
import { subtask } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import type { HardhatUserConfig } from 'hardhat/types';
import '@nomicfoundation/hardhat-ethers';

/** The compiler version the contracts are written for; package.json pins `solc` to exactly this. */
const SOLC_VERSION = '0.8.30';

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, (args: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solcPackage = require('solc/package.json') as { version: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require('solc') as { version(): string };
  if (args.solcVersion !== solcPackage.version) {
    throw new Error(
      `hardhat.config.ts asks for solc ${args.solcVersion} but node_modules has solc ${solcPackage.version}. ` +
        `Pin it exactly: npm install --save-exact --save-dev solc@${args.solcVersion}`,
    );
  }
  return Promise.resolve({
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: solcPackage.version,
    longVersion: solc.version(),
  });
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 10_000 },
    },
  },
  networks: {
    hardhat: { hardfork: 'cancun' },
  },
  paths: {
    sources: './contracts',
    tests: './tests/contract',
    cache: './cache',
    artifacts: './artifacts',
  },
};

export default config;

// Vitest configuration: real chains, real processes and real files, so generous timeouts and forked workers.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

const hardhatHome = path.resolve(__dirname, '.hardhat-home');

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: path.resolve(__dirname, 'test-artifacts', 'vitest.json') }]],
    env: {
      XDG_DATA_HOME: path.join(hardhatHome, 'data'),
      XDG_CONFIG_HOME: path.join(hardhatHome, 'config'),
      XDG_CACHE_HOME: path.join(hardhatHome, 'cache'),
      HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
    },
  },
});

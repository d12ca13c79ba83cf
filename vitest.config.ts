// Vitest configuration: real chains, real processes and real files, so generous timeouts and forked workers.
// Three lanes (projects): `unit` is fast (no chain, child process or browser), `integration` and `e2e` (tests/lanes.ts).
import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { ALL_TESTS, E2E_TESTS, INTEGRATION_TESTS } from './tests/lanes';

const hardhatHome = path.resolve(__dirname, '.hardhat-home');

/** What every lane shares. */
const shared = {
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 120_000,
  env: {
    XDG_DATA_HOME: path.join(hardhatHome, 'data'),
    XDG_CONFIG_HOME: path.join(hardhatHome, 'config'),
    XDG_CACHE_HOME: path.join(hardhatHome, 'cache'),
    HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
  },
} as const;

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: path.resolve(__dirname, 'test-artifacts', 'vitest.json') }]],
    // Once per run, before every lane: CLI tests run bin/microcred.cjs, which runs the build in dist/.
    globalSetup: ['tests/helpers/build-cli.ts'],
    // Projects do not extend this root config: an extended `include` would add the root's files to every lane.
    projects: [
      { test: { ...shared, name: 'unit', include: [...ALL_TESTS], exclude: [...INTEGRATION_TESTS, ...E2E_TESTS] } },
      { test: { ...shared, name: 'integration', include: [...INTEGRATION_TESTS] } },
      { test: { ...shared, name: 'e2e', include: [...E2E_TESTS] } },
    ],
  },
});

// Which test files run in which lane (vitest project). A file is in the fast `unit` lane unless listed here:
// `integration` starts a chain, a `hardhat node` or a child process; `e2e` runs the whole system or a browser.
// tests/unit/lanes.test.ts fails when a unit-lane file starts any of those, so a slow test cannot slip in.

/** Files that start a chain (in-process or `hardhat node`) or a child process (the CLI, a crash child). */
export const INTEGRATION_TESTS = [
  'tests/anchoring/crash-outbox.test.ts',
  'tests/anchoring/keccak-worker.test.ts',
  // No process, but a 100,000-leaf tree built by the pure-JS oracle: seconds, too slow for the fast lane.
  'tests/anchoring/merkle-differential.test.ts',
  'tests/anchoring/merkle-onchain.test.ts',
  'tests/anchoring/new-registry.test.ts',
  'tests/anchoring/outbox-devchain.test.ts',
  'tests/anchoring/outbox-hardhat-node.test.ts',
  'tests/anchoring/reorg-confirmations.test.ts',
  'tests/anchoring/reorg-status.test.ts',
  'tests/audit/audit-cli.test.ts',
  'tests/chain/devchain.test.ts',
  'tests/chain/operator-commands.test.ts',
  'tests/chain/registry-client.anvil.test.ts',
  'tests/chain/registry-client.devchain.test.ts',
  'tests/chain/registry-client.hardhat-node.test.ts',
  'tests/cli/**/*.test.ts',
  'tests/contract/**/*.test.ts',
  'tests/delivery/export.test.ts',
  'tests/delivery/crash-email.test.ts',
  'tests/delivery/verify-files.test.ts',
  'tests/fuzz/cli.test.ts',
  'tests/hardening/batch-no-partial.test.ts',
  'tests/hardening/idle-connections.test.ts',
  'tests/hardening/init-secret.test.ts',
  'tests/oid4vci/**/*.test.ts',
  'tests/fuzz/http-issuer.test.ts',
  'tests/fuzz/http-verifier.test.ts',
  'tests/fuzz/verifier-mutations.test.ts',
  'tests/runtime/operator-contexts-system.test.ts',
  'tests/runtime/system.test.ts',
  'tests/security/secret-leaks.test.ts',
  // No process, but 10,000 credentials signed by both paths: minutes, too slow for the fast lane.
  'tests/signing/template-canonize-differential.test.ts',
  'tests/status/cli.test.ts',
  'tests/status/crash.test.ts',
  'tests/status/system.test.ts',
  'tests/store/backup.test.ts',
  'tests/store/crash.test.ts',
  'tests/verify/e2e-hardhat.test.ts',
  'tests/verify/pool.test.ts',
  'tests/verify/registry-v2-e2e.test.ts',
] as const;

/** Files that run the whole system as a user meets it: `npm start`, the demo, roles, faults, a real browser. */
export const E2E_TESTS = ['tests/browser/**/*.test.ts', 'tests/chaos/**/*.test.ts', 'tests/e2e/**/*.test.ts'] as const;

/** Every test file. */
export const ALL_TESTS = ['tests/**/*.test.ts'] as const;

/**
 * What a unit-lane file must not contain: starting a chain, a `hardhat node`, a child process, the whole system, or
 * a browser. Matched against the test file's own text.
 */
export const SLOW_MARKERS = /startDevChain|startHardhatNode|helpers\/hardhat-node|child_process|\bspawn(Sync)?\(|\bmicrocred(Sync)?\(|helpers\/browser|chromium|startSystem|useFuzzSystem|from 'hardhat'/;

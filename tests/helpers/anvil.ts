// Starts anvil (Foundry's EVM node, from the @foundry-rs/anvil npm package) as a separate process on a free loopback port.
import path from 'node:path';
import { startNodeProcess, type NodeProcess } from './node-process';

/** A running anvil process. */
export type AnvilNode = NodeProcess;

/** Hardhat's chain id, which anvil uses by default too; with the same default mnemonic the accounts match. */
export const ANVIL_CHAIN_ID = 31337;

/**
 * The anvil binary shipped by the platform package of `@foundry-rs/anvil` (an optionalDependency of it, so the
 * binary installs from the npm registry with no download step).
 */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed: anvil has no binary for ${process.platform}/${process.arch} here; run npm ci`);
  }
  return path.join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

/**
 * Spawns anvil on 127.0.0.1 with the cancun hardfork (as the contracts are compiled for) and automining, detached into
 * its own process group so `stop()` can kill it as a whole, like the hardhat node.
 */
export function startAnvil(): Promise<AnvilNode> {
  return startNodeProcess({
    name: 'anvil',
    command: anvilBinary(),
    args: (port) => ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(ANVIL_CHAIN_ID), '--hardfork', 'cancun', '--quiet'],
    startTimeoutMs: 30_000,
  });
}

// Starts `hardhat node` as a real separate process on a free loopback port, and stops it leaving no process behind.
import path from 'node:path';
import { startNodeProcess, type NodeProcess } from './node-process';
export { processGroupAlive } from './node-process';

/** A running `hardhat node` process. */
export type HardhatNode = NodeProcess;

const projectRoot = path.resolve(__dirname, '..', '..');
const cli = path.join(projectRoot, 'node_modules', 'hardhat', 'internal', 'cli', 'cli.js');

/**
 * Spawns `node hardhat/internal/cli/cli.js node` directly (not through npx, whose wrapper process would be
 * left behind), detached into its own process group so `stop()` can kill the group as a whole.
 */
export function startHardhatNode(): Promise<HardhatNode> {
  return startNodeProcess({
    name: 'hardhat node',
    command: process.execPath,
    args: (port) => [cli, 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    options: { cwd: projectRoot, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' } },
    startTimeoutMs: 60_000,
  });
}

// Starts anvil (Foundry's EVM node, from the @foundry-rs/anvil npm package) as a separate process on a free loopback port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';
import { processGroupAlive } from './hardhat-node';

/** A running anvil process. */
export interface AnvilNode {
  /** JSON-RPC endpoint on 127.0.0.1. */
  readonly url: string;
  /** Process id (also the process group id: it is started detached). */
  readonly pid: number;
  /** Kills the process group and resolves once no process of it remains. */
  stop(): Promise<void>;
}

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

async function answersChainId(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === 'string';
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Spawns anvil on 127.0.0.1 with the cancun hardfork (as the contracts are compiled for) and automining, detached into
 * its own process group so `stop()` can kill it as a whole, like tests/helpers/hardhat-node.ts does for hardhat.
 */
export async function startAnvil(): Promise<AnvilNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(ANVIL_CHAIN_ID), '--hardfork', 'cancun', '--quiet'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('anvil did not start');

  const stop = async (): Promise<void> => {
    if (processGroupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const done = exited(child);
    const graceful = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!graceful && processGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
    await done;
    for (let i = 0; i < 100 && processGroupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (processGroupAlive(pid)) throw new Error(`anvil process group ${pid} is still alive after stop()`);
  };

  // Poll until it answers, at most ~30 s; fail early if the process dies.
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`anvil exited before answering (code ${child.exitCode}): ${stderr}`);
    if (await answersChainId(url)) return { url, pid, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`anvil did not answer on ${url} within 30 s: ${stderr}`);
}

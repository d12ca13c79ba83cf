// Runs a JSON-RPC chain node (hardhat node, anvil) as a real separate process on a free loopback port, and stops it
// leaving no process behind.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { freePort } from './free-port';

/** A running chain-node process. */
export interface NodeProcess {
  /** JSON-RPC endpoint on 127.0.0.1. */
  readonly url: string;
  /** Process id (also the process group id: it is started detached). */
  readonly pid: number;
  /** Kills the whole process group and resolves once no process of it remains. */
  stop(): Promise<void>;
}

/** How to start one kind of node: its name for messages, and its command for a port. */
export interface NodeCommand {
  readonly name: string;
  readonly command: string;
  readonly args: (port: number) => string[];
  readonly options?: Omit<SpawnOptions, 'detached' | 'stdio'>;
  /** How long to wait for the first answer. */
  readonly startTimeoutMs: number;
}

/** True while any process of group `pgid` is alive (signal 0 only checks). */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
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
 * Spawns the node detached into its own process group (so `stop()` can kill the group as a whole, wrappers included),
 * and resolves once it answers `eth_chainId`; fails early if the process dies.
 */
export async function startNodeProcess(spec: NodeCommand): Promise<NodeProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(spec.command, spec.args(port), { ...spec.options, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name} did not start`);

  const stop = async (): Promise<void> => {
    if (processGroupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const done = exited(child);
    // Give SIGTERM a bounded grace period, then SIGKILL whatever is left of the group.
    const graceful = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!graceful && processGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
    await done;
    for (let i = 0; i < 100 && processGroupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (processGroupAlive(pid)) throw new Error(`${spec.name} process group ${pid} is still alive after stop()`);
  };

  const attempts = Math.ceil(spec.startTimeoutMs / 200);
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.name} exited before answering (code ${child.exitCode}): ${stderr}`);
    if (await answersChainId(url)) return { url, pid, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${spec.name} did not answer on ${url} within ${spec.startTimeoutMs / 1000} s: ${stderr}`);
}

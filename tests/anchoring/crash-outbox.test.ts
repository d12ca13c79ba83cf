// Crash safety with real processes: SIGKILL the outbox at each step, restart it, and count the anchors on chain.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryClient } from '../../src/chain';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { expectBatchProofsOnChain } from './fixtures/outbox-checks';
import { ISSUER_DID, ISSUER_ID, connectClient, deployWithIssuers, storeIn, tempDir } from './fixtures/outbox-env';

const projectRoot = path.resolve(__dirname, '..', '..');
const childScript = path.join(__dirname, 'fixtures', 'outbox-child.ts');
const CHAIN_ID = 31337;
const ISSUED = 7;
const MAX_LEAVES = 3;

let node: HardhatNode;
let registryAddress: string;
let reader: RegistryClient;
const dirs: string[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  node = await startHardhatNode();
  registryAddress = await deployWithIssuers(node.url, CHAIN_ID);
  reader = await connectClient(node.url, CHAIN_ID, registryAddress);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  reader?.close();
  await node?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves when a line matches, or rejects when the process ends first. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function runChild(dir: string, options: { issue: number; fault?: string }): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      OUTBOX_DATA_DIR: dir,
      OUTBOX_RPC_URL: node.url,
      OUTBOX_REGISTRY: registryAddress,
      OUTBOX_CHAIN_ID: String(CHAIN_ID),
      OUTBOX_ISSUE: String(options.issue),
      OUTBOX_MAX_LEAVES: String(MAX_LEAVES),
      MICROCRED_TEST_FAULT: options.fault ?? '',
    },
  });
  children.add(child);
  const lines: Record<string, unknown>[] = [];
  const watchers: { match: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, at)) as Record<string, unknown>;
      buffer = buffer.slice(at + 1);
      lines.push(line);
      for (const watcher of watchers.splice(0)) (watcher.match(line) ? watcher.resolve : (): number => watchers.push(watcher))();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    lines,
    exit,
    waitFor: (match) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some(match)) return resolve();
        watchers.push({ match, resolve });
        void exit.then((result) => reject(new Error(`child exited (${result.code ?? result.signal}) before the expected line; stderr: ${result.stderr}`)));
      }),
  };
}

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return ((await response.json()) as { result?: unknown }).result;
}

/** After the restart: every credential anchored, every batch's root anchored exactly once, every proof confirmed. */
async function expectAllAnchoredOnce(dir: string): Promise<void> {
  const store = storeIn(dir);
  try {
    const credentials = store.listCredentials({ limit: 100 }).items;
    expect(credentials).toHaveLength(ISSUED);
    const batches = store.listBatches({ limit: 100 }).items;
    expect(batches.map((b) => b.state)).toEqual(batches.map(() => 'anchored'));
    for (const batch of batches) {
      await expectBatchProofsOnChain(store, reader, batch.id, { chainId: CHAIN_ID, registry: registryAddress, issuer: ISSUER_DID });
      expect(await reader.countRootAnchoredEvents(ISSUER_ID, batch.root!), `root of batch ${batch.id} anchored more than once`).toBe(1);
    }
  } finally {
    store.close();
  }
}

function readBatch(dir: string, id: number): { state: string; root: string | null } {
  const store = storeIn(dir);
  try {
    return store.getBatch(id)!;
  } finally {
    store.close();
  }
}

describe('outbox crash safety (SIGKILL, real child processes, hardhat node)', () => {
  const cases: { fault: string; stateAfterCrash: string; rootOnChain: boolean }[] = [
    { fault: 'after-seal', stateAfterCrash: 'sealed', rootOnChain: false },
    { fault: 'after-send', stateAfterCrash: 'sealed', rootOnChain: true },
    { fault: 'after-submit', stateAfterCrash: 'submitted', rootOnChain: true },
    { fault: 'after-receipt', stateAfterCrash: 'submitted', rootOnChain: true },
  ];

  it.each(cases)('killed $fault, restarted: everything anchored, each root once', async ({ fault, stateAfterCrash, rootOnChain }) => {
    const dir = tempDir();
    dirs.push(dir);
    const crashed = await runChild(dir, { issue: ISSUED, fault }).exit;
    expect(crashed.signal, `expected SIGKILL at ${fault}; stderr: ${crashed.stderr}`).toBe('SIGKILL');
    const batch = readBatch(dir, 1);
    expect(batch.state).toBe(stateAfterCrash);
    expect((await reader.anchorOf(ISSUER_ID, batch.root!)) !== null).toBe(rootOnChain);

    const restarted = await runChild(dir, { issue: 0 }).exit;
    expect(restarted.code, `restart failed: ${restarted.stderr}`).toBe(0);
    await expectAllAnchoredOnce(dir);
  });

  it('after a crash with the anchor still in the mempool, waits for it instead of sending a second one', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await rpc('evm_setAutomine', [false]);
    try {
      const crashed = await runChild(dir, { issue: ISSUED, fault: 'after-send' }).exit;
      expect(crashed.signal).toBe('SIGKILL');
      const root = readBatch(dir, 1).root!;
      expect(await reader.anchorOf(ISSUER_ID, root)).toBeNull();

      const restart = runChild(dir, { issue: 0 });
      // The restarted worker sees our transaction in flight and holds back; only then is the block mined.
      await restart.waitFor((line) => line.event === 'retry' && line.code === 'ERR_ANCHOR_IN_FLIGHT');
      await rpc('evm_setAutomine', [true]);
      await rpc('evm_mine');
      const result = await restart.exit;
      expect(result.code, result.stderr).toBe(0);
      expect(restart.lines.some((line) => line.event === 'batch.reconciled')).toBe(true);
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    await expectAllAnchoredOnce(dir);
  });
});

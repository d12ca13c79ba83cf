// `npm start` as a real process, as a newcomer runs it: ready, issue, anchor, verify (HTTP and CLI), restart, still valid.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, microcred, ROOT } from '../helpers/cli';
import { freePort } from '../helpers/free-port';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-start-'));
const data = path.join(dir, 'data');
const record = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'sample-record.json'), 'utf8'));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `npm start` in its own process group, so stopping it reaches npm's child too. */
function npmStart(port: number, chainPort: number): Started {
  const child = spawn('npm', ['start', '--', '--data', data, '--port', String(port), '--chain-port', String(chainPort)], {
    cwd: ROOT,
    env: cleanEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `probe` every 250 ms until it returns a value, failing with `what` after `timeoutMs`. */
async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** True when nothing listens on `port` any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole foreground group (npm, its shell and microcred). npm itself
 * then ends by that signal, so the proof of a clean stop is microcred's own "stopped." and both ports released.
 */
async function stop(started: Started, ports: number[]): Promise<void> {
  process.kill(-started.child.pid!, 'SIGINT');
  await started.exited;
  expect(started.output()).toContain('stopped.');
  for (const port of ports) expect(await portIsFree(port)).toBe(true);
}

describe('npm start, end to end', () => {
  let port: number;
  let chainPort: number;
  let base: string;
  let running: Started | undefined;

  beforeAll(async () => {
    port = await freePort();
    chainPort = await freePort();
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    if (running !== undefined && running.child.exitCode === null) {
      try {
        process.kill(-running.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startAndWait(): Promise<{ token: string; registry: string }> {
    running = npmStart(port, chainPort);
    const current = running;
    await eventually('the server is ready and has printed its banner', () => {
      if (current.child.exitCode !== null) throw new Error(`npm start exited early:\n${current.output()}`);
      return current.output().includes('Press Ctrl-C to stop.') ? true : undefined;
    });
    // The token is kept sealed in the data folder (docs/security.md H8); the banner is where a developer reads it.
    const token = /Development API token \(all scopes\): (\S+)/.exec(current.output())?.[1] ?? '';
    expect(token).toMatch(/^mct_/);
    expect(fs.readFileSync(path.join(data, 'dev-token.sealed'), 'utf8')).not.toContain(token);
    const registry = (JSON.parse(fs.readFileSync(path.join(data, 'devchain.json'), 'utf8')) as { registryAddress: string }).registryAddress;
    expect(current.output()).toContain(token);
    expect(current.output()).toContain(`${base}/#vc=`);
    return { token, registry };
  }

  async function issueAndAnchor(token: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${base}/v1/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    return eventually(`credential ${id} is anchored`, async () => {
      const view = (await (await fetch(`${base}/v1/credentials/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        anchorState: string;
        anchored: Record<string, unknown> | null;
      };
      return view.anchorState === 'anchored' && view.anchored !== null ? view.anchored : undefined;
    });
  }

  async function verdictOverHttp(credential: unknown): Promise<string> {
    const response = await fetch(`${base}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { verdict: string }).verdict;
  }

  async function verdictWithCli(credential: unknown, registry: string): Promise<{ code: number | null }> {
    const file = path.join(dir, `credential-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(credential));
    const run = await microcred(['verify', file, '--rpc', `http://127.0.0.1:${chainPort}`, '--chain-id', '31337', '--registry', registry, '--json']);
    expect(run.json?.results?.[0]?.verdict, run.stdout + run.stderr).toBe('valid');
    return { code: run.code };
  }

  it('issues, anchors and verifies; after a restart the same credential still verifies and new ones can be issued', async () => {
    const first = await startAndWait();
    const credential = await issueAndAnchor(first.token);
    expect(await verdictOverHttp(credential)).toBe('valid');
    const cli = await verdictWithCli(credential, first.registry);
    expect(cli.code).toBe(0);

    await stop(running!, [port, chainPort]);

    const second = await startAndWait();
    expect(second.registry).toBe(first.registry);
    expect(second.token).toBe(first.token);
    // The development chain started empty; the outbox re-anchors the stored roots, after which the old credential is valid again.
    await eventually('the credential issued before the restart verifies again', async () => ((await verdictOverHttp(credential)) === 'valid' ? true : undefined));
    expect((await verdictWithCli(credential, second.registry)).code).toBe(0);
    const fresh = await issueAndAnchor(second.token);
    expect(await verdictOverHttp(fresh)).toBe('valid');
    await stop(running!, [port, chainPort]);
  });
});

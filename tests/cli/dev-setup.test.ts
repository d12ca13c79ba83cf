// The development setup as a user runs it: `microcred anchor` finds the embedded chain's registry with no --registry,
// and a taken chain port is reported with the setting that moves it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microcred } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { killIssuer, spawnIssuer, waitUntilServing, type IssuerProcess } from '../chaos/fixtures/issuer-process';

const FLAGS = ['--email', 'cy@example.org', '--module-id', 'https://example.org/m/bls', '--module-name', 'BLS', '--module-description', 'Basic life support', '--criteria', 'Passed', '--completed-at', '2025-02-28T09:30:00Z'];

let dir: string;
let issuer: IssuerProcess | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-dev-setup-'));
});
afterAll(async () => {
  if (issuer) await killIssuer(issuer);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the development setup on the command line', () => {
  it('anchors with `microcred anchor` and no --registry, --rpc or --chain-id', async () => {
    const data = path.join(dir, 'data');
    const port = await freePort();
    const chainPort = await freePort();
    // A batch that never closes by itself, so the serving process leaves the anchoring to the command.
    const env = { MICROCRED_CHAIN_PORT: String(chainPort), MICROCRED_BATCH_INTERVAL: '86400', MICROCRED_BATCH_SIZE: '1000' };
    issuer = spawnIssuer({ dataDir: data, port, env, args: ['--no-sample'] });
    await waitUntilServing(issuer, `http://127.0.0.1:${port}`);
    const issued = await microcred(['issue', ...FLAGS, '--data', data, '--json'], { env });
    expect(issued.code, issued.stderr).toBe(0);
    const anchored = await microcred(['anchor', '--data', data], { env });
    expect(anchored.stderr).toBe('');
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toMatch(/batch \d+: anchored 1 credential\(s\)/);
  }, 180_000);

  it('names MICROCRED_CHAIN_PORT when the chain port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const chainPort = (taken.address() as net.AddressInfo).port;
    try {
      const result = await microcred(['serve', '--data', path.join(dir, 'other'), '--port', String(await freePort())], { env: { MICROCRED_CHAIN_PORT: String(chainPort) } });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`127.0.0.1:${chainPort}`);
      expect(result.stderr).toContain('MICROCRED_CHAIN_PORT');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);
});

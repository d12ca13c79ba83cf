// startSystem's own failure paths: a taken port, and a verifier-only process without an external chain.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startSystem } from '../../src/runtime/system';

const verifierEnv = {
  MICROCRED_ROLE: 'verifier',
  MICROCRED_CHAIN: 'external',
  MICROCRED_RPC_URLS: 'http://127.0.0.1:9',
  MICROCRED_CHAIN_ID: '31337',
  MICROCRED_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
};

describe('startSystem', () => {
  it('names the port to change when it is taken, and leaves nothing running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startSystem({ config: loadConfig({ env: verifierEnv, overrides: { port } }) })).rejects.toMatchObject({ code: 'ERR_PORT_IN_USE' });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('serves a verifier-only process on an external chain, and refuses one on the embedded chain', async () => {
    const system = await startSystem({ config: loadConfig({ env: verifierEnv, overrides: { port: 0 } }) });
    try {
      expect(system.issuer).toBeUndefined();
      expect((await fetch(`${system.url}/healthz`)).status).toBe(200);
    } finally {
      await system.stop();
    }
    await expect(startSystem({ config: loadConfig({ env: { MICROCRED_ROLE: 'verifier' }, overrides: { port: 0 } }) })).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
  });
});

// Child step: the real verifier HTTP server (POST /v1/verify) on 127.0.0.1 against the hardhat node, rate limit off,
// verifying in worker threads as `microcred serve` does by default (--threads 0: on the main thread only).
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { startVerifierServer } from '../src/server/listen';
import { createDidResolver } from '../src/did/did-web-resolver';
import { createVerifierFromSpec, createVerifierPool, type VerifierSetup } from '../src/verify';

const { values } = parseArgs({ options: { rpc: { type: 'string' }, registry: { type: 'string' }, 'chain-id': { type: 'string' }, threads: { type: 'string' } } });
const threads = values.threads !== undefined ? Number(values.threads) : (loadConfig({ env: {} }).verifier.threads ?? availableParallelism());
// The verifier as a deployment builds it (default status TTL: a few seconds of reuse of each chain answer).
const setup: VerifierSetup = {
  spec: { chain: { rpcUrls: [values.rpc!], chainId: Number(values['chain-id']), registryAddress: values.registry! } },
  adapters: { didResolver: createDidResolver() },
};
const pool = threads > 0 ? createVerifierPool({ setup, threads, lazy: false }) : undefined;
const verifier = pool ?? createVerifierFromSpec(setup.spec, setup.adapters);

void (async () => {
  // The threads load before the load starts, as they would long before a deployment's first busy minute.
  await pool?.ready();
  const server = await startVerifierServer({ verifier, rateLimit: false, onUnexpected: (error) => console.error(error) });
  // The parent waits for this one line, then points the load generator at it.
  process.stdout.write(`${server.url}\n`);
  const stop = (): void => {
    void Promise.resolve(pool ? pool.stop() : verifier.close()).finally(() => void server.close().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})();

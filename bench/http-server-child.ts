// Child step: the real verifier HTTP server (POST /v1/verify) on 127.0.0.1 against the hardhat node, rate limit off.
import { parseArgs } from 'node:util';
import { createDocumentLoader } from '../src/contexts/loader';
import { startVerifierServer } from '../src/server/listen';
import { createDidResolver } from '../src/did/did-web-resolver';
import { createVerifier } from '../src/verify';

const { values } = parseArgs({ options: { rpc: { type: 'string' }, registry: { type: 'string' }, 'chain-id': { type: 'string' } } });
const didResolver = createDidResolver();
// The verifier as a deployment builds it (default status TTL: a few seconds of reuse of each chain answer).
const verifier = createVerifier({
  loader: createDocumentLoader({ didResolver }),
  didResolver,
  chain: { rpcUrls: [values.rpc!], chainId: Number(values['chain-id']), registryAddress: values.registry! },
});

void startVerifierServer({ verifier, rateLimit: false, onUnexpected: (error) => console.error(error) }).then((server) => {
  // The parent waits for this one line, then points the load generator at it.
  process.stdout.write(`${server.url}\n`);
  const stop = (): void => {
    verifier.close();
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});

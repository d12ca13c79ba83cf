// Child step: the all-in-one server (issuer API and verifier API on one port, as `microcred serve` composes them).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createDocumentLoader, defaultDocumentLoader } from '../src/contexts/loader';
import { createIssuerService, createSigner } from '../src/issuer';
import { combineApps } from '../src/runtime/compose';
import { createIssuerApp } from '../src/server/issuer-app';
import { listen } from '../src/server/listen';
import { createVerifierApp } from '../src/server/verifier-app';
import { createDidResolver } from '../src/did';
import { openStore } from '../src/store';
import { createVerifier } from '../src/verify';
import { BENCH_NOW, loadBenchIssuer } from './fixture';

const { values } = parseArgs({ options: { rpc: { type: 'string' }, registry: { type: 'string' }, 'chain-id': { type: 'string' }, issuer: { type: 'string' }, data: { type: 'string' } } });
const issuer = loadBenchIssuer(values.issuer!);
const store = openStore({ path: path.join(values.data!, 'microcred.sqlite'), now: () => BENCH_NOW });
const { token } = store.createToken('bench', ['issue'], 'bench');
const loader = defaultDocumentLoader();
// The signer `microcred serve` builds with its default settings (MICROCRED_SIGNING_THREADS unset).
const signer = createSigner({ keyring: issuer, loader, now: () => BENCH_NOW, threads: loadConfig({ env: {} }).issuer.signingThreads });
const service = createIssuerService({ store, issuer, loader, now: () => BENCH_NOW, batch: { maxLeaves: 1000 }, signer });
const didResolver = createDidResolver();
const verifier = createVerifier({
  loader: createDocumentLoader({ didResolver }),
  didResolver,
  chain: { rpcUrls: [values.rpc!], chainId: Number(values['chain-id']), registryAddress: values.registry! },
});
const app = combineApps({ issuer: createIssuerApp({ service, store, onUnexpected: (e) => console.error(e) }), verifier: createVerifierApp({ verifier, rateLimit: false, onUnexpected: (e) => console.error(e) }) });

void listen(app).then((server) => {
  // The parent waits for this one line: where to send the load, and the token that may issue.
  process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
  const stop = (): void => {
    verifier.close();
    void server.close().finally(() => void service.close().finally(() => (store.close(), process.exit(0))));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});

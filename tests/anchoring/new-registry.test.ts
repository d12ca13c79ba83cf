// A service pointed at a new registry (a v2 deployment, another chain) anchors again everything that registry lacks,
// and rewrites the anchor proofs for it; pointed back at the same registry, it does nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnchorer } from '../../src/anchoring/outbox';
import { decodeAnchorProof } from '../../src/anchoring/anchor-proof';
import { startDevChain, type DevChain, type RegistryClient } from '../../src/chain';
import { loadConfig } from '../../src/config';
import { connectIssuerChain } from '../../src/runtime/chain-setup';
import type { Store } from '../../src/store';
import { expectBatchProofsOnChain } from './fixtures/outbox-checks';
import { ISSUER, ISSUER_DID, ISSUER_ID, connectClient, deployWithIssuers, issue, storeIn, tempDir } from './fixtures/outbox-env';

let chain: DevChain;
let dir: string;
let store: Store;
let reader: RegistryClient;
const logged: string[] = [];

beforeAll(async () => {
  chain = await startDevChain();
  dir = tempDir();
  store = storeIn(dir);
  fs.writeFileSync(path.join(dir, 'anchor.key'), `${ISSUER.privateKey}\n`, { mode: 0o600 });
});

afterAll(async () => {
  reader?.close();
  store?.close();
  await chain?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What `microcred serve` does at start for an external chain, then one outbox pass. */
async function serveOnce(registryAddress: string): Promise<void> {
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      role: 'issuer',
      anchoringKey: { source: 'file', path: path.join(dir, 'anchor.key') },
      chain: { mode: 'external', rpcUrls: [chain.url], chainId: chain.chainId, registryAddress },
    },
  });
  const issuerChain = await connectIssuerChain(config, dir, store, { did: ISSUER_DID, name: 'Test Issuer' }, (entry) => logged.push(`${entry.event}: ${entry.message}`));
  try {
    const anchorer = createAnchorer({ store, registry: issuerChain.registry, chainId: chain.chainId, registryAddress, issuerDid: ISSUER_DID, batch: { maxLeaves: 4, maxAgeMs: 60_000 } });
    await anchorer.anchorNow();
    await anchorer.stop();
  } finally {
    await issuerChain.close();
  }
}

const proofRegistry = (batchId: number): string => {
  const row = store.listCredentials({ batchId, limit: 1 }).items[0]!;
  const decoded = decodeAnchorProof(JSON.parse(row.anchorProof!));
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.anchor.registry;
};

describe('moving to a new registry', () => {
  it('re-anchors every batch and replays status changes in the new registry; the same registry again changes nothing', async () => {
    const first = await deployWithIssuers(chain.url, chain.chainId);
    const [revoked] = issue(store, 4, 4);
    issue(store, 2, 4);
    await serveOnce(first);
    store.requestStatusChange({ credentialId: revoked!, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
    await serveOnce(first);
    expect(store.listBatches({ state: 'anchored' }).items.map((b) => b.id).sort()).toEqual([1, 2]);
    expect(proofRegistry(1)).toBe(first);
    expect(logged.some((line) => line.startsWith('chain.new-registry'))).toBe(false);

    const second = await deployWithIssuers(chain.url, chain.chainId);
    await serveOnce(second);
    expect(logged.filter((line) => line.startsWith('chain.new-registry'))).toHaveLength(1);
    reader = await connectClient(chain.url, chain.chainId, second);
    const expected = { chainId: chain.chainId, registry: second, issuer: ISSUER_DID };
    for (const id of [1, 2]) {
      await expectBatchProofsOnChain(store, reader, id, expected);
      expect(proofRegistry(id)).toBe(second);
      expect(await reader.countRootAnchoredEvents(ISSUER_ID, store.getBatch(id)!.root!)).toBe(1);
    }
    expect((await reader.leafStateOf(ISSUER_DID, store.getCredential(revoked!)!.leaf)).status).toBe('revoked');

    // Same registry on the next start: nothing is requeued or sent again.
    await serveOnce(second);
    expect(logged.filter((line) => line.startsWith('chain.new-registry'))).toHaveLength(1);
    for (const id of [1, 2]) expect(await reader.countRootAnchoredEvents(ISSUER_ID, store.getBatch(id)!.root!)).toBe(1);
  }, 180_000);

  it('a data folder that never remembered its registry is judged by its newest root', async () => {
    fs.rmSync(path.join(dir, 'chain.json'));
    const third = await deployWithIssuers(chain.url, chain.chainId);
    await serveOnce(third);
    expect(logged.filter((line) => line.startsWith('chain.new-registry'))).toHaveLength(2);
    const client = await connectClient(chain.url, chain.chainId, third);
    try {
      for (const id of [1, 2]) await expectBatchProofsOnChain(store, client, id, { chainId: chain.chainId, registry: third, issuer: ISSUER_DID });
    } finally {
      client.close();
    }
  }, 180_000);
});

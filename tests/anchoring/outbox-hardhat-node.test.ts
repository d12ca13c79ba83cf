// End to end against a `hardhat node` process: signed credentials anchored through a proxy that goes down and comes back.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { anchoredCredential, decodeAnchorProof, findAnchorProof, unwrapEnvelope } from '../../src/anchoring/anchor-proof';
import { credentialLeaf } from '../../src/anchoring/leaf';
import { createAnchorer, type Anchorer } from '../../src/anchoring/outbox';
import type { RegistryClient } from '../../src/chain';
import { defaultDocumentLoader } from '../../src/contexts';
import { buildCredential } from '../../src/credential';
import { SigningKey, createDidKeyIssuer, signDataIntegrity, signJose, verifyJose } from '../../src/signing';
import type { NewCredential, Store } from '../../src/store';
import { startHardhatNode, type HardhatNode } from '../helpers/hardhat-node';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { expectBatchProofsOnChain } from './fixtures/outbox-checks';
import { ISSUER_DID, ISSUER_ID, ISSUER, connectClient, deployWithIssuers, issue, storeIn, tempDir } from './fixtures/outbox-env';

const CHAIN_ID = 31337;
const issuer = createDidKeyIssuer(SigningKey.generate(), { name: 'St Example Hospital', url: 'https://hospital.example' });

let node: HardhatNode;
let proxy: TcpProxy;
let registryAddress: string;
let reader: RegistryClient;
let viaProxy: RegistryClient;
let store: Store;
let anchorer: Anchorer;
let dir: string;
let t = Date.now();
const now = (): Date => new Date(t);

beforeAll(async () => {
  node = await startHardhatNode();
  registryAddress = await deployWithIssuers(node.url, CHAIN_ID);
  reader = await connectClient(node.url, CHAIN_ID, registryAddress);
  const target = new URL(node.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  viaProxy = await connectClient(proxy.url, CHAIN_ID, registryAddress, ISSUER);
  dir = tempDir();
  store = storeIn(dir, now);
  anchorer = createAnchorer({
    store,
    registry: viaProxy,
    chainId: CHAIN_ID,
    registryAddress,
    confirmations: 1,
    batch: { maxLeaves: 4, maxAgeMs: 30_000 },
    retry: { baseMs: 1_000, maxMs: 4_000 },
    receiptTimeoutMs: 20_000,
    intervalMs: 50,
    now,
  });
});

afterAll(async () => {
  await anchorer?.stop();
  store?.close();
  viaProxy?.close();
  reader?.close();
  await proxy?.close();
  await node?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function signedRow(format: 'di' | 'jose'): Promise<NewCredential> {
  const record = {
    learner: { did: `did:example:${randomUUID()}`, name: 'Ada' },
    module: { id: 'https://hospital.example/modules/acls', name: 'Advanced Cardiac Life Support', description: 'ACLS.', criteria: 'Passed the megacode.', credits: 8 },
    completedAt: '2026-01-01T09:30:00Z',
    validFor: 'P2Y',
  };
  const credential = buildCredential({ record, issuer: issuer.profile, now }) as unknown as Record<string, unknown>;
  const signed = format === 'di' ? await signDataIntegrity(credential, { signingKey: issuer.signingKey, now }) : await signJose(credential, { signingKey: issuer.signingKey });
  const document = typeof signed === 'string' ? signed : JSON.stringify(signed);
  return { id: String(credential.id), format, document, leaf: credentialLeaf(signed), moduleId: 'acls', learnerRef: String((credential.credentialSubject as { id?: string }).id ?? 'x') };
}

const expected = (): { chainId: number; registry: string; issuer: string } => ({ chainId: CHAIN_ID, registry: registryAddress, issuer: ISSUER_DID });

describe('anchoring outbox end to end on a hardhat node', () => {
  it('anchors signed credentials from the timer loop; proofs check on chain and signatures still verify', async () => {
    const rows = [await signedRow('di'), await signedRow('jose'), await signedRow('di'), await signedRow('jose'), await signedRow('di')];
    for (const row of rows) store.insertCredentialIntoOpenBatch(row, { actor: 'test', maxLeaves: 4 });
    await anchorer.start();
    await anchorer.whenAnchored(1, { timeoutMs: 30_000 });
    t += 30_001;
    await anchorer.whenAnchored(2, { timeoutMs: 30_000 });
    await anchorer.stop();
    for (const id of [1, 2]) await expectBatchProofsOnChain(store, reader, id, expected());

    for (const row of rows) {
      const stored = store.getCredential(row.id)!;
      const anchored = anchoredCredential(stored)!;
      const proof = decodeAnchorProof(findAnchorProof(anchored));
      expect(proof.ok).toBe(true);
      if (row.format === 'di') {
        // A third-party Data Integrity verifier checks the signature with the anchor proof in the set.
        expect((anchored.proof as unknown[]).length).toBe(2);
        expect(credentialLeaf(anchored)).toBe(row.leaf);
        const result = (await vc.verifyCredential({ credential: anchored, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: defaultDocumentLoader() })) as { verified: boolean };
        expect(result.verified).toBe(true);
      } else {
        const { jws } = unwrapEnvelope(anchored);
        expect(jws).toBe(row.document);
        expect(credentialLeaf(jws)).toBe(row.leaf);
        expect((await verifyJose(jws)).verified).toBe(true);
      }
    }
  });

  it('keeps issuing while the RPC endpoint is down and finishes anchoring and a revocation once it is back', async () => {
    const revoked = store.listCredentials({ batchId: 1, limit: 1 }).items[0]!;
    await proxy.close();
    const ids = issue(store, 4, 4);
    expect(ids).toHaveLength(4);
    store.requestStatusChange({ credentialId: revoked.id, action: 'revoke', reasonCode: 'issued_in_error', actor: 'test' });
    const down = await anchorer.runOnce();
    expect(down.sealed).toEqual([3]);
    expect(down.anchored).toEqual([]);
    expect(down.statusDone).toEqual([]);
    expect(store.getBatch(3)?.lastError).toMatch(/^ERR_RPC_UNAVAILABLE/);
    issue(store, 1, 4);

    await proxy.open();
    t += 4_000;
    const up = await anchorer.runOnce();
    expect(up.anchored).toEqual([3]);
    expect(up.statusDone).toHaveLength(1);
    await expectBatchProofsOnChain(store, reader, 3, expected());
    const anchor = decodeAnchorProof(JSON.parse(store.getCredential(revoked.id)!.anchorProof!));
    if (!anchor.ok) throw new Error(anchor.message);
    expect(await reader.lookup(ISSUER_ID, anchor.anchor.root, revoked.leaf, anchor.anchor.path)).toMatchObject({ status: 'revoked', statusReason: 1, anchored: true, issuerDid: ISSUER_DID });
    for (const batch of store.listBatches({ state: 'anchored' }).items) expect(await reader.countRootAnchoredEvents(ISSUER_ID, batch.root!)).toBe(1);
  });
});

// Delivery outbox test fixtures: a cohort issued by the real issuer service and its batch recorded as anchored offline.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { anchorCreated, buildTree, encodeAnchorProof } from '../../src/anchoring';
import type { DeliveryChannel, Store } from '../../src/store';
import { issuerFixture, record, type IssuerFixture } from '../issuer/fixture';

/** A learner of the test cohort. */
export interface CohortLearner {
  readonly name: string;
  readonly email: string;
  readonly credentialId: string;
}

/** An issued cohort whose batch is anchored, with its delivery jobs queued for `channels`. */
export interface AnchoredCohort {
  readonly fixture: IssuerFixture;
  readonly learners: readonly CohortLearner[];
}

const FAKE_TX = `0x${'ab'.repeat(32)}`;
const FAKE_REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/**
 * Seals the open batch and records it anchored with real Merkle paths and a made-up transaction, through the same
 * store call the anchoring outbox makes (so the delivery jobs are queued in that transaction). The subject of these
 * tests is delivery; tests/anchoring covers anchoring on a real chain.
 */
export function anchorOpenBatchOffline(store: Store, channels: readonly DeliveryChannel[]): number {
  const open = store.openBatch();
  if (open === null) throw new Error('no open batch');
  const { batch, leaves } = store.sealBatch(open.id, (l) => buildTree(l).root);
  const tree = buildTree(leaves);
  const proofs = new Map<string, string>();
  for (const { id, leaf } of store.credentialLeavesOf(batch.id)) {
    proofs.set(id, JSON.stringify(encodeAnchorProof({ chain: 'eip155:31337', registry: FAKE_REGISTRY, root: batch.root!, path: tree.proof(leaf), transaction: FAKE_TX, block: 7 }, anchorCreated(1_740_823_200))));
  }
  store.markAnchored(batch.id, { blockNumber: 7, anchoredAt: new Date(1_740_823_200_000), txHash: FAKE_TX }, proofs, channels);
  return batch.id;
}

/** Issues `size` credentials to distinct learners (Learner 1 … n, learner1@example.org …) and anchors them offline. */
export async function anchoredCohort(size: number, channels: readonly DeliveryChannel[]): Promise<AnchoredCohort> {
  const fixture = issuerFixture();
  const learners: CohortLearner[] = [];
  for (let i = 1; i <= size; i++) {
    const learner = { name: `Learner ${i}`, email: `learner${i}@example.org` };
    const issued = await fixture.service.issue(record({ learner }), { format: i % 2 === 0 ? 'jose' : 'di', actor: 'test' });
    learners.push({ ...learner, credentialId: issued.credentialId });
  }
  anchorOpenBatchOffline(fixture.store, channels);
  return { fixture, learners };
}

/** One request a test receiver got. */
export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1 that records each request and answers with the status `answer` gives. */
export async function startReceiver(answer: (request: ReceivedRequest, index: number) => number): Promise<{ url: string; requests: ReceivedRequest[]; close: () => Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      res.statusCode = answer(request, requests.length - 1);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/microcred`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Reconciliation compares the database with the list bits, the signed lists and the chain's statuses, and repairs.
import { describe, expect, it } from 'vitest';
import { buildTree } from '../../src/anchoring/merkle';
import type { LeafStatus } from '../../src/chain/types';
import { reconcileStatuses } from '../../src/status/reconcile';
import { sampleRecord } from '../helpers/records';
import { statusFixture } from './fixture';

/** Issues `n` credentials and records their batch as anchored, as the outbox would after mining. */
async function anchoredCredentials(f: ReturnType<typeof statusFixture>, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await f.service.issue(sampleRecord(), { format: 'jose', actor: 'test' })).credentialId);
  const open = f.store.openBatch()!;
  f.store.sealBatch(open.id, (leaves) => buildTree(leaves).root);
  f.store.markSubmitted(open.id, { txHash: `0x${'11'.repeat(32)}`, nonce: 0 });
  f.store.markAnchored(open.id, { blockNumber: 5, anchoredAt: new Date(), txHash: `0x${'11'.repeat(32)}` });
  return ids;
}

describe('reconcileStatuses with the chain', () => {
  it('sends again a change the chain lost, and reports (never copies) a status only the chain shows', async () => {
    const f = statusFixture();
    const [lost, foreign, fine] = await anchoredCredentials(f, 3);
    const change = f.service.requestStatusChange(lost!, 'revoke', { reasonCode: 'misconduct', actor: 'test' });
    f.store.markStatusChangeDone(change.id, { txHash: `0x${'22'.repeat(32)}`, blockNumber: 6 });
    const leafOf = (id: string): string => f.store.getCredential(id)!.leaf;
    const onChain = new Map<string, LeafStatus>([
      [leafOf(lost!), 'active'], // the chain lost the revocation (a reorganisation, a fresh chain)
      [leafOf(foreign!), 'suspended'], // someone suspended it on chain directly
      [leafOf(fine!), 'active'],
    ]);
    const chainStatus = (leaf: string): Promise<LeafStatus> => Promise.resolve(onChain.get(leaf)!);

    const dry = await reconcileStatuses({ store: f.store, repair: false, chainStatus });
    expect(dry.chainChecked).toBe(3);
    expect(dry.differences).toHaveLength(2);
    expect(dry.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'chain-behind', credentialId: lost, expected: 'revoked', found: 'active', repaired: false }),
        expect.objectContaining({ kind: 'chain-ahead', credentialId: foreign, expected: 'active', found: 'suspended', repaired: false }),
      ]),
    );
    expect(f.store.unfinishedStatusChanges()).toEqual([]);

    const repaired = await reconcileStatuses({ store: f.store, repair: true, chainStatus });
    expect(repaired.differences.find((d) => d.kind === 'chain-behind')).toMatchObject({ repaired: true });
    expect(f.store.unfinishedStatusChanges().map((c) => [c.credentialId, c.action])).toEqual([[lost, 'revoke']]);
    // The chain-ahead status is not copied into the database or the list: an operator decides.
    expect(f.store.getCredential(foreign!)!.status).toBe('active');
    // A change in flight is not compared again.
    expect((await reconcileStatuses({ store: f.store, repair: false, chainStatus })).differences.map((d) => d.kind)).toEqual(['chain-ahead']);
    // At start only credentials that ever changed are compared: the foreign suspension is not seen there.
    expect((await reconcileStatuses({ store: f.store, repair: false, chainStatus, chainScope: 'changed' })).chainChecked).toBe(0);
  });

  it('re-signs a signed list that is older than its bits', async () => {
    const f = statusFixture();
    const [id] = await anchoredCredentials(f, 1);
    await f.publisher.get('jose-1-revocation');
    f.service.requestStatusChange(id!, 'revoke', { reasonCode: 'misconduct', actor: 'test' });
    const report = await reconcileStatuses({ store: f.store, repair: true, publisher: f.publisher });
    expect(report.differences).toEqual([expect.objectContaining({ kind: 'published', listId: 'jose-1-revocation', repaired: true })]);
    expect((await reconcileStatuses({ store: f.store, repair: false })).differences).toEqual([]);
  });
});

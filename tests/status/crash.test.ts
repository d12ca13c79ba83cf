// SIGKILL while issuing and revoking: no acknowledged credential or revocation is lost, no index is given twice.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileStatuses } from '../../src/status/reconcile';
import { decodeBitstring } from '../../src/libraries';
import { statusFixture, SECRET, tempDir } from './fixture';
import { openStore } from '../../src/store';
import { runWriterUntilKilled } from '../helpers/kill-writer';
import { sampleRecord } from '../helpers/records';

function payloadOf(jws: string): { credentialStatus: Array<{ statusListIndex: string; statusPurpose: string }> } {
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as never;
}

describe('status lists under SIGKILL', () => {
  it('keeps every acknowledged credential’s slot and revocation bit, and never reuses an index afterwards', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'microcred.sqlite');
    openStore({ path: file, secret: SECRET }).close();
    const idsOf = (lines: readonly string[], kind: string) => lines.filter((line) => line.startsWith(`${kind} `)).map((line) => line.slice(kind.length + 1));
    const { lines, signal } = await runWriterUntilKilled(path.join(__dirname, 'fixtures/issue-revoke-writer.ts'), [file, SECRET], (printed) => idsOf(printed, 'issued').length >= 150);
    expect(signal).toBe('SIGKILL');
    const issued = idsOf(lines, 'issued');
    const revoked = idsOf(lines, 'revoked');
    expect(issued.length).toBeGreaterThanOrEqual(150);

    const f = statusFixture({ dir });
    const drawnBefore = new Set(f.store.statusLists.drawnIndexes('jose', 1));
    const stored = f.store.db.prepare('SELECT id FROM credentials').pluck().all() as string[];
    const seen = new Set<number>();
    for (const id of stored) {
      // Every stored credential holds exactly the slot its signed entries name.
      const slot = f.store.statusLists.slotOf(id);
      expect(slot, id).not.toBeNull();
      const entries = payloadOf(f.store.getCredential(id)!.document).credentialStatus;
      expect(entries.map((e) => Number(e.statusListIndex))).toEqual([slot!.index, slot!.index]);
      expect(seen.has(slot!.index)).toBe(false);
      seen.add(slot!.index);
    }
    for (const id of issued) expect(stored).toContain(id);
    const revocation = await decodeBitstring(JSON.parse(Buffer.from((await f.publisher.get('jose-1-revocation'))!.body.split('.')[1]!, 'base64url').toString('utf8')).credentialSubject.encodedList as string);
    for (const id of stored) {
      const row = f.store.getCredential(id)!;
      expect(revocation.getStatus(f.store.statusLists.slotOf(id)!.index), id).toBe(row.status === 'revoked');
    }
    for (const id of revoked) expect(f.store.getCredential(id)!.status).toBe('revoked');
    // Database and lists agree; nothing to repair.
    expect((await reconcileStatuses({ store: f.store, repair: false })).differences).toEqual([]);

    // Issuing again after the restart never lands on an index drawn before, bound or not.
    const more = await f.service.issueMany(Array.from({ length: 20 }, (_, i) => ({ row: i + 1, input: sampleRecord() })), { format: 'jose', actor: 'test' });
    expect(more.issued).toBe(20);
    for (const result of more.rows) {
      if (result.status !== 'issued') continue;
      expect(drawnBefore.has(f.store.statusLists.slotOf(result.credentialId)!.index)).toBe(false);
    }
  });
});

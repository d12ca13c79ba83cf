import { describe, expect, it } from 'vitest';
import { credential, databaseFilesContain, newStore } from './helpers';

describe('learners and erasure', () => {
  it('one row per person: email is normalised, and a second upsert fills in fields', () => {
    const store = newStore();
    const a = store.upsertLearner({ email: ' Ann.Smith@Example.ORG ' });
    const b = store.upsertLearner({ email: 'ann.smith@example.org', name: 'Ann Smith', externalId: 'S-1' });
    expect(b).toMatchObject({ id: a.id, email: 'ann.smith@example.org', name: 'Ann Smith', externalId: 'S-1' });
    expect(store.findLearnerByEmail('ANN.SMITH@example.org')!.id).toBe(a.id);
    expect(() => store.upsertLearner({ name: 'no identifier' })).toThrowError(expect.objectContaining({ code: 'ERR_STORE_INVALID_INPUT' }));
  });

  it('erasure deletes the PII (even from the file bytes) and keeps credentials stored and verifiable', () => {
    const store = newStore();
    const email = 'erase.me.please@example.org';
    const learner = store.upsertLearner({ email, name: 'Zebulon Quaxley' });
    const rows = [credential({ learnerId: learner.id }), credential({ learnerId: learner.id })];
    for (const row of rows) store.insertCredentialIntoOpenBatch(row, { actor: 'test' });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseFilesContain(store.path, email)).toBe(true);

    expect(store.eraseLearner(learner.id, 'dpo')).toEqual({ learnerId: learner.id, credentialsKept: 2 });
    expect(store.getLearner(learner.id)).toBeNull();
    expect(store.findLearnerByEmail(email)).toBeNull();
    for (const row of rows) {
      const stored = store.getCredential(row.id)!;
      expect(stored).toMatchObject({ document: row.document, leaf: row.leaf, learnerRef: row.learnerRef, learnerId: null, status: 'active' });
    }
    expect(store.leavesOf(store.getCredential(rows[0]!.id)!.batchId)).toEqual(rows.map((r) => r.leaf));
    expect(databaseFilesContain(store.path, email)).toBe(false);
    expect(databaseFilesContain(store.path, 'Zebulon Quaxley')).toBe(false);
    expect(store.queryAudit({ action: 'learner.erase' }).items).toMatchObject([{ actor: 'dpo', subject: learner.id, details: { credentialsKept: 2 } }]);
    expect(() => store.eraseLearner(learner.id, 'dpo')).toThrowError(expect.objectContaining({ code: 'ERR_LEARNER_NOT_FOUND' }));
  });

  it('erasure also drops wallet offers not yet redeemed that still hold the learner\'s email, and only those', () => {
    const store = newStore();
    const learner = store.upsertLearner({ email: 'Offer.Me@example.org', name: 'Offer Me' });
    const offer = (id: string, email: string): void => {
      store.offers.create({ id, codeHash: `code-${id}`, pinHash: null, configurationId: 'OpenBadgeCredential_ldp_vc', record: JSON.stringify({ learner: { email } }), expiresAt: '2099-01-01T00:00:00Z', actor: 'test' });
    };
    offer('mine', ' offer.me@EXAMPLE.org');
    offer('theirs', 'someone.else@example.org');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseFilesContain(store.path, 'offer.me@EXAMPLE.org')).toBe(true);

    store.eraseLearner(learner.id, 'dpo');
    expect(store.offers.get('mine')).toBeNull();
    expect(store.offers.get('theirs')).not.toBeNull();
    expect(databaseFilesContain(store.path, 'offer.me@EXAMPLE.org')).toBe(false);
    expect(store.queryAudit({ action: 'offer.erase' }).items).toMatchObject([{ actor: 'dpo', subject: 'mine' }]);
  });
});

// Which credentials an export means: ids, a batch, a CSV of ids, or the cohort CSV matched row by row (real store).
import { describe, expect, it } from 'vitest';
import { selectForExport } from '../../src/issuer';
import { expectCode } from '../helpers/errors';
import { issuerFixture } from './fixture';

const HEADER = 'learner_email,learner_did,learner_name,module_id,module_name,module_description,criteria,completed_at';
const row = (who: string, module = 'acls', completedAt = '2025-02-28T09:30:00Z'): string =>
  `${who.startsWith('did:') ? `,${who}` : `${who},`},Name,https://example.org/m/${module},Module,Desc,Crit,${completedAt}`;

async function issueCsv(f: ReturnType<typeof issuerFixture>, lines: string[]): Promise<string[]> {
  const plan = f.service.planBatch({ source: { csv: [HEADER, ...lines].join('\n') }, query: {}, maxRows: 100, actor: 'test' });
  const outcome = await f.service.issueBatch(plan);
  return outcome.rows.map((r) => (r.status === 'issued' ? r.credentialId : ''));
}

describe('selectForExport', () => {
  it('matches each cohort row to the credential issued for it: learner, module and completion time', async () => {
    const f = issuerFixture();
    const cohort = [row('ada@example.org'), row('did:example:bob'), row('ada@example.org', 'bls'), row('cy@example.org')];
    const [ada, bob, adaBls] = await issueCsv(f, cohort.slice(0, 3));
    // Another completion of the same module by the same learner must not match.
    await issueCsv(f, [row('ada@example.org', 'acls', '2024-01-01T00:00:00Z')]);
    const selected = selectForExport(f.store, { cohortCsv: [HEADER, ...cohort, 'nobody,,x,y,z,,,'].join('\n') });
    expect(selected.targets).toEqual([
      { credentialId: ada, row: 2 },
      { credentialId: bob, row: 3 },
      { credentialId: adaBls, row: 4 },
    ]);
    expect(selected.missing.map((m) => [m.row, m.reason.split(' ')[0]])).toEqual([
      [5, 'no'],
      [6, 'the'],
    ]);
  });

  it('a row issued twice: the newest credential, and the older named', async () => {
    const f = issuerFixture();
    const [first] = await issueCsv(f, [row('ada@example.org')]);
    const [second] = await issueCsv(f, [row('ADA@example.org')]);
    expect(selectForExport(f.store, { cohortCsv: [HEADER, row('ada@example.org')].join('\n') }).targets).toEqual([{ credentialId: second, row: 2, alsoMatched: [first] }]);
  });

  it('a CSV of ids, with a credential_id column or bare ids; unknown ids are missing; a batch lists its credentials in order', async () => {
    const f = issuerFixture();
    const ids = await issueCsv(f, [row('ada@example.org'), row('bob@example.org')]);
    const unknown = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    const withHeader = selectForExport(f.store, { cohortCsv: `name,credential_id\nAda,${ids[0]}\nX,${unknown}\nAda again,${ids[0]!.slice(9).toUpperCase()}\n` });
    expect(withHeader.targets).toEqual([{ credentialId: ids[0], row: 2 }]);
    expect(withHeader.missing).toEqual([expect.objectContaining({ reference: unknown, row: 3 })]);
    expect(selectForExport(f.store, { cohortCsv: `${ids[1]}\n${ids[0]}\n` }).targets.map((t) => t.credentialId)).toEqual([ids[1], ids[0]]);
    const batchId = f.store.getCredential(ids[0]!)!.batchId;
    expect(selectForExport(f.store, { batchId }).targets.map((t) => t.credentialId)).toEqual(ids);
    expectCode(() => selectForExport(f.store, { batchId: 999 }), 'ERR_BATCH_NOT_FOUND');
    expectCode(() => selectForExport(f.store, { ids: ['not-an-id'] }), 'ERR_EXPORT_INPUT');
    expectCode(() => selectForExport(f.store, { cohortCsv: '' }), 'ERR_EXPORT_INPUT');
    expectCode(() => selectForExport(f.store, { cohortCsv: 'colour,size\nred,1\n' }), 'ERR_CSV_INVALID');
  });
});

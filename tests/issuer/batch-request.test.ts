// planBatch: the decisions a batch request needs (CSV or JSON, which options win, the row cap), without HTTP.
import { describe, expect, it } from 'vitest';
import { csvColumnOf, planBatch } from '../../src/issuer';

const CSV_HEADER = 'learner_email,module_id,module_name,module_description,criteria,completed_at';
const CSV_ROW = 'ada@example.org,acls,ACLS,Advanced cardiac life support,Passed the exam,2025-03-01T10:00:00Z';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('planBatch', () => {
  it('numbers JSON records from 1; body options win over the query, the query over the defaults', () => {
    const records = [{ a: 1 }, { b: 2 }];
    expect(planBatch({ source: { records }, query: {}, actor: 'token:t' })).toEqual({
      rows: [
        { row: 1, input: { a: 1 } },
        { row: 2, input: { b: 2 } },
      ],
      options: { format: 'di', atomic: false, actor: 'token:t' },
    });
    expect(planBatch({ source: { records }, query: { format: 'jose', atomic: true }, actor: 'a' }).options).toMatchObject({ format: 'jose', atomic: true });
    expect(planBatch({ source: { records, format: 'di', atomic: false }, query: { format: 'jose', atomic: true }, actor: 'a' }).options).toMatchObject({ format: 'di', atomic: false });
  });

  it('reads CSV rows with the cohort columns and names errors by column', () => {
    const plan = planBatch({ source: { csv: `${CSV_HEADER}\n${CSV_ROW}\n` }, query: { atomic: true }, actor: 'a' });
    expect(plan.rows).toHaveLength(1);
    expect(plan.rows[0]!.row).toBe(2);
    expect(plan.options).toMatchObject({ format: 'di', atomic: true, fieldName: csvColumnOf });
    expect(plan.options.fieldName!('module.name')).toBe('module_name');
  });

  it('refuses more rows than the cap (JSON and CSV) and an empty batch', () => {
    expect(codeOf(() => planBatch({ source: { records: [{}, {}, {}] }, query: {}, maxRows: 2, actor: 'a' }))).toBe('ERR_BATCH_TOO_LARGE');
    expect(codeOf(() => planBatch({ source: { csv: `${CSV_HEADER}\n${CSV_ROW}\n${CSV_ROW}\n${CSV_ROW}\n` }, query: {}, maxRows: 2, actor: 'a' }))).toBe('ERR_BATCH_TOO_LARGE');
    expect(planBatch({ source: { records: [{}, {}] }, query: {}, maxRows: 2, actor: 'a' }).rows).toHaveLength(2);
    expect(codeOf(() => planBatch({ source: { records: [] }, query: {}, actor: 'a' }))).toBe('ERR_BATCH_EMPTY');
    expect(codeOf(() => planBatch({ source: { csv: `${CSV_HEADER}\n` }, query: {}, actor: 'a' }))).toBe('ERR_BATCH_EMPTY');
  });
});

// Finding 1: a batch never answers a bare error after a partial write; dates out of range are per-row errors found before storing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCredential } from '../../src/credential/build';
import { isMicrocredError } from '../../src/errors';
import { createIssuerService } from '../../src/issuer';
import type { CredentialSigner } from '../../src/issuer/signer';
import { createLocalSigner } from '../../src/issuer/signer';
import type { IssuerProfile } from '../../src/signing/issuer';
import { defaultDocumentLoader } from '../../src/contexts/loader';
import fs from 'node:fs';
import path from 'node:path';
import { microcredSync } from '../helpers/cli';
import { issuerFixture, record, tempDir } from '../issuer/fixture';

const ISSUER: IssuerProfile = { id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', type: ['Profile'], name: 'Example', url: 'https://example.org' };
const NOW = (): Date => new Date('2025-03-01T10:00:00Z');

const HEADER = 'learner_email,module_id,module_name,module_description,criteria,completed_at,valid_for';
const line = (i: number, validFor: string): string => `l${i}@example.org,https://example.org/m/acls,ACLS,Cardiac,Passed,2025-02-28T09:30:00Z,${validFor}`;

function countCredentials(store: { listCredentials(q: { limit: number; cursor: string | null }): { items: unknown[]; nextCursor: string | null } }): number {
  let cursor: string | null = null;
  let total = 0;
  for (let page = 0; page < 100; page += 1) {
    const result = store.listCredentials({ limit: 500, cursor });
    total += result.items.length;
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return total;
}

describe('finding 1: no partial batch behind an error', () => {
  it('a validFor that overflows the date is a per-row error (ERR_INVALID_RECORD), never a RangeError', () => {
    for (const validFor of ['P99999999999Y', 'P9999Y', 'PT99999999999999999999S', 'P999999999999999W']) {
      const error = (() => {
        try {
          buildCredential({ record: record({ validFor }), issuer: ISSUER, now: NOW });
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(isMicrocredError(error, 'ERR_INVALID_RECORD'), validFor).toBe(true);
    }
  });

  it('dates before 1900 or after 9999 are refused', () => {
    for (const overrides of [{ completedAt: '0001-01-01T00:00:00Z' }, { expiresAt: '9999-12-31T23:59:59Z', validFor: undefined }]) {
      const input = record(overrides);
      if (input.validFor === undefined) delete input.validFor;
      const result = (() => {
        try {
          return buildCredential({ record: input, issuer: ISSUER, now: NOW });
        } catch (e) {
          return e;
        }
      })();
      if ('expiresAt' in overrides) expect((result as { validUntil: string }).validUntil).toBe('9999-12-31T23:59:59Z');
      else expect(isMicrocredError(result, 'ERR_INVALID_RECORD')).toBe(true);
    }
  });

  it('fuzz: any completedAt / expiresAt / validFor either builds with XSD dates or is ERR_INVALID_RECORD', () => {
    const year = fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0'));
    const dateTime = fc.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 })).map(([y, m, d, h]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`);
    const big = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 100_000 }), fc.bigInt({ min: 0n, max: 10n ** 30n }));
    const duration = fc.oneof(
      fc.tuple(fc.constantFrom('Y', 'M', 'W', 'D'), big).map(([unit, n]) => `P${n}${unit}`),
      fc.tuple(fc.constantFrom('H', 'M', 'S'), big).map(([unit, n]) => `PT${n}${unit}`),
      fc.tuple(big, big, big).map(([a, b, c]) => `P${a}Y${b}M${c}DT${a}H`),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(dateTime, fc.option(dateTime), fc.option(duration), (completedAt, expiresAt, validFor) => {
        const input: Record<string, unknown> = record({ completedAt });
        delete input.validFor;
        if (expiresAt !== null) input.expiresAt = expiresAt;
        if (validFor !== null) input.validFor = validFor;
        try {
          const built = buildCredential({ record: input, issuer: ISSUER, now: NOW });
          const xsd = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
          expect(built.validFrom).toMatch(xsd);
          if (built.validUntil !== undefined) expect(built.validUntil).toMatch(xsd);
        } catch (error) {
          if (!isMicrocredError(error, 'ERR_INVALID_RECORD')) throw error;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('HTTP: a 1,001-row CSV whose last row overflows answers per-row results with the 1,000 ids, not a 500', async () => {
    const { app, tokens, store } = issuerFixture({ maxLeaves: 5000 });
    const csv = [HEADER, ...Array.from({ length: 1000 }, (_, i) => line(i, 'P2Y')), line(1000, 'P99999999999Y')].join('\n');
    const res = await app.request('/v1/credentials/batch?format=jose', { method: 'POST', headers: { authorization: `Bearer ${tokens.issue}`, 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { issued: number; failed: number; rows: Array<{ row: number; status: string; credentialId?: string; errors?: Array<{ field: string }> }> };
    expect(body.issued).toBe(1000);
    expect(body.rows.filter((r) => r.status === 'issued' && typeof r.credentialId === 'string')).toHaveLength(1000);
    const last = body.rows[body.rows.length - 1];
    expect(last).toMatchObject({ row: 1002, status: 'invalid' });
    expect(last?.errors?.[0]?.field).toBe('valid_for');
    expect(countCredentials(store)).toBe(1000);
  });

  it('an unexpected error in a later chunk reports the ids already issued and stores nothing more', async () => {
    const { store, service: base } = issuerFixture();
    const local = createLocalSigner({ keyring: base.issuer, loader: defaultDocumentLoader(), now: NOW });
    let signed = 0;
    const faulty: CredentialSigner = {
      concurrency: 1,
      sign: (credential, format) => {
        signed += 1;
        if (signed === 5) throw new TypeError('disk on fire');
        return local.sign(credential, format);
      },
      close: () => Promise.resolve(),
    };
    const service = createIssuerService({ store, issuer: base.issuer, loader: defaultDocumentLoader(), now: NOW, signer: faulty });
    const rows = Array.from({ length: 6 }, (_, i) => ({ row: i + 1, input: record({ learner: { email: `p${i}@example.org` } }) }));
    const outcome = await service.issueMany(rows, { format: 'jose', chunkSize: 2, actor: 'test' });
    expect(outcome.issued).toBe(4);
    const issued = outcome.rows.filter((r) => r.status === 'issued');
    expect(issued.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(outcome.rows.slice(4).map((r) => r.status)).toEqual(['failed', 'not_issued']);
    expect(outcome.rows[4]).toMatchObject({ code: 'ERR_ISSUE_FAILED' });
    expect(countCredentials(store)).toBe(4);
  });

  it('CLI: issue --csv with an overflowing row lists the issued ids and the bad row (exit 1), not a bare error', () => {
    const dir = tempDir();
    const file = path.join(dir, 'cohort.csv');
    fs.writeFileSync(file, [HEADER, line(1, 'P2Y'), line(2, 'P2Y'), line(3, 'P99999999999Y')].join('\n'));
    const run = microcredSync(['issue', '--csv', file, '--format', 'jose', '--json', '--data', path.join(dir, 'data')], { env: { MICROCRED_SECRET: 'hardening-test-secret-0123456789' } });
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ issued: 2, failed: 1 });
    expect(run.json.rows.map((r: { status: string }) => r.status)).toEqual(['issued', 'issued', 'invalid']);
    expect(run.json.rows[2].errors[0].field).toBe('valid_for');
  });
});

// Building the Open Badges 3.0 credential from a completion record, and one clear error per bad field.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDuration, buildCredential, checkCompletionRecord, completionRecordSchema } from '../../src/credential';
import { MicrocredError } from '../../src/errors';
import { sampleRecord } from '../signing/fixtures';

const issuer = { id: 'did:web:hospital.example', type: ['Profile'] as ['Profile'], name: 'St Example Hospital', url: 'https://hospital.example' };
const fixed = { issuer, now: () => new Date('2025-03-02T08:00:00.500Z'), randomUUID: () => '0b6c2f44-3c6d-4a8e-9a51-7e2d3b1f9c10', randomSalt: () => 'c0ffee' };

function issuesOf(record: unknown): { field: string; message: string }[] {
  try {
    buildCredential({ ...fixed, record });
  } catch (error) {
    expect(error).toBeInstanceOf(MicrocredError);
    expect((error as MicrocredError).code).toBe('ERR_INVALID_RECORD');
    return (error as MicrocredError).details.issues as { field: string; message: string }[];
  }
  throw new Error('expected ERR_INVALID_RECORD');
}

describe('buildCredential', () => {
  it('builds an OpenBadgeCredential on VC DM 2.0', () => {
    const credential = buildCredential({ ...fixed, record: sampleRecord() });
    const hash = createHash('sha256').update('ada@example.orgc0ffee').digest('hex');
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'urn:uuid:0b6c2f44-3c6d-4a8e-9a51-7e2d3b1f9c10',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'Advanced Cardiac Life Support',
      issuer,
      validFrom: '2025-03-01T09:30:00Z',
      validUntil: '2027-03-01T09:30:00Z',
      awardedDate: '2025-03-02T08:00:00Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          { type: 'IdentityObject', hashed: true, identityHash: `sha256$${hash}`, identityType: 'emailAddress', salt: 'c0ffee' },
          { type: 'IdentityObject', hashed: false, identityHash: 'Ada Lovelace', identityType: 'name' },
        ],
        achievement: {
          id: 'https://hospital.example/modules/acls',
          type: ['Achievement'],
          name: 'Advanced Cardiac Life Support',
          description: sampleRecord().module.description,
          criteria: { narrative: sampleRecord().module.criteria },
          image: { id: 'https://hospital.example/badges/acls.png', type: 'Image' },
          creditsAvailable: 8,
        },
        result: [{ type: ['Result'], status: 'Completed', value: '92%' }],
      },
    });
    expect(JSON.stringify(credential)).not.toContain('example.org');
  });

  it('uses a random urn:uuid by default and a DID subject when given', () => {
    const record = { ...sampleRecord(), learner: { did: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2' } };
    const a = buildCredential({ record, issuer, now: fixed.now });
    const b = buildCredential({ record, issuer, now: fixed.now });
    expect(a.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.credentialSubject.id).toBe(record.learner.did);
    expect(a.credentialSubject.identifier).toBeUndefined();
  });

  it('takes an expiry date instead of a duration, or none', () => {
    const { validFor: _v, ...noExpiry } = sampleRecord();
    expect(buildCredential({ ...fixed, record: noExpiry }).validUntil).toBeUndefined();
    expect(buildCredential({ ...fixed, record: { ...noExpiry, expiresAt: '2026-01-01T00:00:00+01:00' } }).validUntil).toBe('2025-12-31T23:00:00Z');
  });

  it('adds durations in UTC calendar terms', () => {
    expect(addDuration(new Date('2025-01-31T00:00:00Z'), 'P1M').toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(addDuration(new Date('2025-03-01T09:30:00Z'), 'P1Y6M2DT1H').toISOString()).toBe('2026-09-03T10:30:00.000Z');
    expect(addDuration(new Date('2025-03-01T00:00:00Z'), 'P2W').toISOString()).toBe('2025-03-15T00:00:00.000Z');
  });

  it('reports one error per bad field, naming it', () => {
    const issues = issuesOf({
      learner: { email: 'not-an-email' },
      module: { id: 'not a url', name: '', description: 'd', criteria: 'c', credits: -1, colour: 'red' },
      completedAt: 'yesterday',
      validFor: 'two years',
    });
    expect(issues.map((i) => i.field)).toEqual(['learner.email', 'module.id', 'module.name', 'module.credits', 'module.colour', 'completedAt', 'validFor']);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(3);
  });

  it('requires a learner identity, the module fields and the completion time', () => {
    const fields = issuesOf({ learner: { name: 'Ada' }, module: {} }).map((i) => i.field);
    expect(fields).toEqual(['learner', 'module.id', 'module.name', 'module.description', 'module.criteria', 'completedAt']);
    expect(issuesOf({ learner: { name: 'Ada' }, module: {} }).find((i) => i.field === 'module.name')?.message).toBe('is required');
  });

  it('refuses both expiry forms, an expiry before completion, and a completion in the future', () => {
    expect(issuesOf({ ...sampleRecord(), expiresAt: '2030-01-01T00:00:00Z' }).map((i) => i.field)).toEqual(['validFor']);
    const { validFor: _v, ...base } = sampleRecord();
    expect(issuesOf({ ...base, expiresAt: '2025-01-01T00:00:00Z' }).map((i) => i.field)).toEqual(['expiresAt']);
    expect(issuesOf({ ...base, completedAt: '2025-04-01T00:00:00Z' }).map((i) => i.field)).toEqual(['completedAt']);
  });

  it('refuses a duration the date arithmetic cannot read (found by the batch fuzz: "0P" matched the unanchored pattern)', () => {
    const { validFor: _v, ...base } = sampleRecord();
    for (const validFor of ['0P', 'xP1Y', 'P1Yx']) expect(issuesOf({ ...base, validFor }).map((i) => i.field)).toEqual(['validFor']);
    expect(buildCredential({ ...fixed, record: { ...base, validFor: 'P1Y2M' } }).validUntil).toBeDefined();
  });

  it('exports the schema and a non-throwing check for the HTTP layer and CSV import', () => {
    expect(completionRecordSchema.safeParse(sampleRecord()).success).toBe(true);
    expect(checkCompletionRecord({})).toMatchObject({ ok: false });
    expect(checkCompletionRecord(sampleRecord())).toMatchObject({ ok: true });
  });
});

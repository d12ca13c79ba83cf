// The audit decision over a hand-checked CPD portfolio: who is compliant, the totals, shortfalls and every reason.
import { describe, expect, it } from 'vitest';
import { hashedEmailIdentity } from '../../src/credential/identity';
import { credentialFacts, decideAudit, parseAuditPolicy, parseRoster, type AuditEntry, type CredentialFacts } from '../../src/audit';
import { isMicrocredError } from '../../src/errors';

const REGISTRY = { chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const COLLEGE = 'did:key:z6MkCollege';
const ROGUE = 'did:key:z6MkRogue';

const policy = parseAuditPolicy({
  name: 'Medical CPD 2025',
  cycle: { start: '2025-01-01', end: '2025-12-31' },
  requiredCredits: 20,
  creditUnit: 'CPD hours',
  categories: [
    { name: 'Clinical', match: { tag: ['clinical'] }, min: 10 },
    { name: 'Ethics', match: { achievementId: ['https://college.example/modules/ethics-*'] }, min: 2 },
    { name: 'Reading', match: { alignment: ['CPD-READ'] }, max: 5 },
  ],
  acceptedRegistries: [REGISTRY],
  acceptedIssuers: [COLLEGE],
  countExpired: true,
});

const roster = parseRoster(
  'licenseeId,name,email,did\n' +
    'L1,Ada Lovelace,,did:key:z6MkAda\n' +
    'L2,Grace Hopper,grace@example.org,\n' +
    'L3,Mary Seacole,mary@example.org,\n' +
    'L4,Joseph Lister,,did:key:z6MkLister\n',
);

let serial = 0;
/** A verified credential of `subject` (a DID, or an email hashed with a salt) for a module. */
function entry(subject: string, module: { id: string; credits: number; tag?: string; alignment?: string }, overrides: Partial<AuditEntry> & { completed?: string; issuer?: string; validUntil?: string } = {}): AuditEntry {
  serial++;
  const identity = subject.startsWith('did:') ? { id: subject } : { identifier: [hashedEmailIdentity(subject, `salt-${serial}`)] };
  const facts: CredentialFacts = credentialFacts({
    id: `urn:uuid:00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: overrides.issuer ?? COLLEGE, name: overrides.issuer === ROGUE ? 'Rogue Academy' : 'Royal College' },
    validFrom: overrides.completed ?? '2025-03-01T09:00:00Z',
    ...(overrides.validUntil ? { validUntil: overrides.validUntil } : {}),
    credentialSubject: {
      ...identity,
      achievement: {
        id: module.id,
        type: ['Achievement'],
        name: module.id.split('/').pop(),
        creditsAvailable: module.credits,
        ...(module.tag ? { tag: [module.tag] } : {}),
        ...(module.alignment ? { alignment: [{ type: ['Alignment'], targetName: 'Reading', targetUrl: 'https://cpd.example/read', targetCode: module.alignment }] } : {}),
      },
    },
  });
  return { file: `portfolio/${String(serial).padStart(3, '0')}.json`, verdict: 'valid', flags: [], reasons: [], failedChecks: [], facts, ...overrides };
}

const m = (name: string, credits: number, extra: { tag?: string; alignment?: string } = {}) => ({ id: `https://college.example/modules/${name}`, credits, ...extra });

const entries: AuditEntry[] = [
  // L1 Ada: compliant. 12 clinical + 2 ethics + 5 reading (a 4th reading credential capped) + 3 uncategorised = 22.
  entry('did:key:z6MkAda', m('acls', 8, { tag: 'clinical' })),
  entry('did:key:z6MkAda', m('sepsis', 4, { tag: 'Clinical' })),
  entry('did:key:z6MkAda', m('ethics-consent', 2)),
  entry('did:key:z6MkAda', m('journal-1', 3, { alignment: 'CPD-READ' })),
  entry('did:key:z6MkAda', m('journal-2', 3, { alignment: 'CPD-READ' }), { completed: '2025-04-01T00:00:00Z' }),
  entry('did:key:z6MkAda', m('journal-3', 3, { alignment: 'CPD-READ' }), { completed: '2025-05-01T00:00:00Z' }),
  entry('did:key:z6MkAda', m('leadership', 3)),
  // Expired after completion: counts because the policy says so.
  entry('did:key:z6MkAda', m('bls', 0)),
  // L2 Grace (matched by hashed email): revoked, tampered, out of cycle, duplicate, rogue issuer → not compliant.
  entry('grace@example.org', m('acls', 8, { tag: 'clinical' })),
  entry('grace@example.org', m('acls', 8, { tag: 'clinical' }), { completed: '2025-06-01T00:00:00Z' }),
  entry('grace@example.org', m('sepsis', 4, { tag: 'clinical' }), { verdict: 'invalid', flags: ['revoked'], reasons: ['The issuer revoked this credential.'], failedChecks: ['revocation'], statusReason: 'issued in error' }),
  entry('grace@example.org', m('trauma', 6, { tag: 'clinical' }), { verdict: 'invalid', reasons: ['The signature does not match the content.'], failedChecks: ['signature'] }),
  entry('grace@example.org', m('ethics-law', 2), { completed: '2024-12-31T23:59:59Z' }),
  entry('grace@example.org', m('ethics-2', 2), { issuer: ROGUE }),
  entry('grace@example.org', m('airway', 6, { tag: 'clinical' }), { verdict: 'invalid', flags: ['expired'], reasons: ['It expired.'], failedChecks: ['validity-period'], validUntil: '2025-09-01T00:00:00Z' }),
  // L3 Mary: everything on chain could not be checked, so her decision waits.
  entry('mary@example.org', m('acls', 20, { tag: 'clinical' }), { verdict: 'indeterminate', reasons: ['The registry could not be reached.'] }),
  // L4 Lister: suspended, and a credential for someone not on the roster.
  entry('did:key:z6MkLister', m('acls', 20, { tag: 'clinical' }), { verdict: 'invalid', flags: ['suspended'], reasons: ['The issuer suspended this credential.'], failedChecks: ['revocation'], statusReason: 'under review' }),
  entry('did:key:z6MkStranger', m('acls', 8, { tag: 'clinical' })),
  entry('nobody@example.org', m('acls', 8, { tag: 'clinical' })),
  { file: 'portfolio/notes.txt', verdict: 'not-credential', flags: [], reasons: ['Not a credential.'], failedChecks: [] },
];

describe('decideAudit over a hand-checked portfolio', () => {
  const result = decideAudit(policy, roster, entries);
  const of = (id: string) => result.licensees.find((d) => d.licensee.id === id)!;
  const reasons = (id: string) => Object.fromEntries([...of(id).counted, ...of(id).rejected].map((i) => [`${i.achievementId!.split('/').pop()}@${i.completedAt!.slice(0, 10)}`, i.rejection ?? `counted ${i.counted}`]));

  it('Ada is compliant: categories, the reading cap, uncategorised credits and a zero-credit module', () => {
    const ada = of('L1');
    expect(ada.decision).toBe('compliant');
    expect(ada.total).toBe(8 + 4 + 2 + 3 + 2 + 3);
    expect(ada.shortfall).toBe(0);
    expect(ada.categories).toEqual([
      { name: 'Clinical', credits: 12, min: 10, shortfall: 0 },
      { name: 'Ethics', credits: 2, min: 2, shortfall: 0 },
      { name: 'Reading', credits: 5, max: 5, shortfall: 0 },
    ]);
    expect(reasons('L1')).toEqual({
      'acls@2025-03-01': 'counted 8',
      'sepsis@2025-03-01': 'counted 4',
      'ethics-consent@2025-03-01': 'counted 2',
      'journal-1@2025-03-01': 'counted 3',
      'journal-2@2025-04-01': 'counted 2',
      'journal-3@2025-05-01': 'category-cap',
      'leadership@2025-03-01': 'counted 3',
      'bls@2025-03-01': 'no-credits',
    });
    expect(ada.counted.find((i) => i.achievementId?.endsWith('journal-2'))?.reason).toMatch(/Counted 2 of 3 CPD hours/);
  });

  it('Grace (matched by salted email hash) is not compliant, with every rejection in words', () => {
    const grace = of('L2');
    expect(grace.decision).toBe('non-compliant');
    expect(reasons('L2')).toEqual({
      'acls@2025-03-01': 'counted 8',
      'acls@2025-06-01': 'duplicate',
      'sepsis@2025-03-01': 'revoked',
      'trauma@2025-03-01': 'invalid',
      'ethics-law@2024-12-31': 'outside-cycle',
      'ethics-2@2025-03-01': 'issuer-not-accepted',
      'airway@2025-03-01': 'counted 6',
    });
    expect(grace.total).toBe(14);
    expect(grace.shortfall).toBe(6);
    expect(grace.categories.find((c) => c.name === 'Ethics')).toEqual({ name: 'Ethics', credits: 0, min: 2, shortfall: 2 });
    const byId = (suffix: string) => grace.rejected.find((i) => i.achievementId?.endsWith(suffix))!;
    expect(byId('sepsis').reason).toBe('Revoked by its issuer (reason: issued in error).');
    expect(byId('trauma').reason).toContain('The signature does not match the content.');
    expect(byId('ethics-2').reason).toContain('Rogue Academy');
    expect(grace.counted.find((i) => i.achievementId?.endsWith('airway'))!.reason).toMatch(/^Expired on 2025-09-01.*counted because the policy/);
    for (const i of [...grace.counted, ...grace.rejected]) expect(i.reason.trim()).not.toBe('');
  });

  it('a credential that could not be checked leaves the decision undetermined, never non-compliant', () => {
    expect(of('L3').decision).toBe('undetermined');
    expect(of('L3').rejected[0]!.reason).toBe('Could not be checked: The registry could not be reached.');
  });

  it('a suspended credential does not count; unmatched credentials and junk files are reported apart', () => {
    expect(of('L4').decision).toBe('non-compliant');
    expect(of('L4').rejected[0]).toMatchObject({ rejection: 'suspended', reason: 'Suspended by its issuer (reason: under review); it counts again if reinstated.' });
    expect(result.unmatched.map((i) => i.rejection)).toEqual(['not-matched', 'not-matched']);
    expect(result.notCredentials).toEqual(['portfolio/notes.txt']);
    expect(result.totals).toEqual({ compliant: 1, nonCompliant: 2, undetermined: 1, credentials: entries.length - 1 });
    expect(result.exitCode).toBe(1);
  });

  it('exit codes: 0 when all compliant, 3 when none is non-compliant but one is undetermined', () => {
    expect(decideAudit(policy, roster.slice(0, 1), entries).exitCode).toBe(0);
    expect(decideAudit(policy, [roster[0]!, roster[2]!], entries).exitCode).toBe(3);
  });

  it('without countExpired, an expired credential is rejected as expired', () => {
    const strict = parseAuditPolicy({ ...policy, countExpired: false });
    const grace = decideAudit(strict, roster, entries).licensees.find((d) => d.licensee.id === 'L2')!;
    expect(grace.rejected.find((i) => i.achievementId?.endsWith('airway'))?.rejection).toBe('expired');
  });
});

describe('policy and roster files', () => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return isMicrocredError(error) ? error.code : 'not a MicrocredError';
    }
    return undefined;
  };

  it('a policy with a misspelt field, a reversed cycle or no registry is refused, naming the field', () => {
    expect(code(() => parseAuditPolicy({ ...policy, requiredCredit: 20 }))).toBe('ERR_AUDIT_POLICY');
    expect(code(() => parseAuditPolicy({ ...policy, cycle: { start: '2025-12-31', end: '2025-01-01' } }))).toBe('ERR_AUDIT_POLICY');
    expect(code(() => parseAuditPolicy({ ...policy, acceptedRegistries: [] }))).toBe('ERR_AUDIT_POLICY');
    expect(() => parseAuditPolicy({ ...policy, categories: [{ name: 'X', match: {} }] })).toThrow(/categories\.0\.match/);
  });

  it('a roster row without email or DID, a repeated id or an unknown column is refused with its row number', () => {
    expect(() => parseRoster('licenseeId,name\nL1,Ada\n')).toThrow(/row 2: give an email or a did/);
    expect(() => parseRoster('licenseeId,did\nL1,did:key:a\nL1,did:key:b\n')).toThrow(/row 3: licenseeId L1 appears twice/);
    expect(() => parseRoster('licenseeId,mail\nL1,a@b.c\n')).toThrow(/unknown column/);
    expect(code(() => parseRoster('licenseeId,email\n'))).toBe('ERR_AUDIT_ROSTER');
  });
});

// The one sample completion record of the tests: every test that builds, signs or issues a credential starts here.

/**
 * A valid completion record (ACLS, hashed email, image, result, two-year validity from 2025-03-01); `overrides`
 * replaces top-level fields.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into the record loosely
export function sampleRecord(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    learner: { email: 'ada@example.org', name: 'Ada Lovelace' },
    module: {
      id: 'https://hospital.example/modules/acls',
      name: 'Advanced Cardiac Life Support',
      description: 'Recognition and treatment of cardiac arrest and other cardiopulmonary emergencies.',
      criteria: 'Completed the ACLS e-learning and passed the megacode simulation.',
      image: 'https://hospital.example/badges/acls.png',
      credits: 8,
    },
    completedAt: '2025-03-01T09:30:00Z',
    result: { status: 'Completed', value: '92%' },
    validFor: 'P2Y',
    ...overrides,
  };
}

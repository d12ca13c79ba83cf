// A completion record that builds, shared by the tests that issue credentials.

/** A valid completion record (ACLS, hashed email, two-year validity); override any top-level field. */
export function sampleRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    learner: { email: 'ada@example.org', name: 'Ada Lovelace' },
    module: {
      id: 'https://example.org/modules/acls',
      name: 'Advanced Cardiac Life Support',
      description: 'Recognition and treatment of cardiac arrest.',
      criteria: 'Passed the practical and written assessment.',
      credits: 8,
    },
    completedAt: '2025-02-28T09:30:00Z',
    validFor: 'P2Y',
    ...overrides,
  };
}

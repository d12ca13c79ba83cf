// The range of dates a credential may carry: JavaScript dates overflow and XSD dates have four-digit years.

/** Earliest completion or expiry date accepted (nothing issued today was completed before it). */
export const EARLIEST_CREDENTIAL_DATE = new Date('1900-01-01T00:00:00Z');
/** Latest date accepted: XSD date-times and VC verifiers expect a four-digit year. */
export const LATEST_CREDENTIAL_DATE = new Date('9999-12-31T23:59:59Z');

/** Why `date` is unusable in a credential, or null: not a date (a duration overflowed it) or outside 1900–9999. */
export function dateRangeProblem(date: Date): string | null {
  const time = date.getTime();
  if (!Number.isFinite(time)) return 'gives a date too far away to represent (use a shorter duration)';
  if (time < EARLIEST_CREDENTIAL_DATE.getTime()) return 'must not be before 1900-01-01';
  if (time > LATEST_CREDENTIAL_DATE.getTime()) return 'must not end after 9999-12-31T23:59:59Z';
  return null;
}

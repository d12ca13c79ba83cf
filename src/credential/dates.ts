// Date helpers for credentials: XSD date-time text and ISO 8601 duration arithmetic in UTC.
import { parse as parseDuration } from 'iso8601-duration';

/** `2025-03-01T09:30:00Z`: UTC, whole seconds (what VC verifiers print and compare). */
export function xsdDateTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Adds an ISO 8601 duration in UTC calendar terms (P2Y from 2024-02-29 gives 2026-03-01: JavaScript's Date rolls over). */
export function addDuration(start: Date, duration: string): Date {
  const d = parseDuration(duration);
  const out = new Date(start.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + (d.years ?? 0), out.getUTCMonth() + (d.months ?? 0), out.getUTCDate() + (d.weeks ?? 0) * 7 + (d.days ?? 0));
  out.setTime(out.getTime() + ((d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0)) * 1000);
  return out;
}

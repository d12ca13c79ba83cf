// Plain words for facts the checks report: dates a person reads, and the on-chain status reason numbers.
import { STATUS_REASON_CODES } from '../anchoring';

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** A time for a sentence, such as "2 March 2025 at 09:00 UTC" (the ISO form goes into the check's data). */
export function humanTime(at: Date | number): string {
  const date = typeof at === 'number' ? new Date(at * 1000) : at;
  return `${DATE.format(date)} UTC`;
}

const REASON_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'no reason given',
  issued_in_error: 'issued in error',
  superseded: 'replaced by a newer credential',
  misconduct: 'misconduct',
  expired: 'expired',
  holder_request: 'at the holder’s request',
  key_compromise: 'the issuer’s key was compromised',
  under_review: 'under review',
  resolved: 'resolved',
};

/** The reason word and its plain words for an on-chain status reason number (the issuer's published vocabulary). */
export function statusReasonWords(reason: number): { code: string; words: string } {
  const code = Object.keys(STATUS_REASON_CODES).find((word) => STATUS_REASON_CODES[word] === reason);
  if (code === undefined) return { code: `reason-${reason}`, words: `reason number ${reason}` };
  return { code, words: REASON_WORDS[code] ?? code.replace(/_/g, ' ') };
}

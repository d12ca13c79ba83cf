// The numeric reason codes written on chain for revoke/suspend/reinstate, mapped from the store's reason words.

/**
 * Reason words the issuer API accepts and the uint16 the registry stores for them. The contract never interprets
 * the number; this table is the issuer's published vocabulary (docs/anchoring.md). Codes are added, never changed.
 */
export const STATUS_REASON_CODES: Readonly<Record<string, number>> = {
  unspecified: 0,
  issued_in_error: 1,
  superseded: 2,
  misconduct: 3,
  expired: 4,
  holder_request: 5,
  key_compromise: 6,
  under_review: 7,
  resolved: 8,
};

/** The on-chain reason number for a reason word; unknown words (free text) are recorded as 0, unspecified. */
export function statusReasonNumber(reasonCode: string): number {
  return STATUS_REASON_CODES[reasonCode.trim().toLowerCase()] ?? 0;
}

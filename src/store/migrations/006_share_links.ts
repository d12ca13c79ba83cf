// Migration 6: share links: one unguessable id per credential, which the institution can turn off and on again.

/**
 * A share link opens `/c/{id}` on the issuer's public server. The id is 128 random bits in base64url (22 characters);
 * it is not derived from the credential, so knowing a credential tells nothing about its link. Disabling keeps the
 * row (enabled = 0), so re-enabling gives the same link back and a printed QR code works again.
 */
export const sql = `
CREATE TABLE share_links (
  id            TEXT PRIMARY KEY CHECK (length(id) = 22),
  credential_id TEXT NOT NULL UNIQUE REFERENCES credentials (id),
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at    TEXT NOT NULL,
  changed_at    TEXT NOT NULL
) STRICT;
`;

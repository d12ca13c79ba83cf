// Migration 2: Bitstring Status Lists: the lists' bits, their last signed form, and each credential's index in them.

/**
 * A list pair (revocation + suspension) belongs to one securing-form family (`di` or `jose`) and has a number; a
 * credential gets one index in a pair and both its entries use it. A slot row exists from the moment the index is
 * drawn (credential_id NULL until the credential is stored), so an index is never drawn twice, even after a crash.
 */
export const sql = `
CREATE TABLE status_lists (
  id               TEXT PRIMARY KEY,            -- e.g. di-1-revocation; the last path segment of its URL
  family           TEXT NOT NULL CHECK (family IN ('di', 'jose')),
  list_no          INTEGER NOT NULL CHECK (list_no >= 1),
  purpose          TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  size             INTEGER NOT NULL CHECK (size >= 131072),
  bits             BLOB NOT NULL,               -- the uncompressed bitstring, as @digitalbazaar/bitstring lays it out
  revision         INTEGER NOT NULL DEFAULT 1,  -- bumped in the transaction that flips a bit
  signed_revision  INTEGER,                     -- the revision signed_document was made from
  signed_document  TEXT,                        -- the last signed status list credential (JSON, or a compact JWS)
  signed_at        TEXT,
  created_at       TEXT NOT NULL,
  UNIQUE (family, list_no, purpose)
) STRICT;

CREATE TABLE status_slots (
  family        TEXT NOT NULL,
  list_no       INTEGER NOT NULL,
  idx           INTEGER NOT NULL CHECK (idx >= 0),
  credential_id TEXT UNIQUE,                    -- NULL: drawn, but its credential was never stored (the index stays used)
  reserved_at   TEXT NOT NULL,
  bound_at      TEXT,
  PRIMARY KEY (family, list_no, idx)
) STRICT;
`;

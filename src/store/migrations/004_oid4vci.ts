// Migration 4 (oid4vci): pre-authorized credential offers for wallets, and the nonces of their proofs of possession.

/**
 * An offer holds a completion record until a wallet redeems it; codes, PINs, access tokens and transaction ids are
 * kept only as SHA-256 hashes (the PIN's hash is keyed by the code, so a 6-digit PIN cannot be guessed from the table
 * alone). `credential_id` is UNIQUE and set once, which makes issuance idempotent by offer.
 */
export const sql = `
CREATE TABLE oid4vci_offers (
  id                TEXT PRIMARY KEY,             -- public offer id (random), for the API and the audit log
  code_hash         TEXT NOT NULL UNIQUE,         -- sha256(pre-authorized code)
  pin_hash          TEXT,                         -- sha256(code + ":" + PIN); NULL when the offer has no PIN
  pin_failures      INTEGER NOT NULL DEFAULT 0,
  configuration_id  TEXT NOT NULL,
  record            TEXT,                         -- the completion record (JSON); NULL once the credential is issued
  created_at        TEXT NOT NULL,
  expires_at        TEXT NOT NULL,
  token_hash        TEXT UNIQUE,                  -- sha256(access token); set once, when the code is redeemed
  token_expires_at  TEXT,
  redeemed_at       TEXT,
  holder_did        TEXT,
  credential_id     TEXT UNIQUE,
  transaction_hash  TEXT UNIQUE                   -- sha256(transaction_id) of the deferred credential request
) STRICT;

CREATE TABLE oid4vci_nonces (
  nonce_hash  TEXT PRIMARY KEY,                   -- sha256(c_nonce)
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;
CREATE INDEX oid4vci_nonces_expiry ON oid4vci_nonces (expires_at);
`;

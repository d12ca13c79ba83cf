// Migration 1: the issuer's tables (keys, learners, credentials, batches, status changes, tokens, idempotency, audit).

/** Times are ISO-8601 UTC text ("2025-01-02T03:04:05.678Z"), which sorts the same as the instants. */
export const sql = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE issuer_keys (
  id             TEXT PRIMARY KEY,
  kid            TEXT NOT NULL UNIQUE,          -- verification method id, e.g. did:key:z6Mk...#z6Mk...
  controller     TEXT NOT NULL,                 -- the issuer DID
  algorithm      TEXT NOT NULL,                 -- e.g. Ed25519, ES256
  public_json    TEXT NOT NULL,
  private_sealed TEXT NOT NULL,                 -- AES-256-GCM box (src/store/crypto.ts), never plain
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at     TEXT NOT NULL,
  retired_at     TEXT
) STRICT;
-- One signing key per issuer and algorithm; retired keys stay so old credentials keep verifying.
CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys (controller, algorithm) WHERE active = 1;

-- Learner PII lives here only, so erasure deletes one row and no credential changes.
CREATE TABLE learners (
  id          TEXT PRIMARY KEY,
  email       TEXT,                             -- normalised (trimmed, lower case)
  name        TEXT,
  external_id TEXT,
  created_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX learners_email ON learners (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX learners_external_id ON learners (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE batches (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  state        TEXT NOT NULL CHECK (state IN ('open', 'sealed', 'submitted', 'anchored', 'failed')),
  root         TEXT UNIQUE,
  leaf_count   INTEGER NOT NULL DEFAULT 0,
  opened_at    TEXT NOT NULL,
  closed_at    TEXT,                            -- set when an open batch is full and takes no more leaves
  sealed_at    TEXT,
  tx_hash      TEXT,
  tx_nonce     INTEGER,
  submitted_at TEXT,
  block_number INTEGER,
  anchored_at  TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  CHECK (state = 'open' OR root IS NOT NULL)
) STRICT;
-- At most one batch accepts new leaves at any time.
CREATE UNIQUE INDEX batches_one_accepting ON batches (state) WHERE state = 'open' AND closed_at IS NULL;
CREATE INDEX batches_state ON batches (state, id);

CREATE TABLE credentials (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- insertion order: leaf order in a batch and the list cursor
  id           TEXT NOT NULL UNIQUE CHECK (id LIKE 'urn:uuid:%'),
  format       TEXT NOT NULL CHECK (format IN ('di', 'jose')),
  document     TEXT NOT NULL,                   -- signed JSON (di) or compact JWS (jose), exactly as issued
  leaf         TEXT NOT NULL UNIQUE CHECK (length(leaf) = 66 AND substr(leaf, 1, 2) = '0x'),
  module_id    TEXT NOT NULL,
  learner_ref  TEXT NOT NULL,                   -- holder DID or salted hash, as in the credential; never an email
  learner_id   TEXT REFERENCES learners (id) ON DELETE SET NULL,
  issued_at    TEXT NOT NULL,
  batch_id     INTEGER NOT NULL REFERENCES batches (id),
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'suspended')),
  anchor_proof TEXT
) STRICT;
CREATE INDEX credentials_batch ON credentials (batch_id, seq);
CREATE INDEX credentials_module ON credentials (module_id, seq);
CREATE INDEX credentials_learner ON credentials (learner_id, seq);
CREATE INDEX credentials_learner_ref ON credentials (learner_ref, seq);
CREATE INDEX credentials_issued_at ON credentials (issued_at);

CREATE TABLE status_changes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  credential_id TEXT NOT NULL REFERENCES credentials (id),
  action        TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'reinstate')),
  reason_code   TEXT NOT NULL,
  reason_text   TEXT,
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'submitted', 'done', 'failed')),
  tx_hash       TEXT,
  tx_nonce      INTEGER,
  block_number  INTEGER,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  actor         TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  submitted_at  TEXT,
  done_at       TEXT
) STRICT;
CREATE INDEX status_changes_credential ON status_changes (credential_id, id);
CREATE INDEX status_changes_state ON status_changes (state, id);

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,            -- sha-256 hex of the whole presented token
  scopes       TEXT NOT NULL,                   -- JSON array
  created_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT
) STRICT;

CREATE TABLE idempotency_keys (
  token_id        TEXT NOT NULL,
  key             TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  locked_until    TEXT,                         -- a pending claim older than this was abandoned (crash) and may be taken over
  response_status INTEGER,
  response_body   TEXT,
  created_at      TEXT NOT NULL,
  completed_at    TEXT,
  PRIMARY KEY (token_id, key)
) STRICT;

CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  ts      TEXT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL DEFAULT '{}'            -- JSON; never learner PII, so erasure need not touch it
) STRICT;
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
`;

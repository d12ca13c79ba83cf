// Migration 3: the delivery outbox: one job per credential and channel (webhook, email), sent after anchoring.

/**
 * A job is written in the same transaction that marks its credential's batch anchored, and (credential, channel) is
 * unique, so a credential anchored again (a reorganisation, a restarted development chain) is never delivered twice.
 * States: pending → sending (written before the send) → sent; a failed try goes back to pending with a later
 * next_attempt_at, and after the last try to failed (an operator retries it).
 */
export const sql = `
CREATE TABLE delivery_jobs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  credential_id   TEXT NOT NULL REFERENCES credentials (id),
  channel         TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sending_at      TEXT,
  sent_at         TEXT,
  UNIQUE (credential_id, channel)
) STRICT;
CREATE INDEX delivery_jobs_due ON delivery_jobs (state, next_attempt_at, id);
`;

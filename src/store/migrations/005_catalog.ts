// Migration 5: the module catalog: modules, their versions, uploaded badge images and attached endorsements.

/**
 * A module is defined once and edited by adding a version (a credential names the version it was issued with, so an
 * edit never changes what was signed). Images are stored by the SHA-256 of their bytes, so their URL never changes
 * meaning and can be cached for ever. Endorsements are signed credentials of an accrediting body, kept as sent.
 */
export const sql = `
CREATE TABLE modules (
  id              TEXT PRIMARY KEY,             -- the achievement id (a URL or urn)
  current_version INTEGER NOT NULL CHECK (current_version >= 1),
  retired_at      TEXT,                         -- set: no new credential may be issued for it
  created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE module_versions (
  module_id   TEXT NOT NULL REFERENCES modules (id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  definition  TEXT NOT NULL,                    -- JSON: name, description, criteria, image, credits, alignments, tags, ...
  created_at  TEXT NOT NULL,
  actor       TEXT NOT NULL,
  PRIMARY KEY (module_id, version)
) STRICT;

CREATE TABLE module_images (
  sha256       TEXT PRIMARY KEY,                -- lower-case hex of the bytes; the image's URL is named by it
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
  bytes        BLOB NOT NULL,
  created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE module_endorsements (
  module_id      TEXT NOT NULL REFERENCES modules (id),
  endorsement_id TEXT NOT NULL,                 -- the EndorsementCredential's id
  endorser       TEXT NOT NULL,                 -- its issuer DID
  document       TEXT NOT NULL,                 -- the endorsement as sent (JSON), with its proofs
  attached_at    TEXT NOT NULL,
  PRIMARY KEY (module_id, endorsement_id)
) STRICT;
`;

// The module catalog's rows: modules with numbered versions, content-addressed images and attached endorsements.
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { isUniqueViolation, nowIso, parseJsonObject, type StoreContext } from './context';

/** One version of a module: its definition as the catalog validated it (JSON object). */
export interface ModuleVersionRow {
  moduleId: string;
  version: number;
  definition: Record<string, unknown>;
  createdAt: string;
  actor: string;
}

/** A module with its current version. */
export interface ModuleRow {
  id: string;
  currentVersion: number;
  retiredAt: string | null;
  createdAt: string;
  current: ModuleVersionRow;
}

/** A stored badge image. */
export interface ModuleImageRow {
  sha256: string;
  contentType: 'image/png' | 'image/jpeg' | 'image/svg+xml';
  bytes: Buffer;
}

/** An endorsement attached to a module. */
export interface ModuleEndorsementRow {
  moduleId: string;
  endorsementId: string;
  endorser: string;
  document: Record<string, unknown>;
  attachedAt: string;
}

interface ModuleDbRow {
  id: string;
  current_version: number;
  retired_at: string | null;
  created_at: string;
}
interface VersionDbRow {
  module_id: string;
  version: number;
  definition: string;
  created_at: string;
  actor: string;
}
interface EndorsementDbRow {
  module_id: string;
  endorsement_id: string;
  endorser: string;
  document: string;
  attached_at: string;
}

const toVersion = (row: VersionDbRow): ModuleVersionRow => ({ moduleId: row.module_id, version: row.version, definition: parseJsonObject(row.definition), createdAt: row.created_at, actor: row.actor });

function notFound(id: string): MicrocredError {
  return new MicrocredError('ERR_MODULE_NOT_FOUND', `No module ${id} is in the catalog; add it first (microcred module add, or POST /v1/modules).`, { details: { moduleId: id } });
}

/** Module rows over one connection; every write is one transaction and one audit entry. */
export class Modules {
  constructor(private readonly ctx: StoreContext, private readonly audit: AuditLog) {}

  /** Adds a module at version 1; ERR_MODULE_EXISTS when the id is taken (edit it instead). */
  add(id: string, definition: Record<string, unknown>, actor: string): ModuleRow {
    return this.ctx.db.transaction((): ModuleRow => {
      const at = nowIso(this.ctx);
      try {
        this.ctx.db.prepare('INSERT INTO modules (id, current_version, retired_at, created_at) VALUES (?, 1, NULL, ?)').run(id, at);
      } catch (error) {
        if (isUniqueViolation(error)) throw new MicrocredError('ERR_MODULE_EXISTS', `The module ${id} is already in the catalog; edit it to make a new version.`, { details: { moduleId: id } });
        throw error;
      }
      this.ctx.db.prepare('INSERT INTO module_versions (module_id, version, definition, created_at, actor) VALUES (?, 1, ?, ?, ?)').run(id, JSON.stringify(definition), at, actor);
      this.audit.append({ actor, action: 'module.add', subject: id, details: { version: 1 } });
      return this.require(id);
    }).immediate();
  }

  /** Stores a new version as the current one (earlier versions stay, as issued credentials name them). */
  edit(id: string, definition: Record<string, unknown>, actor: string): ModuleRow {
    return this.ctx.db.transaction((): ModuleRow => {
      const module = this.require(id);
      const version = module.currentVersion + 1;
      this.ctx.db.prepare('INSERT INTO module_versions (module_id, version, definition, created_at, actor) VALUES (?, ?, ?, ?, ?)').run(id, version, JSON.stringify(definition), nowIso(this.ctx), actor);
      this.ctx.db.prepare('UPDATE modules SET current_version = ? WHERE id = ?').run(version, id);
      this.audit.append({ actor, action: 'module.edit', subject: id, details: { version } });
      return this.require(id);
    }).immediate();
  }

  /** Retires a module: no credential is issued for it any more; those issued keep verifying. Idempotent. */
  retire(id: string, actor: string): ModuleRow {
    return this.ctx.db.transaction((): ModuleRow => {
      const module = this.require(id);
      if (module.retiredAt !== null) return module;
      this.ctx.db.prepare('UPDATE modules SET retired_at = ? WHERE id = ?').run(nowIso(this.ctx), id);
      this.audit.append({ actor, action: 'module.retire', subject: id });
      return this.require(id);
    }).immediate();
  }

  /** One module with its current version, or null. */
  get(id: string): ModuleRow | null {
    const row = this.ctx.db.prepare<[string], ModuleDbRow>('SELECT * FROM modules WHERE id = ?').get(id);
    if (row === undefined) return null;
    return { id: row.id, currentVersion: row.current_version, retiredAt: row.retired_at, createdAt: row.created_at, current: this.version(id, row.current_version)! };
  }

  /** One module; ERR_MODULE_NOT_FOUND. */
  require(id: string): ModuleRow {
    const module = this.get(id);
    if (module === null) throw notFound(id);
    return module;
  }

  /** One version of a module, or null. */
  version(id: string, version: number): ModuleVersionRow | null {
    const row = this.ctx.db.prepare<[string, number], VersionDbRow>('SELECT * FROM module_versions WHERE module_id = ? AND version = ?').get(id, version);
    return row === undefined ? null : toVersion(row);
  }

  /** Every version of a module, oldest first. */
  versions(id: string): ModuleVersionRow[] {
    return this.ctx.db.prepare<[string], VersionDbRow>('SELECT * FROM module_versions WHERE module_id = ? ORDER BY version').all(id).map(toVersion);
  }

  /** Every module (retired ones only when asked), by id. */
  list(options: { includeRetired?: boolean } = {}): ModuleRow[] {
    const rows = this.ctx.db.prepare<[], ModuleDbRow>(`SELECT * FROM modules ${options.includeRetired === true ? '' : 'WHERE retired_at IS NULL'} ORDER BY id`).all();
    return rows.map((row) => ({ id: row.id, currentVersion: row.current_version, retiredAt: row.retired_at, createdAt: row.created_at, current: this.version(row.id, row.current_version)! }));
  }

  /** Stores an image under the SHA-256 of its bytes (the same bytes twice are stored once). */
  putImage(image: ModuleImageRow): void {
    this.ctx.db.prepare('INSERT OR IGNORE INTO module_images (sha256, content_type, bytes, created_at) VALUES (?, ?, ?, ?)').run(image.sha256, image.contentType, image.bytes, nowIso(this.ctx));
  }

  /** An image by its SHA-256, or null. */
  image(sha256: string): ModuleImageRow | null {
    const row = this.ctx.db.prepare<[string], { sha256: string; content_type: ModuleImageRow['contentType']; bytes: Buffer }>('SELECT sha256, content_type, bytes FROM module_images WHERE sha256 = ?').get(sha256);
    return row === undefined ? null : { sha256: row.sha256, contentType: row.content_type, bytes: row.bytes };
  }

  /** Attaches (or replaces, by its id) an endorsement of a module. */
  attachEndorsement(input: Omit<ModuleEndorsementRow, 'attachedAt'>, actor: string): ModuleEndorsementRow {
    return this.ctx.db.transaction((): ModuleEndorsementRow => {
      this.require(input.moduleId);
      const at = nowIso(this.ctx);
      this.ctx.db
        .prepare('INSERT OR REPLACE INTO module_endorsements (module_id, endorsement_id, endorser, document, attached_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.moduleId, input.endorsementId, input.endorser, JSON.stringify(input.document), at);
      this.audit.append({ actor, action: 'module.endorse', subject: input.moduleId, details: { endorsementId: input.endorsementId, endorser: input.endorser } });
      return { ...input, attachedAt: at };
    }).immediate();
  }

  /** The endorsements attached to a module, oldest first. */
  endorsementsOf(moduleId: string): ModuleEndorsementRow[] {
    return this.ctx.db
      .prepare<[string], EndorsementDbRow>('SELECT * FROM module_endorsements WHERE module_id = ? ORDER BY attached_at, endorsement_id')
      .all(moduleId)
      .map((row) => ({ moduleId: row.module_id, endorsementId: row.endorsement_id, endorser: row.endorser, document: parseJsonObject(row.document), attachedAt: row.attached_at }));
  }
}

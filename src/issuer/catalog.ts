// The module catalog: modules defined once, versioned on every edit, with images and endorsements; fills records by moduleId.
import { invalidRecord, type AchievementExtras, type RecordIssue } from '../credential';
import { isMicrocredError, MicrocredError } from '../errors';
import { isObject } from '../json';
import type { CatalogStore, ModuleImageRow, ModuleRow } from '../store';
import { checkEndorsementFor } from './endorsement';
import { achievementExtrasOf, IMAGE_REF, invalidModule, parseModuleDefinition, recordModuleOf, type ModuleDefinition } from './module-definition';
import { checkImage, imagePath, type ImageContentType } from './module-image';
import { moduleCsvColumnOf, parseModuleCsv } from './module-csv';

/** Options of {@link createModuleCatalog}. */
export interface ModuleCatalogOptions {
  readonly store: CatalogStore;
  /** The issuer's public base URL: uploaded images are served below it (read when a URL is made). */
  readonly baseUrl: () => string;
}

/** A module as the API and the CLI show it. */
export interface ModuleView {
  id: string;
  version: number;
  retired: boolean;
  retiredAt: string | null;
  createdAt: string;
  definition: ModuleDefinition;
  /** The badge image's URL (an uploaded image's served URL, or the URL given). */
  imageUrl?: string;
  endorsements: Array<{ id: string; endorser: string; attachedAt: string }>;
}

/** An uploaded image: its reference for a definition (`sha256:<hex>`) and its public URL. */
export interface UploadedImage {
  ref: string;
  sha256: string;
  contentType: ImageContentType;
  url: string;
}

/** A completion record with its module filled from the catalog, and the achievement fields the module adds. */
export interface ResolvedRecord {
  record: unknown;
  extras?: AchievementExtras;
}

/** The outcome of one module CSV row. */
export type ModuleImportRow =
  | { row: number; status: 'added' | 'edited' | 'unchanged'; id: string; version: number }
  | { row: number; status: 'invalid'; errors: RecordIssue[] }
  | { row: number; status: 'failed'; code: string; message: string };

/** The outcome of a module CSV import. */
export interface ModuleImportOutcome {
  imported: number;
  failed: number;
  rows: ModuleImportRow[];
}

/** The catalog's operations (docs/catalog.md; HTTP forms in docs/api.md, commands in docs/cli.md). */
export interface ModuleCatalog {
  /** Adds a module at version 1: ERR_MODULE_INVALID, ERR_MODULE_EXISTS, ERR_MODULE_NOT_FOUND for an unknown image ref. */
  add(input: unknown, actor: string): ModuleView;
  /** Changes some fields (null removes an optional one) and stores the result as a new version; no change, no version. */
  edit(id: string, changes: unknown, actor: string): ModuleView;
  /** Retires a module: it can no longer be issued; issued credentials are untouched. */
  retire(id: string, actor: string): ModuleView;
  list(options?: { includeRetired?: boolean }): ModuleView[];
  /** One module at its current (or a given) version; ERR_MODULE_NOT_FOUND. */
  show(id: string, version?: number): ModuleView & { versions: number[] };
  /** Stores an uploaded image after checking its bytes (ERR_IMAGE_INVALID, ERR_IMAGE_TOO_LARGE). */
  uploadImage(bytes: Buffer): UploadedImage;
  /** A stored image by its SHA-256, or null. */
  image(sha256: string): ModuleImageRow | null;
  /** Attaches a signed EndorsementCredential about the module (ERR_ENDORSEMENT_INVALID); credentials issued after carry it. */
  endorse(moduleId: string, endorsement: unknown, actor: string): ModuleView;
  /** Adds or edits (a new version when something changed) one module per CSV row; bad rows are reported by row and column. */
  importCsv(text: string, actor: string): ModuleImportOutcome;
  /** Fills a record's `module` from its `moduleId`; ERR_INVALID_RECORD (field moduleId) for an unknown or retired module. */
  resolve(record: unknown): ResolvedRecord;
}

const OPTIONAL_FIELDS = new Set(['image', 'credits', 'creditUnit', 'alignments', 'tags', 'accreditation']);

/** Builds the catalog over the store. */
export function createModuleCatalog(options: ModuleCatalogOptions): ModuleCatalog {
  const { modules } = options.store;
  const urlOfRef = (ref: string): string => {
    const sha256 = ref.slice('sha256:'.length);
    const image = modules.image(sha256);
    return `${options.baseUrl().replace(/\/+$/, '')}${imagePath(sha256, image?.contentType ?? 'image/png')}`;
  };

  function view(row: ModuleRow, version = row.currentVersion): ModuleView {
    const chosen = version === row.currentVersion ? row.current : modules.version(row.id, version);
    if (chosen === null) throw new MicrocredError('ERR_MODULE_NOT_FOUND', `The module ${row.id} has no version ${version}; it has versions 1 to ${row.currentVersion}.`, { details: { moduleId: row.id, version } });
    const definition = chosen.definition as ModuleDefinition;
    const image = definition.image;
    return {
      id: row.id,
      version: chosen.version,
      retired: row.retiredAt !== null,
      retiredAt: row.retiredAt,
      createdAt: row.createdAt,
      definition,
      ...(image === undefined ? {} : { imageUrl: IMAGE_REF.test(image) ? urlOfRef(image) : image }),
      endorsements: modules.endorsementsOf(row.id).map((e) => ({ id: e.endorsementId, endorser: e.endorser, attachedAt: e.attachedAt })),
    };
  }

  function checked(input: unknown): ModuleDefinition {
    const definition = parseModuleDefinition(input);
    if (definition.image !== undefined && IMAGE_REF.test(definition.image) && modules.image(definition.image.slice(7)) === null) {
      throw invalidModule([{ field: 'image', message: `names no uploaded image; upload it first (microcred module add --image FILE, or POST /v1/modules/images)` }]);
    }
    return definition;
  }

  function add(input: unknown, actor: string): ModuleView {
    const definition = checked(input);
    return view(modules.add(definition.id, definition, actor));
  }

  function edit(id: string, changes: unknown, actor: string): ModuleView {
    const current = modules.require(id);
    if (!isObject(changes)) throw invalidModule([{ field: '(module)', message: 'must be an object of the fields to change' }]);
    if (changes.id !== undefined && changes.id !== id) throw invalidModule([{ field: 'id', message: 'cannot change: add a new module instead, and retire this one' }]);
    const merged: Record<string, unknown> = { ...current.current.definition };
    for (const [field, value] of Object.entries(changes)) {
      if (value === null && OPTIONAL_FIELDS.has(field)) delete merged[field];
      else merged[field] = value;
    }
    const definition = checked(merged);
    if (JSON.stringify(definition) === JSON.stringify(current.current.definition)) return view(current);
    return view(modules.edit(id, definition, actor));
  }

  return {
    add,
    edit,
    importCsv(text, actor) {
      const rows: ModuleImportRow[] = [];
      for (const { row, input, issues } of parseModuleCsv(text)) {
        if (issues !== undefined) {
          rows.push({ row, status: 'invalid', errors: issues });
          continue;
        }
        try {
          const id = typeof input.id === 'string' ? input.id : '';
          const existing = id === '' ? null : modules.get(id);
          if (existing === null) {
            const added = add(input, actor);
            rows.push({ row, status: 'added', id: added.id, version: added.version });
          } else {
            // A row is the whole module: columns left empty remove the optional field.
            const changes: Record<string, unknown> = { ...input };
            for (const field of OPTIONAL_FIELDS) if (!(field in changes)) changes[field] = null;
            const edited = edit(id, changes, actor);
            rows.push({ row, status: edited.version === existing.currentVersion ? 'unchanged' : 'edited', id, version: edited.version });
          }
        } catch (error) {
          const found = isMicrocredError(error, 'ERR_MODULE_INVALID') ? error.details.issues : undefined;
          if (Array.isArray(found)) rows.push({ row, status: 'invalid', errors: (found as RecordIssue[]).map((i) => ({ field: moduleCsvColumnOf(i.field), message: i.message })) });
          else if (isMicrocredError(error)) rows.push({ row, status: 'failed', code: error.code, message: error.message });
          else throw error;
        }
      }
      const imported = rows.filter((r) => r.status === 'added' || r.status === 'edited' || r.status === 'unchanged').length;
      return { imported, failed: rows.length - imported, rows };
    },
    retire: (id, actor) => view(modules.retire(id, actor)),
    list: (opts = {}) => modules.list(opts).map((row) => view(row)),
    show(id, version) {
      const row = modules.require(id);
      return { ...view(row, version ?? row.currentVersion), versions: modules.versions(id).map((v) => v.version) };
    },
    uploadImage(bytes) {
      const image = checkImage(bytes);
      modules.putImage({ sha256: image.sha256, contentType: image.contentType, bytes: image.bytes });
      return { ref: `sha256:${image.sha256}`, sha256: image.sha256, contentType: image.contentType, url: urlOfRef(`sha256:${image.sha256}`) };
    },
    image: (sha256) => modules.image(sha256),
    endorse(moduleId, endorsement, actor) {
      modules.require(moduleId);
      const accepted = checkEndorsementFor(moduleId, endorsement);
      modules.attachEndorsement({ moduleId, ...accepted }, actor);
      return view(modules.require(moduleId));
    },
    resolve(record) {
      if (!isObject(record) || typeof record.moduleId !== 'string') return { record };
      const { moduleId, ...rest } = record;
      // With both given the record's own schema reports it; filling `module` here would hide that.
      if (rest.module !== undefined) return { record };
      const module = modules.get(moduleId);
      if (module === null) throw invalidRecord([{ field: 'moduleId', message: `names no module in the catalog (add ${moduleId} first, or check the id)` }]);
      if (module.retiredAt !== null) throw invalidRecord([{ field: 'moduleId', message: `names a module retired on ${module.retiredAt.slice(0, 10)}; it can no longer be issued` }]);
      const definition = module.current.definition as ModuleDefinition;
      const endorsements = modules.endorsementsOf(moduleId).map((e) => e.document);
      return { record: { ...rest, module: recordModuleOf(definition, urlOfRef) }, extras: achievementExtrasOf(definition, module.currentVersion, endorsements) };
    },
  };
}

// Exports the final form of credentials: anchored, with their anchor proof, as files named for people to read.
import { anchoredCredential } from '../anchoring';
import { achievementNameOf, learnerNameOf } from '../credential';
import { checkRenderOptions, extensionOf, prepareExportFolder, renderExport, uniqueExportNames, writeExportFile, type ExportRenderOptions } from '../delivery';
import { MicrocredError } from '../errors';
import type { CredentialRow, ExportStore } from '../store';
import { anchorStateOf, credentialStateOf, type CredentialState } from './credential-state';
import type { ExportMissing, ExportTarget } from './export-select';

/** Where and how to export. */
export interface ExportOptions extends ExportRenderOptions {
  /** The output folder (created when missing). */
  readonly dir: string;
  /**
   * A file of the same name already in the folder: `refuse` (default) stops before writing anything, `replace`
   * overwrites it (--force), `avoid` picks a longer name (issue --wait, whose credentials are new).
   */
  readonly existing?: 'refuse' | 'replace' | 'avoid';
  /**
   * With `pdf`: the issuer's own certificate of a credential (its QR code opening the share link, the configured logo
   * and paper), used instead of a certificate linking to `verifierUrl`.
   */
  readonly certificateFor?: (credentialId: string) => Promise<Uint8Array>;
}

/** One file written. */
export interface ExportedFile {
  readonly credentialId: string;
  readonly row?: number;
  readonly file: string;
  readonly learnerName: string | null;
  readonly achievement: string | null;
}

/** A selected credential that was not written, and why: only the anchored, active form is ever handed out. */
export interface NotExported {
  readonly credentialId: string;
  readonly row?: number;
  readonly state: Exclude<CredentialState, 'anchored'>;
  readonly batchId: number;
  readonly reason: string;
}

/** What an export did. */
export interface ExportReport {
  readonly dir: string;
  readonly format: ExportOptions['format'];
  readonly written: ExportedFile[];
  readonly notExported: NotExported[];
  readonly missing: ExportMissing[];
}

function reasonOf(row: CredentialRow, state: NotExported['state']): string {
  if (state === 'revoked') return 'revoked: it verifies as invalid, so it is not handed out';
  if (state === 'suspended') return 'suspended: reinstate it first';
  return row.batchState === 'failed'
    ? `batch ${row.batchId} failed to anchor and waits for an operator (microcred anchor retries it)`
    : `batch ${row.batchId} is not anchored yet (${row.batchState}); export again once it is`;
}

function documentOf(row: CredentialRow): Record<string, unknown> | string {
  return row.format === 'jose' ? row.document : (JSON.parse(row.document) as Record<string, unknown>);
}

/**
 * Writes every anchored, active credential of `targets` into `options.dir` as `Learner_Module_shortid.<format>`, and
 * lists the others (pending anchor, revoked, suspended) without writing them. The folder is checked, and every name
 * chosen and checked against it, before the first file is rendered. Throws ERR_EXPORT_OUTPUT or ERR_EXPORT_OPTIONS.
 */
export async function exportCredentials(store: ExportStore, selected: { targets: readonly ExportTarget[]; missing: readonly ExportMissing[] }, options: ExportOptions): Promise<ExportReport> {
  checkRenderOptions(options);
  const existing = prepareExportFolder(options.dir);
  const mode = options.existing ?? 'refuse';
  const ready: Array<{ target: ExportTarget; row: CredentialRow; facts: { credentialId: string; learnerName: string | null; achievement: string | null } }> = [];
  const notExported: NotExported[] = [];
  const missing: ExportMissing[] = [...selected.missing];
  for (const target of selected.targets) {
    const row = store.getCredential(target.credentialId);
    if (row === null) {
      missing.push({ reference: target.credentialId, ...(target.row === undefined ? {} : { row: target.row }), reason: 'no credential with this id was issued here' });
      continue;
    }
    const state = credentialStateOf(row.status, anchorStateOf(row));
    if (state !== 'anchored') {
      notExported.push({ credentialId: row.id, ...(target.row === undefined ? {} : { row: target.row }), state, batchId: row.batchId, reason: reasonOf(row, state) });
      continue;
    }
    const document = documentOf(row);
    const learnerName = learnerNameOf(document) ?? (row.learnerId === null ? null : (store.getLearner(row.learnerId)?.name ?? null));
    ready.push({ target, row, facts: { credentialId: row.id, learnerName, achievement: achievementNameOf(document) } });
  }
  const ext = extensionOf(options.format);
  const names = uniqueExportNames(
    ready.map((r) => r.facts),
    ext,
    mode === 'avoid' ? existing : [],
  );
  if (mode === 'refuse') {
    const present = new Set(existing.map((n) => n.toLowerCase()));
    const clashes = names.filter((n) => present.has(n.toLowerCase()));
    if (clashes.length > 0) {
      throw new MicrocredError('ERR_EXPORT_OUTPUT', `${clashes.length} of the files already exist in ${options.dir} (first: ${clashes[0]}); nothing was written. Pass --force to replace them, or choose another --out folder.`, {
        details: { existing: clashes.slice(0, 20) },
      });
    }
  }
  const written: ExportedFile[] = [];
  for (const [i, { target, row, facts }] of ready.entries()) {
    // anchorStateOf said anchored: the batch is anchored and the anchor proof is stored, so this is never null.
    const content = options.format === 'pdf' && options.certificateFor !== undefined ? await options.certificateFor(row.id) : await renderExport(anchoredCredential(row) as Record<string, unknown>, options);
    const file = writeExportFile(options.dir, names[i] as string, content, { replace: mode === 'replace' });
    written.push({ credentialId: row.id, ...(target.row === undefined ? {} : { row: target.row }), file, learnerName: facts.learnerName, achievement: facts.achievement });
  }
  return { dir: options.dir, format: options.format, written, notExported, missing };
}

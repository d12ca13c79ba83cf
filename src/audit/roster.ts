// The roster of licensees an audit decides for: id, name, and the email or DID their credentials are matched by.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { MicrocredError } from '../errors';

/** One licensee. */
export interface Licensee {
  readonly id: string;
  readonly name?: string;
  /** Matched against Open Badges hashed email identities (salted SHA-256). */
  readonly email?: string;
  /** Matched against credentialSubject.id. */
  readonly did?: string;
}

const COLUMNS = ['licenseeId', 'name', 'email', 'did'] as const;

/**
 * Parses a roster CSV with a header row: `licenseeId` (required), `name`, `email`, `did` (each row needs an email or
 * a DID). Throws ERR_AUDIT_ROSTER naming the row and column to fix.
 */
export function parseRoster(text: string, source = 'the roster'): Licensee[] {
  let rows: Record<string, string>[];
  try {
    rows = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (cause) {
    throw new MicrocredError('ERR_AUDIT_ROSTER', `${source} is not a readable CSV: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause });
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const licensees = rows.map((row, i) => {
    const line = i + 2;
    const unknown = Object.keys(row).filter((k) => !(COLUMNS as readonly string[]).includes(k));
    if (unknown.length > 0) problems.push(`row ${line}: unknown column(s) ${unknown.join(', ')} (expected ${COLUMNS.join(', ')})`);
    const id = row.licenseeId ?? '';
    if (id === '') problems.push(`row ${line}: licenseeId is empty`);
    else if (seen.has(id)) problems.push(`row ${line}: licenseeId ${id} appears twice`);
    seen.add(id);
    const email = row.email || undefined;
    const did = row.did || undefined;
    if (email === undefined && did === undefined) problems.push(`row ${line}: give an email or a did to match credentials by`);
    if (did !== undefined && !/^did:[a-z0-9]+:\S+$/.test(did)) problems.push(`row ${line}: did "${did}" is not a DID`);
    return { id, ...(row.name ? { name: row.name } : {}), ...(email ? { email } : {}), ...(did ? { did } : {}) };
  });
  if (rows.length === 0) problems.push('it has no licensee rows');
  if (problems.length > 0) throw new MicrocredError('ERR_AUDIT_ROSTER', `${source} cannot be used: ${problems.slice(0, 20).join('; ')}.`, { details: { problems } });
  return licensees;
}

/** Reads and parses a roster file; throws ERR_AUDIT_ROSTER for a missing file or bad rows. */
export async function loadRoster(file: string): Promise<Licensee[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MicrocredError('ERR_AUDIT_ROSTER', `Cannot read the roster "${file}": check the path.`, { cause, details: { path: file } });
  }
  return parseRoster(text, `The roster "${file}"`);
}

// Status lists saved in a folder: written by `microcred status export`, read by `microcred verify --status-lists`.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import type { StatusListFetcher } from '../verify';
import type { PublishedStatusList } from './publish';

/** The file a list is saved as: `<id>.json` (Data Integrity) or `<id>.jwt` (VC-JOSE). */
export function statusListFileName(list: Pick<PublishedStatusList, 'id' | 'family'>): string {
  return `${list.id}.${list.family === 'jose' ? 'jwt' : 'json'}`;
}

/** Writes each signed list into `folder` (created when missing); returns the paths written. */
export function writeStatusListFolder(folder: string, lists: readonly PublishedStatusList[]): string[] {
  mkdirSync(folder, { recursive: true });
  return lists.map((list) => {
    const file = path.join(folder, statusListFileName(list));
    writeFileSync(file, list.body);
    return file;
  });
}

/** The `id` a saved list states (its URL), from JSON or from a JWS payload; undefined when it states none. */
function idOf(list: unknown): string | undefined {
  let credential = list;
  if (typeof list === 'string') credential = JSON.parse(Buffer.from(list.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
  const id = (credential as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Reads every `.json` / `.jwt` list in `folder` and answers for the URLs they state as their `id`, with no network;
 * other URLs are unavailable. ERR_STATUS_LIST_FOLDER when the folder or a file in it cannot be read.
 */
export function statusListFolderFetcher(folder: string): StatusListFetcher {
  const lists = new Map<string, unknown>();
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json') || name.endsWith('.jwt'));
  } catch (cause) {
    throw new MicrocredError('ERR_STATUS_LIST_FOLDER', `Cannot read the status list folder ${folder}; give the folder \`microcred status export\` wrote.`, { cause });
  }
  for (const name of names) {
    const text = readFileSync(path.join(folder, name), 'utf8').trim();
    try {
      const list: unknown = name.endsWith('.jwt') ? text : JSON.parse(text);
      const id = idOf(list);
      if (id !== undefined) lists.set(id, list);
    } catch (cause) {
      throw new MicrocredError('ERR_STATUS_LIST_FOLDER', `${path.join(folder, name)} is not a saved status list (JSON or a compact JWS).`, { cause });
    }
  }
  return (url) => Promise.resolve(lists.has(url) ? structuredClone(lists.get(url)) : undefined);
}

// What every part of the store shares: the connection, the clock, and small helpers for cursors and constraint errors.
import type Database from 'better-sqlite3';
import { MicrocredError } from '../errors';

/** The connection and clock each repository is built with. */
export interface StoreContext {
  db: Database.Database;
  now: () => Date;
}

/** The clock as stored text. */
export function nowIso(ctx: StoreContext): string {
  return ctx.now().toISOString();
}

/** Default and largest page sizes for list queries. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Clamps a requested page size into 1..MAX_PAGE_SIZE. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new MicrocredError('ERR_STORE_INVALID_INPUT', `limit must be a positive integer (got ${String(limit)}).`, { details: { field: 'limit' } });
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** Encodes a keyset cursor (the last row's sequence number) as opaque text. */
export function encodeCursor(kind: string, seq: number): string {
  return Buffer.from(`${kind}:${seq}`, 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same kind; ERR_BAD_CURSOR otherwise. */
export function decodeCursor(kind: string, cursor: string | undefined | null): number | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([a-z]+):(\d{1,15})$/.exec(text);
  if (match === null || match[1] !== kind) {
    throw new MicrocredError('ERR_BAD_CURSOR', 'The pagination cursor is not valid here; start again without a cursor.', { details: { field: 'cursor' } });
  }
  return Number(match[2]);
}

/** True when `error` is SQLite's unique or primary-key constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Parses stored JSON that the store itself wrote. */
export function parseJsonObject(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

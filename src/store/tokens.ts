// API tokens: random bearer secrets stored only as SHA-256 hashes, with scopes and revocation.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { nowIso, type StoreContext } from './context';
import { TOKEN_SCOPES, type ApiTokenRow, type TokenScope } from './types';

/** Every token starts with this, so secret scanners and humans recognise one. */
export const TOKEN_PREFIX = 'mct_';
/** last_used_at is refreshed at most this often, so each request does not cost a write. */
const LAST_USED_GRANULARITY_MS = 60_000;

interface TokenDbRow {
  id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

function toToken(row: TokenDbRow): ApiTokenRow {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as TokenScope[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * SHA-256 of the whole token. A fast hash is enough because the token carries 256 random bits: unlike a password
 * there is no dictionary to try, so a slow KDF would add cost to every request and no security.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when the token grants `scope`; `admin` grants every scope. */
export function tokenHasScope(token: Pick<ApiTokenRow, 'scopes'>, scope: TokenScope): boolean {
  return token.scopes.includes(scope) || token.scopes.includes('admin');
}

/** API tokens over one connection. */
export class ApiTokens {
  constructor(private readonly ctx: StoreContext, private readonly audit: AuditLog) {}

  /** Creates a token; the returned `token` is shown once and cannot be recovered from the database. */
  create(name: string, scopes: readonly TokenScope[], actor: string): { id: string; token: string; row: ApiTokenRow } {
    if (name.trim() === '') throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'A token needs a name.', { details: { field: 'name' } });
    const unique = [...new Set(scopes)];
    const bad = unique.filter((scope) => !TOKEN_SCOPES.includes(scope));
    if (unique.length === 0 || bad.length > 0) {
      throw new MicrocredError('ERR_TOKEN_SCOPE_INVALID', `Token scopes must be some of ${TOKEN_SCOPES.join(', ')} (got ${[...scopes].join(', ') || 'none'}).`, {
        details: { field: 'scopes', invalid: bad },
      });
    }
    const id = randomBytes(8).toString('hex');
    // The id is inside the token so verification looks the row up by id, then compares hashes in constant time.
    const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    this.ctx.db.transaction(() => {
      this.ctx.db
        .prepare('INSERT INTO api_tokens (id, name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, name, hashToken(token).toString('hex'), JSON.stringify(unique), nowIso(this.ctx));
      this.audit.append({ actor, action: 'token.create', subject: id, details: { name, scopes: unique } });
    }).immediate();
    return { id, token, row: this.require(id) };
  }

  /** The token's record when `presented` is a live token, else null (unknown, malformed or revoked). */
  verify(presented: string): ApiTokenRow | null {
    const match = /^mct_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/.exec(presented);
    if (match === null) return null;
    const row = this.ctx.db.prepare<[string], TokenDbRow>('SELECT * FROM api_tokens WHERE id = ?').get(match[1] as string);
    if (row === undefined) return null;
    const stored = Buffer.from(row.token_hash, 'hex');
    const given = hashToken(presented);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
    if (row.revoked_at !== null) return null;
    const now = this.ctx.now();
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_GRANULARITY_MS) {
      this.ctx.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now.toISOString(), row.id);
      row.last_used_at = now.toISOString();
    }
    return toToken(row);
  }

  /** Revokes a token at once; revoking twice keeps the first time. ERR_TOKEN_NOT_FOUND for an unknown id. */
  revoke(id: string, actor: string): ApiTokenRow {
    return this.ctx.db.transaction((): ApiTokenRow => {
      this.require(id);
      this.ctx.db.prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(nowIso(this.ctx), id);
      this.audit.append({ actor, action: 'token.revoke', subject: id });
      return this.require(id);
    }).immediate();
  }

  /** All tokens, oldest first, without hashes. */
  list(): ApiTokenRow[] {
    return this.ctx.db.prepare<[], TokenDbRow>('SELECT * FROM api_tokens ORDER BY created_at, id').all().map(toToken);
  }

  private require(id: string): ApiTokenRow {
    const row = this.ctx.db.prepare<[string], TokenDbRow>('SELECT * FROM api_tokens WHERE id = ?').get(id);
    if (row === undefined) throw new MicrocredError('ERR_TOKEN_NOT_FOUND', `No API token ${id}.`, { details: { tokenId: id } });
    return toToken(row);
  }
}

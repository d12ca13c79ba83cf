// Share links: each credential's unguessable link id, made on first use, which the institution can disable and re-enable.
import { randomBytes } from 'node:crypto';
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { nowIso, type StoreContext } from './context';
import type { ShareLinkRow } from './types';

/** A share id: 16 random bytes (128 bits) in base64url, 22 characters. */
export const SHARE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

interface ShareDbRow {
  id: string;
  credential_id: string;
  enabled: number;
  created_at: string;
  changed_at: string;
}

function toRow(row: ShareDbRow): ShareLinkRow {
  return { shareId: row.id, credentialId: row.credential_id, enabled: row.enabled === 1, createdAt: row.created_at, changedAt: row.changed_at };
}

/** Share link rows over one connection. */
export class ShareLinks {
  private readonly byCredential;
  private readonly byId;

  constructor(
    private readonly ctx: StoreContext,
    private readonly audit: AuditLog,
    private readonly random: () => Buffer = () => randomBytes(16),
  ) {
    this.byCredential = ctx.db.prepare<[string], ShareDbRow>('SELECT * FROM share_links WHERE credential_id = ?');
    this.byId = ctx.db.prepare<[string], ShareDbRow>('SELECT * FROM share_links WHERE id = ?');
  }

  /** The credential's link, made (enabled) when it has none yet; ERR_CREDENTIAL_NOT_FOUND for an unknown credential. */
  linkOf(credentialId: string, actor: string): ShareLinkRow {
    return this.ctx.db.transaction(() => this.ensure(credentialId, actor, true)).immediate();
  }

  /** Turns the credential's link off or on (making it first when needed), with an audit entry when it changes. */
  setEnabled(credentialId: string, enabled: boolean, actor: string): ShareLinkRow {
    return this.ctx.db
      .transaction((): ShareLinkRow => {
        const row = this.ensure(credentialId, actor, enabled);
        if (row.enabled === enabled) return row;
        this.ctx.db.prepare('UPDATE share_links SET enabled = ?, changed_at = ? WHERE id = ?').run(enabled ? 1 : 0, nowIso(this.ctx), row.shareId);
        this.audit.append({ actor, action: enabled ? 'share.enable' : 'share.disable', subject: credentialId });
        return toRow(this.byId.get(row.shareId)!);
      })
      .immediate();
  }

  /** The link with this share id (enabled or not), or null; a malformed id is simply not found. */
  find(shareId: string): ShareLinkRow | null {
    if (!SHARE_ID_PATTERN.test(shareId)) return null;
    const row = this.byId.get(shareId);
    return row === undefined ? null : toRow(row);
  }

  private ensure(credentialId: string, actor: string, enabled: boolean): ShareLinkRow {
    const existing = this.byCredential.get(credentialId);
    if (existing !== undefined) return toRow(existing);
    const known = this.ctx.db.prepare<[string], number>('SELECT 1 FROM credentials WHERE id = ?').pluck().get(credentialId);
    if (known === undefined) throw new MicrocredError('ERR_CREDENTIAL_NOT_FOUND', `No credential ${credentialId} was issued here.`, { details: { credentialId } });
    const id = this.random().toString('base64url');
    if (!SHARE_ID_PATTERN.test(id)) throw new MicrocredError('ERR_STORE_WRITE', 'The share id source gave fewer than 16 bytes.');
    const at = nowIso(this.ctx);
    this.ctx.db.prepare('INSERT INTO share_links (id, credential_id, enabled, created_at, changed_at) VALUES (?, ?, ?, ?, ?)').run(id, credentialId, enabled ? 1 : 0, at, at);
    this.audit.append({ actor, action: 'share.create', subject: credentialId, details: { enabled } });
    return toRow(this.byId.get(id)!);
  }
}

// Revoke / suspend / reinstate requests: the issuer's decision is stored at once, then carried to the chain in order.
import { MicrocredError } from '../errors';
import type { AuditLog } from './audit';
import { nowIso, type StoreContext } from './context';
import type { Credentials } from './credentials';
import type { StatusLists } from './status-lists';
import type { CredentialStatus, StatusAction, StatusChangeRow, StatusChangeState } from './types';

/** A status change to record. */
export interface StatusChangeInput {
  credentialId: string;
  action: StatusAction;
  /** A short stable reason such as `superseded`, `misconduct`, `issued_in_error`. */
  reasonCode: string;
  reasonText?: string | null;
  actor: string;
}

/** The status each action leads to, and the statuses it may start from. */
const TRANSITIONS: Record<StatusAction, { from: readonly CredentialStatus[]; to: CredentialStatus }> = {
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
};

interface StatusDbRow {
  id: number;
  credential_id: string;
  leaf: string;
  batch_id: number;
  action: StatusAction;
  reason_code: string;
  reason_text: string | null;
  state: StatusChangeState;
  tx_hash: string | null;
  tx_nonce: number | null;
  block_number: number | null;
  attempts: number;
  last_error: string | null;
  actor: string;
  created_at: string;
  submitted_at: string | null;
  done_at: string | null;
}

const SELECT = `SELECT s.*, c.leaf, c.batch_id FROM status_changes s JOIN credentials c ON c.id = s.credential_id`;

function toChange(row: StatusDbRow): StatusChangeRow {
  return {
    id: row.id,
    credentialId: row.credential_id,
    leaf: row.leaf,
    batchId: row.batch_id,
    action: row.action,
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
    state: row.state,
    txHash: row.tx_hash,
    txNonce: row.tx_nonce,
    blockNumber: row.block_number,
    attempts: row.attempts,
    lastError: row.last_error,
    actor: row.actor,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    doneAt: row.done_at,
  };
}

/** Status change records over one connection. */
export class StatusChanges {
  constructor(
    private readonly ctx: StoreContext,
    private readonly credentials: Credentials,
    private readonly audit: AuditLog,
    private readonly statusLists?: StatusLists,
  ) {}

  /**
   * Records a change and sets the credential's status and status-list bits, with an audit entry, in one transaction. The chain is
   * updated later from `unfinished()`. ERR_STATUS_TRANSITION when the action does not apply (e.g. revoked already).
   */
  request(input: StatusChangeInput): StatusChangeRow {
    if (input.reasonCode.trim() === '') {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'A status change needs a reason code.', { details: { field: 'reasonCode' } });
    }
    const rule = TRANSITIONS[input.action] as (typeof TRANSITIONS)[StatusAction] | undefined;
    if (rule === undefined) {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', 'action must be revoke, suspend or reinstate.', { details: { field: 'action' } });
    }
    return this.ctx.db.transaction((): StatusChangeRow => {
      const credential = this.credentials.require(input.credentialId);
      if (!rule.from.includes(credential.status)) {
        throw new MicrocredError('ERR_STATUS_TRANSITION', `Cannot ${input.action} credential ${credential.id}: it is ${credential.status}.`, {
          details: { credentialId: credential.id, status: credential.status, action: input.action },
        });
      }
      this.credentials.setStatus(credential.id, rule.to);
      // The published list changes with the decision, in this transaction: no window where list and database differ.
      this.statusLists?.applyStatus(credential.id, rule.to);
      const id = Number(
        this.ctx.db
          .prepare('INSERT INTO status_changes (credential_id, action, reason_code, reason_text, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(credential.id, input.action, input.reasonCode, input.reasonText ?? null, input.actor, nowIso(this.ctx)).lastInsertRowid,
      );
      this.audit.append({
        actor: input.actor,
        action: `credential.${input.action}`,
        subject: credential.id,
        details: { statusChangeId: id, reasonCode: input.reasonCode, from: credential.status, to: rule.to },
      });
      return this.require(id);
    }).immediate();
  }

  /** Records the transaction carrying a change: pending/submitted → submitted. */
  markSubmitted(id: number, tx: { txHash: string; nonce: number }): StatusChangeRow {
    return this.transition(id, ['pending', 'submitted'], () => {
      this.ctx.db
        .prepare("UPDATE status_changes SET state = 'submitted', tx_hash = ?, tx_nonce = ?, submitted_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?")
        .run(tx.txHash, tx.nonce, nowIso(this.ctx), id);
    });
  }

  /** Records that the chain reflects the change; marking a done change again changes nothing. */
  markDone(id: number, receipt: { txHash: string; blockNumber: number }): StatusChangeRow {
    const current = this.require(id);
    if (current.state === 'done') return current;
    return this.transition(id, ['pending', 'submitted', 'failed'], () => {
      this.ctx.db
        .prepare("UPDATE status_changes SET state = 'done', tx_hash = ?, block_number = ?, done_at = ?, last_error = NULL WHERE id = ?")
        .run(receipt.txHash, receipt.blockNumber, nowIso(this.ctx), id);
    });
  }

  /** Records an error; `final` parks the change as failed for an operator, otherwise the state is kept for retry. */
  noteError(id: number, message: string, final = false): StatusChangeRow {
    return this.transition(id, ['pending', 'submitted'], () => {
      this.ctx.db
        .prepare(`UPDATE status_changes SET last_error = ?${final ? ", state = 'failed'" : ''} WHERE id = ?`)
        .run(message.slice(0, 2000), id);
    });
  }

  /** Puts every submitted or done change back to pending; returns how many. For a development chain that started empty. */
  requeueAll(): number {
    return this.ctx.db
      .prepare("UPDATE status_changes SET state = 'pending', tx_hash = NULL, tx_nonce = NULL, block_number = NULL, submitted_at = NULL, done_at = NULL WHERE state IN ('submitted', 'done')")
      .run().changes;
  }

  /** The newest changes recorded as done, newest first (the outbox re-checks them against the chain). */
  recentDone(limit: number): StatusChangeRow[] {
    return this.ctx.db.prepare<[number], StatusDbRow>(`${SELECT} WHERE s.state = 'done' ORDER BY s.id DESC LIMIT ?`).all(limit).map(toChange);
  }

  /** Puts one done change back to pending (the chain lost it in a reorganisation), clearing its transaction. */
  requeue(id: number): StatusChangeRow {
    return this.transition(id, ['done'], () => {
      this.ctx.db
        .prepare("UPDATE status_changes SET state = 'pending', tx_hash = NULL, tx_nonce = NULL, block_number = NULL, submitted_at = NULL, done_at = NULL WHERE id = ?")
        .run(id);
    });
  }

  /** Changes still to carry to the chain (pending and submitted), in the order they were requested. */
  unfinished(): StatusChangeRow[] {
    return this.ctx.db.prepare<[], StatusDbRow>(`${SELECT} WHERE s.state IN ('pending', 'submitted') ORDER BY s.id`).all().map(toChange);
  }

  /** Every change of one credential, oldest first. */
  of(credentialId: string): StatusChangeRow[] {
    return this.ctx.db.prepare<[string], StatusDbRow>(`${SELECT} WHERE s.credential_id = ? ORDER BY s.id`).all(credentialId).map(toChange);
  }

  /** One change, or ERR_STATUS_CHANGE_NOT_FOUND. */
  require(id: number): StatusChangeRow {
    const row = this.ctx.db.prepare<[number], StatusDbRow>(`${SELECT} WHERE s.id = ?`).get(id);
    if (row === undefined) throw new MicrocredError('ERR_STATUS_CHANGE_NOT_FOUND', `No status change ${id}.`, { details: { statusChangeId: id } });
    return toChange(row);
  }

  private transition(id: number, allowed: readonly StatusChangeState[], write: () => void): StatusChangeRow {
    return this.ctx.db.transaction((): StatusChangeRow => {
      const row = this.require(id);
      if (!allowed.includes(row.state)) {
        throw new MicrocredError('ERR_STATUS_CHANGE_STATE', `Status change ${id} is ${row.state}; this step needs ${allowed.join(' or ')}.`, {
          details: { statusChangeId: id, state: row.state, expected: allowed },
        });
      }
      write();
      return this.require(id);
    }).immediate();
  }
}

// Bitstring Status Lists in the issuer database: index slots drawn at random, bits flipped with the status change.
import { randomInt } from 'node:crypto';
import { bitstringOf } from '../libraries';
import { MicrocredError } from '../errors';
import { nowIso, type StoreContext } from './context';
import type { CredentialFormat, CredentialStatus } from './types';

/** The securing-form family a list belongs to: its credentials and the list itself are secured the same way. */
export type StatusFamily = CredentialFormat;

/** What a bit in a list says. */
export type StatusPurpose = 'revocation' | 'suspension';

/** Both purposes, in the order entries are written. */
export const STATUS_PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

/** Entries per list: the spec's recommended minimum (16 KiB), large enough that an index says little about a holder. */
export const STATUS_LIST_SIZE = 131_072;

/** One drawn index: a list pair (family + number) and the position in it, used by both purposes. */
export interface StatusSlot {
  readonly family: StatusFamily;
  readonly listNo: number;
  readonly index: number;
}

/** One stored list. */
export interface StatusListRow {
  readonly id: string;
  readonly family: StatusFamily;
  readonly listNo: number;
  readonly purpose: StatusPurpose;
  readonly size: number;
  /** A copy of the uncompressed bits (safe to modify). */
  readonly bits: Uint8Array;
  readonly revision: number;
  readonly signedRevision: number | null;
  readonly signedDocument: string | null;
  readonly signedAt: string | null;
}

/** A stored credential's slot with its status in the database. */
export interface BoundSlot extends StatusSlot {
  readonly credentialId: string;
  readonly status: CredentialStatus;
}

interface ListDbRow {
  id: string;
  family: StatusFamily;
  list_no: number;
  purpose: StatusPurpose;
  size: number;
  bits: Buffer;
  revision: number;
  signed_revision: number | null;
  signed_document: string | null;
  signed_at: string | null;
}

/** Random draws before falling back to choosing among the free indexes (a nearly full list). */
const RANDOM_TRIES = 24;

/** The id of a list: `{family}-{listNo}-{purpose}`, also the last segment of its URL. */
export function statusListId(family: StatusFamily, listNo: number, purpose: StatusPurpose): string {
  return `${family}-${listNo}-${purpose}`;
}

/** The bit a purpose should hold for a credential status (revoked clears suspension: revocation is final). */
export function bitFor(purpose: StatusPurpose, status: CredentialStatus): boolean {
  return purpose === 'revocation' ? status === 'revoked' : status === 'suspended';
}

function toRow(row: ListDbRow): StatusListRow {
  return {
    id: row.id,
    family: row.family,
    listNo: row.list_no,
    purpose: row.purpose,
    size: row.size,
    bits: new Uint8Array(row.bits),
    revision: row.revision,
    signedRevision: row.signed_revision,
    signedDocument: row.signed_document,
    signedAt: row.signed_at,
  };
}

/** Options of {@link StatusLists}. */
export interface StatusListsOptions {
  /** Entries per new list (default and minimum STATUS_LIST_SIZE; tests of list roll-over may not go lower). */
  readonly size?: number;
  /** Uniform random integer in [0, max) (default crypto.randomInt); injectable for tests. */
  readonly randomIndex?: (max: number) => number;
}

/** Status lists and slots over one connection. */
export class StatusLists {
  private readonly size: number;
  private readonly randomIndex: (max: number) => number;

  constructor(private readonly ctx: StoreContext, options: StatusListsOptions = {}) {
    this.size = options.size ?? STATUS_LIST_SIZE;
    if (!Number.isInteger(this.size) || this.size < STATUS_LIST_SIZE || this.size % 8 !== 0) {
      throw new MicrocredError('ERR_STORE_INVALID_INPUT', `A status list needs at least ${STATUS_LIST_SIZE} entries, a multiple of 8.`, { details: { field: 'size' } });
    }
    this.randomIndex = options.randomIndex ?? ((max: number): number => randomInt(0, max));
  }

  /**
   * Draws `count` unused indexes at random, committed before returning, so that a crash afterwards can lose a drawn
   * index (its bit simply stays 0) but never hand it out twice. Opens the family's next list pair when one is full.
   */
  reserve(family: StatusFamily, count: number): StatusSlot[] {
    if (family !== 'di' && family !== 'jose') throw new MicrocredError('ERR_STORE_INVALID_INPUT', "family must be 'di' or 'jose'.", { details: { field: 'family' } });
    return this.ctx.db.transaction((): StatusSlot[] => {
      const slots: StatusSlot[] = [];
      const insert = this.ctx.db.prepare('INSERT OR IGNORE INTO status_slots (family, list_no, idx, reserved_at) VALUES (?, ?, ?, ?)');
      const at = nowIso(this.ctx);
      let { listNo, size, used } = this.currentList(family);
      // Once blind draws keep hitting used indexes (a nearly full list), draw from the free ones instead.
      let free: number[] | null = null;
      while (slots.length < count) {
        if (used >= size) {
          listNo += 1;
          size = this.createListPair(family, listNo);
          used = 0;
          free = null;
        }
        let index = -1;
        for (let attempt = 0; free === null && attempt < RANDOM_TRIES && index < 0; attempt += 1) {
          const candidate = this.randomIndex(size);
          if (insert.run(family, listNo, candidate, at).changes === 1) index = candidate;
        }
        if (index < 0) {
          free ??= this.freeIndexes(family, listNo, size);
          const k = this.randomIndex(free.length);
          index = free[k] as number;
          free[k] = free[free.length - 1] as number;
          free.pop();
          insert.run(family, listNo, index, at);
        }
        used += 1;
        slots.push({ family, listNo, index });
      }
      return slots;
    }).immediate();
  }

  /** Records that `credentialId` holds `slot`; call in the transaction that stores the credential. */
  bind(slot: StatusSlot, credentialId: string): void {
    const result = this.ctx.db
      .prepare('UPDATE status_slots SET credential_id = ?, bound_at = ? WHERE family = ? AND list_no = ? AND idx = ? AND credential_id IS NULL')
      .run(credentialId, nowIso(this.ctx), slot.family, slot.listNo, slot.index);
    if (result.changes !== 1) {
      throw new MicrocredError('ERR_STATUS_SLOT_TAKEN', `Status list index ${slot.family}-${slot.listNo}#${slot.index} was not drawn or is already held; draw a new one.`, {
        details: { ...slot, credentialId },
      });
    }
  }

  /** The slot a stored credential holds, or null (credentials issued before status lists existed). */
  slotOf(credentialId: string): StatusSlot | null {
    const row = this.ctx.db
      .prepare<[string], { family: StatusFamily; list_no: number; idx: number }>('SELECT family, list_no, idx FROM status_slots WHERE credential_id = ?')
      .get(credentialId);
    return row === undefined ? null : { family: row.family, listNo: row.list_no, index: row.idx };
  }

  /**
   * Sets both bits of the credential's slot to what `status` means, bumping each changed list's revision. Call it in
   * the transaction that changes the credential's status. Returns the ids of the lists that changed.
   */
  applyStatus(credentialId: string, status: CredentialStatus): string[] {
    const slot = this.slotOf(credentialId);
    if (slot === null) return [];
    const changed: string[] = [];
    for (const purpose of STATUS_PURPOSES) {
      const id = statusListId(slot.family, slot.listNo, purpose);
      if (this.setBit(id, slot.index, bitFor(purpose, status))) changed.push(id);
    }
    return changed;
  }

  /** Sets one bit; true when it changed (and the list's revision went up). */
  setBit(listId: string, index: number, value: boolean): boolean {
    return this.ctx.db.transaction((): boolean => {
      const row = this.get(listId);
      if (row === null) throw new MicrocredError('ERR_STATUS_LIST_NOT_FOUND', `No status list ${listId}.`, { details: { listId } });
      const list = bitstringOf(row.bits);
      if (list.getStatus(index) === value) return false;
      list.setStatus(index, value);
      this.ctx.db.prepare('UPDATE status_lists SET bits = ?, revision = revision + 1 WHERE id = ?').run(Buffer.from(list.bitstring.bits), listId);
      return true;
    })();
  }

  /** One list, or null. */
  get(listId: string): StatusListRow | null {
    const row = this.ctx.db.prepare<[string], ListDbRow>('SELECT * FROM status_lists WHERE id = ?').get(listId);
    return row === undefined ? null : toRow(row);
  }

  /** Every list, oldest first. */
  all(): StatusListRow[] {
    return this.ctx.db.prepare<[], ListDbRow>('SELECT * FROM status_lists ORDER BY family, list_no, purpose').all().map(toRow);
  }

  /** Keeps a signed form of `revision` while it is the current revision; true when stored. */
  saveSigned(listId: string, revision: number, document: string): boolean {
    return (
      this.ctx.db
        .prepare('UPDATE status_lists SET signed_revision = ?, signed_document = ?, signed_at = ? WHERE id = ? AND revision = ? AND (signed_revision IS NULL OR signed_revision <= ?)')
        .run(revision, document, nowIso(this.ctx), listId, revision, revision).changes === 1
    );
  }

  /** Every slot held by a stored credential, with the credential's status (for reconciliation). */
  boundSlots(): BoundSlot[] {
    return this.ctx.db
      .prepare<[], { family: StatusFamily; list_no: number; idx: number; credential_id: string; status: CredentialStatus }>(
        `SELECT s.family, s.list_no, s.idx, s.credential_id, c.status FROM status_slots s JOIN credentials c ON c.id = s.credential_id ORDER BY s.family, s.list_no, s.idx`,
      )
      .all()
      .map((r) => ({ family: r.family, listNo: r.list_no, index: r.idx, credentialId: r.credential_id, status: r.status }));
  }

  /** Indexes drawn in a list pair (bound or not). */
  drawnIndexes(family: StatusFamily, listNo: number): number[] {
    return this.ctx.db.prepare<[string, number], number>('SELECT idx FROM status_slots WHERE family = ? AND list_no = ? ORDER BY idx').pluck().all(family, listNo);
  }

  private currentList(family: StatusFamily): { listNo: number; size: number; used: number } {
    const row = this.ctx.db
      .prepare<[string], { list_no: number; size: number }>("SELECT list_no, size FROM status_lists WHERE family = ? AND purpose = 'revocation' ORDER BY list_no DESC LIMIT 1")
      .get(family);
    if (row === undefined) return { listNo: 1, size: this.createListPair(family, 1), used: 0 };
    const used = this.ctx.db.prepare<[string, number], number>('SELECT count(*) FROM status_slots WHERE family = ? AND list_no = ?').pluck().get(family, row.list_no) ?? 0;
    return { listNo: row.list_no, size: row.size, used };
  }

  private createListPair(family: StatusFamily, listNo: number): number {
    const insert = this.ctx.db.prepare('INSERT INTO status_lists (id, family, list_no, purpose, size, bits, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const purpose of STATUS_PURPOSES) {
      insert.run(statusListId(family, listNo, purpose), family, listNo, purpose, this.size, Buffer.alloc(this.size / 8), nowIso(this.ctx));
    }
    return this.size;
  }

  private freeIndexes(family: StatusFamily, listNo: number, size: number): number[] {
    const taken = new Uint8Array(size);
    for (const index of this.drawnIndexes(family, listNo)) taken[index] = 1;
    const free: number[] = [];
    for (let i = 0; i < size; i += 1) if (taken[i] === 0) free.push(i);
    return free;
  }
}

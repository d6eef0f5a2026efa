// Audit log: every entry carries SHA-256(previous hash + its own fields), so editing or
// removing a row breaks the chain from that row on. Limit: removing the newest rows
// leaves a valid shorter chain; detecting that needs the head hash kept elsewhere.
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../shared/types';
import { ValidationError } from '../errors';
import type { Db } from './db';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = Omit<AuditEntry, 'id'>;

export type AuditVerification =
  { ok: true; checked: number } | { ok: false; checked: number; brokenId: number; reason: string };

interface AuditRow {
  id: number;
  t: number;
  operator: string;
  target_id: string | null;
  action: string;
  detail: string;
  result: string;
  hash: string;
}

export function auditHash(prev: string, e: AuditInput): string {
  const fields = JSON.stringify([e.t, e.operator, e.targetId, e.action, e.detail, e.result]);
  return createHash('sha256').update(prev).update('\n').update(fields).digest('hex');
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    t: r.t,
    operator: r.operator,
    targetId: r.target_id,
    action: r.action,
    detail: r.detail,
    result: r.result,
  };
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  append(e: AuditInput): AuditEntry {
    if (!Number.isFinite(e.t)) throw new ValidationError('An audit entry needs a finite time.');
    const insert = this.db.transaction((): AuditEntry => {
      const prev = this.lastHash();
      const row = this.db
        .prepare(
          `INSERT INTO audit (t, operator, target_id, action, detail, result, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(e.t, e.operator, e.targetId, e.action, e.detail, e.result, auditHash(prev, e)) as {
        id: number;
      };
      return { id: row.id, ...e };
    });
    return insert.immediate();
  }

  /** Newest first. */
  list(limit: number): AuditEntry[] {
    const n = Math.max(0, Math.min(Math.floor(limit) || 0, 100_000));
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(n);
    return (rows as AuditRow[]).map(toEntry);
  }

  /** Walks the chain oldest first and reports the first entry whose hash does not follow. */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    let prevId = 0;
    let checked = 0;
    for (const r of this.db.prepare('SELECT * FROM audit ORDER BY id').iterate()) {
      const row = r as AuditRow;
      if (auditHash(prev, toEntry(row)) !== row.hash) {
        return { ok: false, checked, brokenId: row.id, reason: breakReason(row.id, prevId) };
      }
      prev = row.hash;
      prevId = row.id;
      checked++;
    }
    return { ok: true, checked };
  }

  private lastHash(): string {
    const h = this.db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').pluck().get();
    return (h as string | undefined) ?? GENESIS_HASH;
  }
}

function breakReason(id: number, prevId: number): string {
  if (prevId === 0 && id !== 1)
    return `audit entry ${id} is first but entries before it were removed`;
  if (id !== prevId + 1) {
    return `audit entry ${id} does not follow entry ${prevId}: entries between them were removed`;
  }
  return `audit entry ${id} was changed after it was written`;
}

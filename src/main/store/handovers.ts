// Shift handovers (migration 7, table handovers). The document is JSON; status and times
// are columns for the lists, and `search` holds the lower-cased text that search reads
// (notes, tasks, names, facts), so a search never parses documents.
import type { Handover, HandoverStatus } from '../../shared/handover';
import type { Db } from './db';

export class HandoverTables {
  constructor(private readonly db: Db) {}

  save(h: Handover, search: string): void {
    this.db
      .prepare(
        `INSERT INTO handovers (id, status, created_at, handed_at, acked_at, search, data)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status,
           handed_at = excluded.handed_at, acked_at = excluded.acked_at,
           search = excluded.search, data = excluded.data`,
      )
      .run(h.id, h.status, h.createdAt, h.handedAt, h.ackAt, search, JSON.stringify(h));
  }

  get(id: string): Handover | null {
    const data = this.db.prepare('SELECT data FROM handovers WHERE id = ?').pluck().get(id);
    return typeof data === 'string' ? (JSON.parse(data) as Handover) : null;
  }

  /** The newest handover in a status, or null. */
  newest(status: HandoverStatus): Handover | null {
    const data = this.db
      .prepare(
        `SELECT data FROM handovers WHERE status = ?
         ORDER BY COALESCE(handed_at, created_at) DESC, created_at DESC LIMIT 1`,
      )
      .pluck()
      .get(status);
    return typeof data === 'string' ? (JSON.parse(data) as Handover) : null;
  }

  /** Newest first; every word of `words` must occur in the search text. */
  list(words: readonly string[], limit: number): Handover[] {
    const where = words.map(() => `search LIKE ? ESCAPE '\\'`).join(' AND ');
    const rows = this.db
      .prepare(
        `SELECT data FROM handovers ${where ? `WHERE ${where}` : ''}
         ORDER BY created_at DESC, id LIMIT ?`,
      )
      .pluck()
      .all(...words.map((w) => `%${likeEscape(w)}%`), limit) as string[];
    return rows.map((d) => JSON.parse(d) as Handover);
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Reports as stored snapshots: the whole report as JSON beside the columns the list filters
// and sorts on, and the report settings and scheduler bookkeeping in the meta table.
import {
  DEFAULT_REPORT_SETTINGS,
  type Report,
  type ReportPeriod,
  type ReportSettings,
  type ReportSummary,
} from '../../shared/reports';
import type { Db } from './db';

const SETTINGS_KEY = 'reports.settings';

export function summaryOf(r: Report): ReportSummary {
  return {
    id: r.id,
    period: r.period,
    group: r.group,
    from: r.from,
    to: r.to,
    until: r.until,
    createdAt: r.createdAt,
    title: r.title,
    trigger: r.trigger,
    headline: r.headline,
  };
}

export class ReportTables {
  constructor(private readonly db: Db) {}

  save(r: Report): void {
    this.db
      .prepare(
        `INSERT INTO reports (id, period, grp, from_t, to_t, created_at, title, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, data = excluded.data`,
      )
      .run(r.id, r.period, r.group, r.from, r.to, r.createdAt, r.title, JSON.stringify(r));
  }

  get(id: string): Report | null {
    const data = this.db.prepare('SELECT data FROM reports WHERE id = ?').pluck().get(id);
    return typeof data === 'string' ? (JSON.parse(data) as Report) : null;
  }

  /** Newest period first, then newest made. */
  list(filter: { period?: ReportPeriod; group?: string }, limit: number): ReportSummary[] {
    const rows = this.db
      .prepare(
        `SELECT data FROM reports
         WHERE (@period IS NULL OR period = @period) AND (@grp IS NULL OR grp = @grp)
         ORDER BY to_t DESC, created_at DESC LIMIT @limit`,
      )
      .pluck()
      .all({ period: filter.period ?? null, grp: filter.group ?? null, limit }) as string[];
    return rows.map((d) => summaryOf(JSON.parse(d) as Report));
  }

  /** Whether a report of exactly this period and group exists. */
  has(period: ReportPeriod, group: string, from: number): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM reports WHERE period = ? AND grp = ? AND from_t = ? LIMIT 1')
        .get(period, group, from) !== undefined
    );
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM reports WHERE id = ?').run(id).changes > 0;
  }

  settings(): ReportSettings {
    const v = this.getMeta(SETTINGS_KEY);
    if (v === null) return { ...DEFAULT_REPORT_SETTINGS };
    return { ...DEFAULT_REPORT_SETTINGS, ...(JSON.parse(v) as Partial<ReportSettings>) };
  }

  saveSettings(s: ReportSettings): ReportSettings {
    this.setMeta(SETTINGS_KEY, JSON.stringify(s));
    return s;
  }

  getMeta(key: string): string | null {
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof v === 'string' ? v : null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}

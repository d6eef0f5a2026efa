// Checklist runs (table checklist_runs of migration 7). A run is one JSON document (header,
// each item's result, the checklist as it was) beside the columns lists filter on.
//
// For reports: `store.checklists.listRuns({ from, to })` returns every run started in
// [from, to), oldest first, with its items, counts and outcome.
import type { ChecklistRun, ChecklistRunSummary } from '../../shared/checklists';
import type { Db } from './db';

export interface RunRange {
  /** Started at or after (ms); no lower bound when absent. */
  from?: number;
  /** Started before (ms); no upper bound when absent. */
  to?: number;
  checklistId?: string;
  /** At most this many, the newest kept; all when absent. */
  limit?: number;
}

const SETTINGS_KEY = 'checklists.settings';

export function summaryOf(run: ChecklistRun): ChecklistRunSummary {
  const { items, doc, ...summary } = run;
  void items;
  void doc;
  return summary;
}

export class ChecklistTables {
  constructor(private readonly db: Db) {}

  /** Inserts or rewrites a run. */
  saveRun(run: ChecklistRun): void {
    this.db
      .prepare(
        `INSERT INTO checklist_runs (id, checklist_id, period, status, started_at, finished_at, data)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status,
           finished_at = excluded.finished_at, data = excluded.data`,
      )
      .run(
        run.id,
        run.checklistId,
        run.period,
        run.status,
        run.startedAt,
        run.finishedAt,
        JSON.stringify(run),
      );
  }

  getRun(id: string): ChecklistRun | null {
    const data = this.db.prepare('SELECT data FROM checklist_runs WHERE id = ?').pluck().get(id);
    return typeof data === 'string' ? (JSON.parse(data) as ChecklistRun) : null;
  }

  /** Runs started in [from, to), oldest first, with their items: what reports read. */
  listRuns(range: RunRange = {}): ChecklistRun[] {
    const rows = this.db
      .prepare(
        `SELECT data FROM (
           SELECT data, started_at, id FROM checklist_runs
           WHERE started_at >= @from AND started_at < @to
             AND (@checklist IS NULL OR checklist_id = @checklist)
           ORDER BY started_at DESC, id DESC LIMIT @limit
         ) ORDER BY started_at, id`,
      )
      .pluck()
      .all({
        from: range.from ?? 0,
        to: range.to ?? Number.MAX_SAFE_INTEGER,
        checklist: range.checklistId ?? null,
        limit: range.limit ?? -1,
      }) as string[];
    return rows.map((d) => JSON.parse(d) as ChecklistRun);
  }

  /** The newest run of each checklist, by checklist id. */
  lastRuns(): Map<string, ChecklistRunSummary> {
    const rows = this.db
      .prepare(
        `SELECT r.data FROM checklist_runs r
         JOIN (SELECT checklist_id, MAX(started_at) AS t FROM checklist_runs GROUP BY checklist_id) m
           ON m.checklist_id = r.checklist_id AND m.t = r.started_at`,
      )
      .pluck()
      .all() as string[];
    const out = new Map<string, ChecklistRunSummary>();
    for (const d of rows) {
      const run = JSON.parse(d) as ChecklistRun;
      out.set(run.checklistId, summaryOf(run));
    }
    return out;
  }

  getSettings(): unknown {
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SETTINGS_KEY);
    return typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined;
  }

  setSettings(value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(SETTINGS_KEY, JSON.stringify(value));
  }
}

// Runbook runs and incidents (migration 6). A run's header is a JSON document beside the
// columns queries filter on; each attempt at a step is its own row, written when the step
// starts and again when it ends, so a run survives a crash at the step it was on.
// Incidents keep their timeline as rows, appended and never rewritten.
import type {
  Incident,
  Run,
  RunbookDoc,
  RunNote,
  StepResult,
  TimelineEntry,
  TimelineKind,
} from '../../shared/runbooks';
import type { Db } from './db';
import type { Migration } from './migrations';

export const runbooksMigration: Migration = {
  version: 6,
  name: 'runbooks and incidents',
  up: (db) =>
    db.exec(`
      CREATE TABLE runbook_runs (
        id TEXT PRIMARY KEY,
        runbook_id TEXT NOT NULL,
        incident_id TEXT,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX runbook_runs_by_start ON runbook_runs (started_at);
      CREATE INDEX runbook_runs_by_incident ON runbook_runs (incident_id);
      CREATE TABLE runbook_steps (
        run_id TEXT NOT NULL REFERENCES runbook_runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, idx, attempt)
      );
      CREATE TABLE runbook_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runbook_runs(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        by TEXT NOT NULL,
        idx INTEGER,
        text TEXT NOT NULL
      );
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX incidents_by_status ON incidents (status, opened_at);
      CREATE TABLE incident_timeline (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        kind TEXT NOT NULL,
        by TEXT NOT NULL,
        text TEXT NOT NULL,
        run_id TEXT
      );
      CREATE INDEX timeline_by_incident ON incident_timeline (incident_id, id);
    `),
};

/** A run without its step rows and notes, as the header row keeps it, with the runbook
 * as it was when the run started (an edited file does not change a run under way). */
export type RunHeader = Omit<Run, 'steps' | 'history' | 'notes'> & { doc: RunbookDoc };
export type IncidentHeader = Omit<Incident, 'timeline'>;

interface TimelineRow {
  id: number;
  incident_id: string;
  t: number;
  kind: string;
  by: string;
  text: string;
  run_id: string | null;
}

export class RunbookTables {
  constructor(private readonly db: Db) {}

  // Runs

  saveRun(h: RunHeader): void {
    this.db
      .prepare(
        `INSERT INTO runbook_runs (id, runbook_id, incident_id, status, started_at, data)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET incident_id = excluded.incident_id,
           status = excluded.status, data = excluded.data`,
      )
      .run(h.id, h.runbookId, h.incidentId, h.status, h.startedAt, JSON.stringify(h));
  }

  getRunHeader(id: string): RunHeader | null {
    const data = this.db.prepare('SELECT data FROM runbook_runs WHERE id = ?').pluck().get(id);
    return typeof data === 'string' ? (JSON.parse(data) as RunHeader) : null;
  }

  listRunHeaders(
    filter: { incidentId?: string; status?: string; startedBefore?: number },
    limit: number,
  ): RunHeader[] {
    const rows = this.db
      .prepare(
        `SELECT data FROM runbook_runs
         WHERE (@incident IS NULL OR incident_id = @incident)
           AND (@status IS NULL OR status = @status)
           AND (@before IS NULL OR started_at < @before)
         ORDER BY started_at DESC LIMIT @limit`,
      )
      .pluck()
      .all({
        incident: filter.incidentId ?? null,
        status: filter.status ?? null,
        before: filter.startedBefore ?? null,
        limit,
      }) as string[];
    return rows.map((d) => JSON.parse(d) as RunHeader);
  }

  /** Writes (or rewrites) one attempt at one step. */
  saveStep(runId: string, r: StepResult): void {
    this.db
      .prepare(
        `INSERT INTO runbook_steps (run_id, idx, attempt, status, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, idx, attempt) DO UPDATE SET status = excluded.status,
           data = excluded.data`,
      )
      .run(runId, r.index, r.attempt, r.status, JSON.stringify(r));
  }

  /** Every attempt of a run, in step then attempt order. */
  steps(runId: string): StepResult[] {
    const rows = this.db
      .prepare('SELECT data FROM runbook_steps WHERE run_id = ? ORDER BY idx, attempt')
      .pluck()
      .all(runId) as string[];
    return rows.map((d) => JSON.parse(d) as StepResult);
  }

  /** Attempts left 'running' (the app stopped while they ran). */
  runningSteps(): { runId: string; result: StepResult }[] {
    const rows = this.db
      .prepare(`SELECT run_id, data FROM runbook_steps WHERE status = 'running'`)
      .all() as { run_id: string; data: string }[];
    return rows.map((r) => ({ runId: r.run_id, result: JSON.parse(r.data) as StepResult }));
  }

  addNote(runId: string, n: RunNote): void {
    this.db
      .prepare('INSERT INTO runbook_notes (run_id, t, by, idx, text) VALUES (?, ?, ?, ?, ?)')
      .run(runId, n.t, n.by, n.index, n.text);
  }

  notes(runId: string): RunNote[] {
    const rows = this.db
      .prepare('SELECT t, by, idx, text FROM runbook_notes WHERE run_id = ? ORDER BY id')
      .all(runId) as { t: number; by: string; idx: number | null; text: string }[];
    return rows.map((r) => ({ t: r.t, by: r.by, index: r.idx, text: r.text }));
  }

  // Incidents

  saveIncident(h: IncidentHeader): void {
    const doc: IncidentHeader & { timeline?: unknown } = { ...h };
    delete doc.timeline;
    this.db
      .prepare(
        `INSERT INTO incidents (id, status, opened_at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data`,
      )
      .run(h.id, h.status, h.openedAt, JSON.stringify(doc));
  }

  getIncidentHeader(id: string): IncidentHeader | null {
    const data = this.db.prepare('SELECT data FROM incidents WHERE id = ?').pluck().get(id);
    return typeof data === 'string' ? (JSON.parse(data) as IncidentHeader) : null;
  }

  listIncidentHeaders(
    status: string | undefined,
    limit: number,
    openedBefore?: number,
  ): IncidentHeader[] {
    const rows = this.db
      .prepare(
        `SELECT data FROM incidents WHERE (@status IS NULL OR status = @status)
           AND (@before IS NULL OR opened_at < @before)
         ORDER BY opened_at DESC LIMIT @limit`,
      )
      .pluck()
      .all({ status: status ?? null, before: openedBefore ?? null, limit }) as string[];
    return rows.map((d) => JSON.parse(d) as IncidentHeader);
  }

  /** Incidents whose escalation clock runs (not acknowledged, not resolved or closed). */
  unacknowledged(): IncidentHeader[] {
    const rows = this.db
      .prepare(`SELECT data FROM incidents WHERE status IN ('open', 'investigating')`)
      .pluck()
      .all() as string[];
    return rows.map((d) => JSON.parse(d) as IncidentHeader).filter((i) => i.ackAt === null);
  }

  appendTimeline(
    incidentId: string,
    e: { t: number; kind: TimelineKind; by: string; text: string; runId: string | null },
  ): TimelineEntry {
    const row = this.db
      .prepare(
        `INSERT INTO incident_timeline (incident_id, t, kind, by, text, run_id)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(incidentId, e.t, e.kind, e.by, e.text, e.runId) as { id: number };
    return { id: row.id, incidentId, ...e };
  }

  timeline(incidentId: string): TimelineEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY t, id')
      .all(incidentId) as TimelineRow[];
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      t: r.t,
      kind: r.kind as TimelineKind,
      by: r.by,
      text: r.text,
      runId: r.run_id,
    }));
  }

  // Settings (JSON documents in meta)

  getMeta(key: string): unknown {
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, JSON.stringify(value));
  }
}

/** The newest attempt of each step index. */
export function latestAttempts(steps: readonly StepResult[]): StepResult[] {
  const by = new Map<number, StepResult>();
  for (const s of steps) {
    const have = by.get(s.index);
    if (!have || s.attempt > have.attempt) by.set(s.index, s);
  }
  return [...by.values()].sort((a, b) => a.index - b.index);
}

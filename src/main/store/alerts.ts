// Alerting tables: rules, alerts and their transitions, silences, channels, deliveries.
// Documents are stored as JSON; the columns beside them are what queries filter on.
import type {
  Alert,
  AlertRule,
  AlertState,
  AlertTransition,
  Delivery,
  NotificationChannel,
  Silence,
} from '../../shared/alerts';
import type { Db } from './db';

/** An alert as stored: the shared view plus its series key and clear time. */
export interface StoredAlert extends Alert {
  seriesKey: string;
  clearSince: number | null;
}

interface DataRow {
  data: string;
}

export class AlertTables {
  constructor(private readonly db: Db) {}

  // Rules

  listRules(): AlertRule[] {
    const rows = this.db
      .prepare('SELECT data FROM alert_rules ORDER BY position, id')
      .all() as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as AlertRule);
  }

  saveRule(rule: AlertRule): void {
    const pos = this.db.prepare('SELECT position FROM alert_rules WHERE id = ?').get(rule.id) as
      { position: number } | undefined;
    const next = pos?.position ?? this.nextPosition();
    this.db
      .prepare(
        `INSERT INTO alert_rules (id, position, builtin, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET builtin = excluded.builtin, data = excluded.data`,
      )
      .run(rule.id, next, rule.builtin ? 1 : 0, JSON.stringify(rule));
  }

  deleteRule(id: string): boolean {
    return this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
  }

  private nextPosition(): number {
    const r = this.db.prepare('SELECT MAX(position) AS p FROM alert_rules').get() as {
      p: number | null;
    };
    return (r.p ?? 0) + 1;
  }

  // Alerts

  /** Writes the alert and its transitions in one transaction. */
  saveAlert(a: StoredAlert, transitions: Omit<AlertTransition, 'alertId'>[]): void {
    const write = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO alerts (id, rule_id, target_id, series_key, state, started_at, data)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data`,
        )
        .run(a.id, a.ruleId, a.targetId, a.seriesKey, a.state, a.startedAt, JSON.stringify(a));
      const add = this.db.prepare(
        `INSERT INTO alert_transitions (alert_id, t, from_state, to_state, by, note)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      for (const x of transitions) add.run(a.id, x.t, x.from, x.to, x.by, x.note);
    });
    write();
  }

  getAlert(id: string): StoredAlert | null {
    const r = this.db.prepare('SELECT data FROM alerts WHERE id = ?').get(id) as
      DataRow | undefined;
    return r ? (JSON.parse(r.data) as StoredAlert) : null;
  }

  /** Open alerts (pending, firing, acknowledged), newest first. */
  openAlerts(): StoredAlert[] {
    const rows = this.db
      .prepare(`SELECT data FROM alerts WHERE state != 'resolved' ORDER BY started_at DESC, id`)
      .all() as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as StoredAlert);
  }

  /** Newest first; `startedBefore` leaves out alerts that began at or after it (a report of
   * an older period reads from its end backwards). */
  listAlerts(
    scope: 'active' | 'all',
    targetId: string | undefined,
    limit: number,
    startedBefore?: number,
  ): Alert[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (scope === 'active') where.push(`state != 'resolved'`);
    if (startedBefore !== undefined) {
      where.push('started_at < ?');
      args.push(startedBefore);
    }
    if (targetId) {
      where.push('target_id = ?');
      args.push(targetId);
    }
    const sql =
      `SELECT data FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      'ORDER BY started_at DESC, id LIMIT ?';
    const rows = this.db.prepare(sql).all(...args, limit) as DataRow[];
    return rows.map((r) => publicAlert(JSON.parse(r.data) as StoredAlert));
  }

  transitions(alertId: string): AlertTransition[] {
    const rows = this.db
      .prepare(
        `SELECT alert_id, t, from_state, to_state, by, note FROM alert_transitions
         WHERE alert_id = ? ORDER BY id`,
      )
      .all(alertId) as {
      alert_id: string;
      t: number;
      from_state: AlertState | null;
      to_state: AlertState;
      by: string | null;
      note: string | null;
    }[];
    return rows.map((r) => ({
      alertId: r.alert_id,
      t: r.t,
      from: r.from_state,
      to: r.to_state,
      by: r.by,
      note: r.note,
    }));
  }

  // Silences

  listSilences(): Silence[] {
    const rows = this.db.prepare('SELECT data FROM silences ORDER BY ends_at').all() as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as Silence);
  }

  saveSilence(s: Silence): void {
    this.db
      .prepare(
        `INSERT INTO silences (id, ends_at, data) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET ends_at = excluded.ends_at, data = excluded.data`,
      )
      .run(s.id, s.endsAt, JSON.stringify(s));
  }

  deleteSilence(id: string): boolean {
    return this.db.prepare('DELETE FROM silences WHERE id = ?').run(id).changes > 0;
  }

  /** Removes silences that ended before `before`. */
  pruneSilences(before: number): number {
    return this.db.prepare('DELETE FROM silences WHERE ends_at < ?').run(before).changes;
  }

  // Channels

  listChannels(): NotificationChannel[] {
    const rows = this.db
      .prepare('SELECT data, secret IS NOT NULL AS has FROM channels ORDER BY id')
      .all() as { data: string; has: number }[];
    return rows.map((r) => ({
      ...(JSON.parse(r.data) as NotificationChannel),
      hasSecret: !!r.has,
    }));
  }

  getChannel(id: string): NotificationChannel | null {
    return this.listChannels().find((c) => c.id === id) ?? null;
  }

  saveChannel(c: NotificationChannel): void {
    const { hasSecret: _has, ...doc } = c;
    void _has;
    this.db
      .prepare(
        `INSERT INTO channels (id, data) VALUES (?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
      )
      .run(c.id, JSON.stringify(doc));
  }

  setChannelSecret(id: string, blob: Uint8Array | null): void {
    this.db.prepare('UPDATE channels SET secret = ? WHERE id = ?').run(blob, id);
  }

  getChannelSecret(id: string): Buffer | null {
    const r = this.db.prepare('SELECT secret FROM channels WHERE id = ?').get(id) as
      { secret: Buffer | null } | undefined;
    return r?.secret ?? null;
  }

  deleteChannel(id: string): boolean {
    return this.db.prepare('DELETE FROM channels WHERE id = ?').run(id).changes > 0;
  }

  // Deliveries

  saveDelivery(d: Delivery): void {
    this.db
      .prepare(
        `INSERT INTO deliveries (id, channel_id, t, status, attempts, error, alert_ids)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status,
           attempts = excluded.attempts, error = excluded.error`,
      )
      .run(d.id, d.channelId, d.t, d.status, d.attempts, d.error, JSON.stringify(d.alertIds));
  }

  /** Newest first. */
  listDeliveries(limit: number): Delivery[] {
    const rows = this.db
      .prepare(
        `SELECT id, channel_id, t, status, attempts, error, alert_ids FROM deliveries
         ORDER BY t DESC, rowid DESC LIMIT ?`,
      )
      .all(limit) as {
      id: string;
      channel_id: string;
      t: number;
      status: Delivery['status'];
      attempts: number;
      error: string | null;
      alert_ids: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      channelId: r.channel_id,
      t: r.t,
      status: r.status,
      attempts: r.attempts,
      error: r.error,
      alertIds: JSON.parse(r.alert_ids) as string[],
    }));
  }

  /** Removes delivery records older than `before`. */
  pruneDeliveries(before: number): number {
    return this.db.prepare('DELETE FROM deliveries WHERE t < ?').run(before).changes;
  }

  getMeta(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return r?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}

/** The shared view of a stored alert (without the state machine's bookkeeping). */
export function publicAlert(a: StoredAlert): Alert {
  const { seriesKey: _k, clearSince: _c, ...rest } = a;
  void _k;
  void _c;
  return rest;
}

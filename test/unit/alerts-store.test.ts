// Migration 3 -> 4 (alerting tables), and the service's stored state: the default pack,
// rules, silences, channels with encrypted secrets, alerts with their transitions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AlertService } from '../../src/main/alerts/service';
import { ApiEventBus } from '../../src/main/dispatch';
import { KeyFileSecretBox } from '../../src/main/secrets/keyfile';
import { migrate, openDatabase, SCHEMA_VERSION, schemaVersion, Store } from '../../src/main/store';
import type { Alert } from '../../src/shared/alerts';
import type { Target } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-alerts-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 5, 12);
let n = 0;

function service(store: Store) {
  const events = new ApiEventBus();
  const seen: Alert[] = [];
  events.on('alert', (a) => seen.push(a));
  const s = new AlertService({
    store,
    events,
    secrets: new KeyFileSecretBox(dir),
    operator: 'ann',
  });
  return { s, seen };
}

const web: Target = {
  id: 'web',
  name: 'web-1',
  group: '',
  intervalMs: 10_000,
  enabled: true,
  config: { kind: 'local' },
  hasSecret: false,
  createdAt: T0,
};

describe('alerting store', () => {
  test('3 -> 4: series survive, alerting tables appear, the default pack is seeded once', () => {
    const file = join(dir, `v3-${n++}.db`);
    const db = openDatabase(file);
    migrate(db, file, 3);
    db.prepare(
      `INSERT INTO targets (id, name, grp, interval_ms, enabled, config, created_at)
       VALUES ('web', 'web-1', '', 10000, 1, '{"kind":"local"}', ?)`,
    ).run(T0);
    db.close();
    const store = Store.open(file);
    assert.equal(store.schemaVersion, SCHEMA_VERSION, '3 -> 4 and every later step');
    assert.equal(store.listTargets().length, 1);
    const { s } = service(store);
    const count = s.listRules().length;
    assert.ok(count >= 15);
    s.saveRule({ ...s.listRules()[0], enabled: false });
    const again = service(store).s;
    assert.equal(again.listRules().length, count, 'not seeded twice');
    assert.equal(again.listRules()[0].enabled, false, 'edits to a built-in rule are kept');
    store.close();
    const db2 = openDatabase(file);
    assert.equal(schemaVersion(db2), SCHEMA_VERSION);
    db2.close();
  });

  test('rules: built-ins cannot be deleted; imported rules are added or updated', () => {
    const store = Store.open(join(dir, `s-${n++}.db`));
    const { s } = service(store);
    const builtin = s.listRules()[0];
    assert.throws(() => s.deleteRule(builtin.id), /can be disabled/);
    const { yaml } = s.exportRules();
    assert.equal(s.importRules(yaml).imported, s.listRules().length);
    const mine = s.saveRule({
      name: 'Mine',
      enabled: true,
      selector: { metric: 'host.load.1' },
      condition: { kind: 'threshold', op: '>', value: 8 },
      forMs: 0,
      severity: 'info',
      message: 'load {{value}}',
      action: '',
    });
    assert.equal(mine.builtin, false);
    assert.deepEqual(s.deleteRule(mine.id), { deleted: true });
    store.close();
  });

  test('alerts and transitions are stored and the event is emitted on each change', () => {
    const store = Store.open(join(dir, `s-${n++}.db`));
    store.saveTarget(web);
    const { s, seen } = service(store);
    s.onRound(web, T0, [{ metric: 'redis.rdb.last_bgsave_ok', value: 1 }]);
    s.saveRule({
      name: 'Mem low',
      enabled: true,
      selector: { metric: 'host.mem.available_pct' },
      condition: { kind: 'threshold', op: '<', value: 10 },
      forMs: 0,
      severity: 'warning',
      message: '{{value}} left on {{target}}',
      action: 'free memory',
    });
    s.onRound(web, T0, [{ metric: 'host.mem.available_pct', value: 5 }]);
    const [a] = s
      .listAlerts({ scope: 'active', limit: 10 })
      .filter((x) => x.ruleName === 'Mem low');
    assert.equal(a.state, 'firing');
    assert.equal(a.message, '5 % left on web-1');
    s.ack(a.id, 'on it', T0 + 1000);
    s.onRound(web, T0 + 10_000, [{ metric: 'host.mem.available_pct', value: 50 }]);
    assert.deepEqual(
      store.alerting.transitions(a.id).map((t) => [t.from, t.to, t.by, t.note]),
      [
        [null, 'firing', null, null],
        ['firing', 'acknowledged', 'ann', 'on it'],
        ['acknowledged', 'resolved', null, null],
      ],
    );
    assert.deepEqual(
      seen.filter((x) => x.id === a.id).map((x) => x.state),
      ['firing', 'acknowledged', 'resolved'],
    );
    assert.equal(s.listAlerts({ scope: 'active', limit: 10 }).length, 0);
    assert.ok(s.listAlerts({ scope: 'all', limit: 10 }).some((x) => x.id === a.id));
    assert.throws(() => s.ack(a.id, ''), /resolved already/);
    store.close();
  });

  test('a channel secret is stored encrypted, never in clear', () => {
    const file = join(dir, `s-${n++}.db`);
    const store = Store.open(file);
    const { s } = service(store);
    const secret = 'smtp-Pa55word-unique-7731';
    const ch = s.saveChannel({
      name: 'mail',
      enabled: true,
      minSeverity: 'warning',
      config: {
        kind: 'email',
        host: '127.0.0.1',
        port: 2525,
        secure: false,
        from: 'opsdeck@example.test',
        to: ['ops@example.test'],
        user: 'ops',
      },
      secret,
    });
    assert.equal(ch.hasSecret, true);
    assert.equal(JSON.stringify(s.listChannels()).includes(secret), false);
    store.close();
    for (const f of [file, `${file}-wal`]) {
      try {
        assert.equal(readFileSync(f).includes(Buffer.from(secret)), false, f);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  });

  test('silences need a target or a rule and an end after the start', () => {
    const store = Store.open(join(dir, `s-${n++}.db`));
    const { s } = service(store);
    assert.throws(() => s.saveSilence({ endsAt: T0, reason: 'x' }, T0 - 1), /target or a rule/);
    assert.throws(
      () => s.saveSilence({ targetId: 'web', endsAt: T0, reason: 'x' }, T0 + 1),
      /end after/,
    );
    const ok = s.saveSilence({ targetId: 'web', endsAt: T0 + 1000, reason: 'deploy' }, T0);
    assert.equal(ok.by, 'ann');
    assert.equal(s.listSilences().length, 1);
    store.close();
  });
});

// A rule drawn over stored history (previewRule) and the anomaly band of a stored series,
// through the service and a real SQLite store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AlertService } from '../../src/main/alerts/service';
import { ApiEventBus } from '../../src/main/dispatch';
import { KeyFileSecretBox } from '../../src/main/secrets/keyfile';
import { Store } from '../../src/main/store';
import type { Target } from '../../src/shared/types';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-alerts-preview-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 0, 20);
const web: Target = {
  id: 'web',
  name: 'web-1',
  group: '',
  intervalMs: MIN,
  enabled: true,
  config: { kind: 'ssh', host: 'h', port: 22, user: 'u', auth: 'agent' },
  hasSecret: false,
  createdAt: END - 30 * DAY,
};

function wave(t: number): number {
  return 100 + 40 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + 3 * Math.sin(t / 7777);
}

const DISK_FROM = END - 4 * DAY;
const DISK_TO = END - 3 * DAY;
const DROP_FROM = END - 6 * HOUR;
const DROP_TO = END - 4 * HOUR;

function fill(store: Store): void {
  for (let t = END - 10 * DAY; t < END; t += MIN) {
    const disk = t >= DISK_FROM && t < DISK_TO ? 95 : 50;
    const rx = t >= DROP_FROM && t < DROP_TO ? 0 : wave(t);
    store.append('web', t, [
      { metric: 'host.fs.used_pct', labels: { mount: '/' }, value: disk },
      { metric: 'host.fs.used_pct', labels: { mount: '/boot' }, value: 20 },
      { metric: 'host.net.rx_bps', labels: { iface: 'eth0' }, value: rx },
      { metric: 'host.load.1', value: t >= DISK_FROM && t < DISK_TO ? 12 : 1 },
      { metric: 'host.cpu.cores', value: 4 },
    ]);
  }
  store.flush();
  store.maintain(END);
}

const store = Store.open(join(dir, 'p.db'));
store.saveTarget(web);
fill(store);
const service = new AlertService({
  store,
  events: new ApiEventBus(),
  secrets: new KeyFileSecretBox(dir),
  operator: 'ann',
});
after(() => store.close());

describe('rule preview and anomaly band', () => {
  test('the disk rule would have fired during the full day, on "/" only', () => {
    const { builtin: _b, ...rule } = service.listRules().find((r) => r.id === 'builtin-disk-full')!;
    void _b;
    const p = service.preview({
      rule,
      from: END - 7 * DAY,
      to: END,
      width: 1000,
    });
    assert.equal(p.series.length, 2, 'both mounts drawn');
    assert.equal(p.firing.length, 1);
    const f = p.firing[0];
    assert.equal(f.seriesKey, 'host.fs.used_pct{mount="/"}');
    assert.ok(Math.abs(f.from - (DISK_FROM + 5 * MIN)) <= 20 * MIN, `from ${f.from - DISK_FROM}`);
    assert.ok(Math.abs(f.to - (DISK_TO + 5 * MIN)) <= 20 * MIN, `to ${f.to - DISK_TO}`);
  });

  test('load per core is previewed from load and cores', () => {
    const rule = service.listRules().find((r) => r.id === 'builtin-load')!;
    const { builtin: _b, ...editable } = rule;
    void _b;
    const p = service.preview({ rule: editable, from: END - 7 * DAY, to: END, width: 800 });
    assert.equal(p.series.length, 1);
    assert.equal(p.firing.length, 1);
  });

  test('an anomaly rule previewed over the week fires on the drop to zero only', () => {
    const p = service.preview({
      rule: {
        name: 'Traffic unusual',
        enabled: true,
        selector: { metric: 'host.net.rx_bps' },
        condition: { kind: 'anomaly', sensitivity: 6 },
        forMs: 10 * MIN,
        severity: 'warning',
        message: 'rx {{value}}',
        action: '',
      },
      from: END - 2 * DAY,
      to: END,
      width: 2000,
    });
    assert.equal(p.firing.length, 1, JSON.stringify(p.firing));
    assert.ok(p.firing[0].from >= DROP_FROM && p.firing[0].from <= DROP_FROM + 30 * MIN);
  });

  test('the band follows the daily wave and marks the drop to zero', () => {
    const band = service.anomalyBand({
      targetId: 'web',
      series: { metric: 'host.net.rx_bps', labels: { iface: 'eth0' } },
      from: END - DAY,
      to: END,
      width: 300,
    });
    assert.ok(band.t.length > 100);
    const i = band.t.findIndex((t) => t >= END - 20 * HOUR);
    const expected = band.expected[i]!;
    assert.ok(Math.abs(expected - wave(band.t[i])) < 10, `expected ${expected}`);
    assert.ok(band.low[i]! < expected && band.high[i]! > expected);
    assert.equal(band.anomalies.length, 1);
    assert.ok(band.anomalies[0].from >= DROP_FROM - 10 * MIN && band.anomalies[0].to <= DROP_TO);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NO_VALUE,
  formatAgo,
  formatAxis,
  formatBytes,
  formatBytesPerSec,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatPerSec,
  formatValue,
  niceTicks,
  sig3,
} from '../../src/renderer/src/format';
import {
  appendSample,
  shapeRows,
  withBreaks,
  type ChartLine,
} from '../../src/renderer/src/charts/rows';
import { cellText } from '../../src/renderer/src/components/SnapshotView';
import { keyFigures, labelOf } from '../../src/renderer/src/figures';
import { METRICS, type Unit } from '../../src/shared/metrics';

test('IEC bytes use powers of 1024 and unit words KiB, MiB, GiB', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1 KiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(10 * 1024 * 1024), '10 MiB');
  assert.equal(formatBytes(123.4 * 1024 * 1024), '123 MiB');
  assert.equal(formatBytes(1.25 * 1024 ** 3), '1.25 GiB');
  assert.equal(formatBytes(3 * 1024 ** 4), '3 TiB');
  assert.equal(formatBytes(-2048), '-2 KiB');
});

test('rounding never shows 1024 of a smaller unit', () => {
  assert.equal(formatBytes(1024 * 1024 - 1), '1 MiB');
  assert.equal(formatBytes(1024 ** 3 - 10), '1 GiB');
});

test('rates carry /s', () => {
  assert.equal(formatBytesPerSec(2 * 1024 * 1024), '2 MiB/s');
  assert.equal(formatPerSec(12.34), '12.3/s');
  assert.equal(formatPerSec(0.5), '0.5/s');
  assert.equal(formatPerSec(1234), '1.23k/s');
  assert.equal(formatPerSec(4_500_000), '4.5M/s');
});

test('percent keeps one decimal, drops it at 0 and 100', () => {
  assert.equal(formatPercent(42.46), '42.5%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(100), '100%');
  assert.equal(formatPercent(99.96), '100%');
  assert.equal(formatPercent(3), '3.0%');
});

test('durations read as words', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(0.42), '420 ms');
  assert.equal(formatDuration(4.5), '4.5 s');
  assert.equal(formatDuration(45), '45 s');
  assert.equal(formatDuration(725), '12 min 5 s');
  assert.equal(formatDuration(600), '10 min');
  assert.equal(formatDuration(3 * 3600 + 12 * 60 + 7), '3 h 12 min');
  assert.equal(formatDuration(3600), '1 h');
  assert.equal(formatDuration(2 * 86400 + 4 * 3600 + 59), '2 d 4 h');
});

test('milliseconds switch to words above one second', () => {
  assert.equal(formatMs(0.234), '0.23 ms');
  assert.equal(formatMs(12.345), '12.3 ms');
  assert.equal(formatMs(1500), '1.5 s');
  assert.equal(formatMs(90_000), '1 min 30 s');
});

test('counts stay exact below ten thousand', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(9999), '9999');
  assert.equal(formatCount(12_345), '12.3k');
  assert.equal(formatCount(1_500_000), '1.5M');
  assert.equal(formatCount(2.5), '2.5');
});

test('no value is a dash, never NaN, Infinity or zero, for every unit', () => {
  const units = new Set<Unit>(Object.values(METRICS).map((m) => m.unit));
  for (const unit of units) {
    for (const v of [null, undefined, Number.NaN, Infinity, -Infinity]) {
      assert.equal(formatValue(v, unit), NO_VALUE, `${unit} ${String(v)}`);
    }
    assert.doesNotMatch(formatValue(0, unit), /NaN|Infinity|—/, unit);
  }
});

test('formatValue follows the metric unit', () => {
  assert.equal(formatValue(1, 'bool'), 'yes');
  assert.equal(formatValue(0, 'bool'), 'no');
  assert.equal(formatValue(1.456, 'ratio'), '1.46');
  assert.equal(formatValue(48.25, 'celsius'), '48.3 °C');
  assert.equal(formatValue(7200, 'seconds'), '2 h');
  assert.equal(formatValue(2048, 'bytes_per_s'), '2 KiB/s');
});

test('axis labels are short', () => {
  assert.equal(formatAxis(50, 'percent'), '50%');
  assert.equal(formatAxis(3 * 3600 + 600, 'seconds'), '3 h');
});

test('ago reads relative to the given now', () => {
  const now = 1_700_000_000_000;
  assert.equal(formatAgo(now - 2000, now), 'just now');
  assert.equal(formatAgo(now - 45_000, now), '45 s ago');
  assert.equal(formatAgo(now - 3 * 3600_000 - 120_000, now), '3 h ago');
  assert.equal(formatAgo(null, now), NO_VALUE);
});

test('sig3 drops trailing zeros', () => {
  assert.equal(sig3(1.5), '1.5');
  assert.equal(sig3(2), '2');
  assert.equal(sig3(12.34), '12.3');
  assert.equal(sig3(999.6), '1000');
});

test('axis ticks are round, in powers of 1024 for bytes', () => {
  assert.deepEqual(niceTicks(9.5, 'count'), [0, 2.5, 5, 7.5, 10]);
  assert.deepEqual(
    niceTicks(33.5 * 1024 ** 3, 'bytes'),
    [0, 10, 20, 30, 40].map((x) => x * 1024 ** 3),
  );
  assert.deepEqual(niceTicks(0, 'per_s'), [0, 1]);
  assert.deepEqual(niceTicks(Number.NaN, 'per_s'), [0, 1]);
  assert.equal(formatAxis(2 * 1024 * 1024, 'bytes_per_s'), '2 MiB');
});

test('small rates keep their digits instead of rounding to 0', () => {
  assert.equal(formatPerSec(0.003), '0.003/s');
  assert.equal(formatPerSec(0.00346), '0.0035/s');
});

// Chart rows: gaps stay gaps, stacks break as a whole, live samples append and trim.
const line = (key: string, metric: string, labels?: Record<string, string>): ChartLine => ({
  key,
  ref: { metric, labels },
  name: key,
  color: 'red',
});

test('a null value stays null in the rows, never 0', () => {
  const { rows } = shapeRows(
    [line('a', 'host.cpu.busy')],
    [{ metric: 'host.cpu.busy', labels: {}, resolution: 'raw', t: [1, 2, 3], v: [5, null, 7] }],
    false,
  );
  assert.deepEqual(
    rows.map((r) => r.a),
    [5, null, 7],
  );
});

test('a stretch without samples becomes a gap', () => {
  const p = withBreaks({
    t: [0, 10, 20, 30, 200, 210],
    v: [1, 1, 1, 1, 1, 1],
    min: null,
    max: null,
  });
  assert.deepEqual(p.t, [0, 10, 20, 30, 40, 200, 210]);
  assert.deepEqual(p.v, [1, 1, 1, 1, null, 1, 1]);
});

test('a missing part of a stack breaks it and everything above it', () => {
  const { rows } = shapeRows(
    [line('u', 'host.cpu.user'), line('s', 'host.cpu.system')],
    [
      { metric: 'host.cpu.user', labels: {}, resolution: 'raw', t: [1, 2], v: [10, null] },
      { metric: 'host.cpu.system', labels: {}, resolution: 'raw', t: [1, 2], v: [5, 5] },
    ],
    true,
  );
  assert.deepEqual(rows[0].u__stack, [0, 10]);
  assert.deepEqual(rows[0].s__stack, [10, 15]);
  assert.equal(rows[1].u__stack, null);
  assert.equal(rows[1].s__stack, null);
});

test('rollups carry a min/max band', () => {
  const { rows, banded } = shapeRows(
    [line('a', 'host.load.1')],
    [
      {
        metric: 'host.load.1',
        labels: {},
        resolution: '1m',
        t: [1, 2],
        v: [2, null],
        min: [1, null],
        max: [3, null],
      },
    ],
    false,
  );
  assert.ok(banded.has('a'));
  assert.deepEqual(rows[0].a__band, [1, 3]);
  assert.equal(rows[1].a__band, null);
});

test('a pushed sample appends to its series and old points fall out', () => {
  const refs = [{ metric: 'host.fs.used_pct', labels: { mount: '/' } }];
  const data = [
    {
      metric: 'host.fs.used_pct',
      labels: { mount: '/' },
      resolution: 'raw' as const,
      t: [100, 200],
      v: [1, 2],
    },
  ];
  const next = appendSample(
    data,
    refs,
    {
      targetId: 'x',
      t: 300,
      points: [
        { metric: 'host.fs.used_pct', labels: { mount: '/' }, value: Number.NaN },
        { metric: 'host.fs.used_pct', labels: { mount: '/boot' }, value: 9 },
      ],
      errors: [],
    },
    150,
  );
  assert.deepEqual(next[0].t, [200, 300]);
  assert.deepEqual(next[0].v, [2, null]);
});

test('snapshot ids are shown exactly as received', () => {
  assert.equal(cellText('queryid', '7234567890123456789', 0), '7234567890123456789');
  assert.equal(cellText('queryid', '-3074457345618258602', 0), '-3074457345618258602');
  assert.match(cellText('queryid', 7234567890123456789, 0), /imprecise/);
  assert.equal(cellText('pid', 41000, 0), '41000');
  assert.equal(cellText('lag_bytes', 2048, 0), '2 KiB');
  assert.equal(cellText('state', null, 0), NO_VALUE);
});

test('fleet figures: worst filesystem with its mount, load per core, missing as null', () => {
  const figs = keyFigures('ssh', {
    'host.cpu.busy': 12,
    'host.load.1': 4,
    'host.cpu.cores': 8,
    'host.fs.used_pct{device="/dev/sda1",fstype="ext4",mount="/"}': 40,
    'host.fs.used_pct{device="/dev/sdb1",fstype="xfs",mount="/var lib"}': 97,
    'host.mem.available_pct': null,
  });
  const by = Object.fromEntries(figs.map((f) => [f.label, f]));
  assert.equal(by['Load / core'].value, 0.5);
  assert.equal(by['Worst disk'].value, 97);
  assert.equal(by['Worst disk'].detail, '/var lib');
  assert.equal(by['Worst disk'].tone, 'bad');
  assert.equal(by['Mem available'].value, null);
  assert.equal(labelOf('m{a="x\\"y",b="z"}', 'a'), 'x"y');
});

test("fleet figures read the backend's metric:max aggregate", () => {
  const figs = keyFigures('local', { 'host.fs.used_pct:max': 22.7, 'host.cpu.busy': null });
  const by = Object.fromEntries(figs.map((f) => [f.label, f]));
  assert.equal(by['Worst disk'].value, 22.7);
  assert.equal(by['CPU busy'].value, null);
  const pg = keyFigures('postgres', { 'pg.replication.lag_s:max': 4 });
  assert.equal(pg.find((f) => f.label === 'Replica lag')?.value, 4);
});

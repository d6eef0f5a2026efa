// Capacity forecasts on generated daily peaks with known slopes: the true limit date lies in
// the stated interval, projections match the true line, and statuses follow the trend.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapacityForecast, CapacityPoint } from '../../src/shared/capacity';
import type { SeriesData } from '../../src/shared/types';
import { byUrgency } from '../../src/main/capacity';
import {
  bandAt,
  crossing,
  DAY_MS,
  fitPeaks,
  MIN_PEAKS,
  trend,
} from '../../src/main/capacity/forecast';
import { dailyPeaks } from '../../src/main/capacity/peaks';
import { describeForecast, spreadText } from '../../src/main/capacity/words';

const NOW = Date.UTC(2026, 2, 1, 9, 30);
const HOUR = 3_600_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function gauss(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

interface Truth {
  /** Value of the true line now. */
  level: number;
  /** Change per day. */
  slope: number;
}

const truthAt = (tr: Truth, t: number): number => tr.level + (tr.slope * (t - NOW)) / DAY_MS;

/** One peak a day over `days` days ending now, at a varying hour, with Gaussian noise. */
function peaks(tr: Truth, days: number, sigma: number, seed: number): CapacityPoint[] {
  const r = rng(seed);
  const out: CapacityPoint[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const t = NOW - d * DAY_MS - Math.floor(r() * 23) * HOUR - HOUR / 2;
    out.push({ t, v: truthAt(tr, t) + sigma * gauss(r) });
  }
  return out;
}

/** When the true line reaches the limit. */
const trueCrossing = (tr: Truth, limit: number): number =>
  NOW + ((limit - tr.level) / tr.slope) * DAY_MS;

const run = (p: CapacityPoint[], limit: number | null = 90, windowDays = 30) =>
  trend({ peaks: p, limit, now: NOW, windowDays, percent: true });

describe('capacity trend on known slopes', () => {
  const cases: { name: string; truth: Truth; sigma: number }[] = [
    { name: 'slow growth with noise', truth: { level: 70, slope: 0.3 }, sigma: 0.8 },
    { name: 'steady growth with little noise', truth: { level: 60, slope: 1 }, sigma: 0.3 },
    { name: 'fast growth with much noise', truth: { level: 40, slope: 2.5 }, sigma: 3 },
  ];
  for (const c of cases) {
    // A 95 % interval misses the truth in about 1 history of 20, so one history proves
    // little: 100 are generated, and at least 90 must hold the true date.
    test(`${c.name}: the true limit date lies in the stated interval`, () => {
      const truth = trueCrossing(c.truth, 90);
      let inside = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const f = run(peaks(c.truth, 30, c.sigma, seed));
        assert.equal(f.status, 'reaches-limit', `seed ${seed}`);
        const iv = f.limitInterval!;
        assert.ok(iv.earliest <= f.limitReachedAt! && f.limitReachedAt! <= (iv.latest ?? Infinity));
        assert.ok(Math.abs(f.daysToLimit! - (f.limitReachedAt! - NOW) / DAY_MS) < 1e-9);
        if (iv.earliest <= truth && (iv.latest === null || truth <= iv.latest)) inside++;
      }
      assert.ok(inside >= 90, `${inside} of 100 intervals hold the true date`);
    });

    test(`${c.name}: projections at 30, 90 and 180 days match the true line`, () => {
      const f = run(peaks(c.truth, 30, c.sigma, 11));
      assert.deepEqual(
        f.projected.map((p) => p.days),
        [30, 90, 180],
      );
      for (const p of f.projected) {
        const want = Math.min(100, truthAt(c.truth, NOW + p.days * DAY_MS));
        assert.ok(p.low <= want + 1e-9 && want <= p.high + 1e-9, `${p.days} d: ${want} in band`);
        // The fitted slope is off by at most a few standard errors: tolerance grows with
        // the distance and the noise.
        const tol = 0.5 + (c.sigma * p.days) / 30;
        assert.ok(Math.abs(p.value - want) <= tol, `${p.days} d: ${p.value} vs ${want}`);
      }
    });
  }

  test('the interval holds the true date in about 95 % of generated histories', () => {
    const truth: Truth = { level: 65, slope: 0.8 };
    let inside = 0;
    const trials = 300;
    for (let seed = 100; seed < 100 + trials; seed++) {
      const f = run(peaks(truth, 30, 1.5, seed));
      const at = trueCrossing(truth, 90);
      const iv = f.limitInterval!;
      if (iv.earliest <= at && (iv.latest === null || at <= iv.latest)) inside++;
    }
    const share = inside / trials;
    assert.ok(share >= 0.9 && share <= 0.99, `coverage ${share}`);
  });

  test('without noise the date is exact and the interval closes on it', () => {
    const truth: Truth = { level: 80, slope: 0.5 };
    const f = run(peaks(truth, 14, 0, 7), 90, 14);
    const want = trueCrossing(truth, 90);
    assert.ok(Math.abs(f.limitReachedAt! - want) <= 60_000);
    assert.ok(Math.abs(f.limitInterval!.earliest - want) <= 60_000);
    assert.ok(Math.abs(f.limitInterval!.latest! - want) <= 60_000);
    assert.ok(Math.abs(f.fit!.slopePerDay - 0.5) < 1e-9);
    assert.equal(f.fit!.points, 14);
    assert.ok(f.fit!.slopeStdErr < 1e-6);
  });

  test('a shrinking resource has no date and says so', () => {
    const f = run(peaks({ level: 70, slope: -0.5 }, 30, 0.5, 3));
    assert.equal(f.status, 'shrinking');
    assert.equal(f.limitReachedAt, null);
    assert.equal(f.daysToLimit, null);
    assert.ok(f.fit!.slopePerDay < 0);
  });

  test('a flat resource is ok, its level inside the projected band', () => {
    let ok = 0;
    let inside = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const f = run(peaks({ level: 50, slope: 0 }, 30, 1, seed));
      assert.equal(f.limitReachedAt, null);
      if (f.status === 'ok') ok++;
      if (f.projected.every((p) => p.low <= 50 && 50 <= p.high)) inside++;
    }
    // About 1 in 40 flat histories looks significantly shrinking by chance, none growing.
    assert.ok(ok >= 90, `${ok} of 100 ok`);
    assert.ok(inside >= 90, `${inside} of 100 bands hold the level`);
  });

  test('growth too slow to reach the limit within a year is ok, not a date', () => {
    const f = run(peaks({ level: 50, slope: 0.05 }, 30, 0.05, 5));
    assert.equal(f.status, 'ok');
    assert.equal(f.limitReachedAt, null);
  });

  test(`fewer than ${MIN_PEAKS} daily peaks make no trend`, () => {
    const f = run(peaks({ level: 80, slope: 2 }, MIN_PEAKS - 1, 0.1, 6));
    assert.equal(f.status, 'insufficient-data');
    assert.equal(f.fit, null);
    assert.deepEqual(f.projected, []);
    assert.ok(f.current !== null);
  });

  test('a resource over its limit is at-limit even with too few days for a trend', () => {
    const f = run(peaks({ level: 97, slope: 0 }, MIN_PEAKS - 3, 0.1, 9));
    assert.equal(f.status, 'at-limit');
    assert.equal(f.daysToLimit, 0);
    assert.equal(f.fit, null);
  });

  test('a peak already over the limit is at-limit with zero days left', () => {
    const f = run(peaks({ level: 93, slope: 0.2 }, 30, 0.2, 8));
    assert.equal(f.status, 'at-limit');
    assert.equal(f.daysToLimit, 0);
  });

  test('no limit known: projections only', () => {
    const f = trend({
      peaks: peaks({ level: 5e9, slope: 1e8 }, 30, 1e7, 9),
      limit: null,
      now: NOW,
      windowDays: 30,
      percent: false,
    });
    assert.equal(f.status, 'no-limit');
    assert.equal(f.limitReachedAt, null);
    assert.ok(Math.abs(f.projected[2].value - (5e9 + 180e8)) < 0.05 * 180e8);
  });

  test('shares are kept within 0-100 % far ahead', () => {
    const f = run(peaks({ level: 80, slope: 1 }, 30, 0.2, 10));
    assert.equal(f.projected[2].value, 100);
  });

  test('with few points the band is wider than with many (Student t, not a flat 2)', () => {
    const few = fitPeaks(peaks({ level: 60, slope: 1 }, 6, 1, 12))!;
    const many = fitPeaks(peaks({ level: 60, slope: 1 }, 60, 1, 12))!;
    const width = (f: typeof few): number => {
      const b = bandAt(f, NOW + 30 * DAY_MS);
      return b.high - b.low;
    };
    assert.ok(width(few) > 3 * width(many), `${width(few)} vs ${width(many)}`);
    // The crossing scan agrees with the band: the upper edge reaches the limit first.
    assert.ok(crossing(many, 90, NOW, 'high')! <= crossing(many, 90, NOW, 'v')!);
  });
});

describe('jumps to a new level', () => {
  /** Grows 0.5 a day to 85, drops by 40 (the volume was grown) `daysAfter` days ago. */
  function grown(daysAfter: number, seed: number): CapacityPoint[] {
    const r = rng(seed);
    const out: CapacityPoint[] = [];
    for (let d = 29; d >= 0; d--) {
      const t = NOW - d * DAY_MS - HOUR / 2;
      const base = 70 + (0.5 * (t - NOW)) / DAY_MS;
      out.push({ t, v: base + (d < daysAfter ? 0 : 15) + 0.3 * gauss(r) });
    }
    return out;
  }

  test('after a volume is grown the trend starts at the jump', () => {
    const p = grown(12, 31);
    const f = run(p);
    assert.equal(f.levelShiftAt, p[p.length - 12].t);
    assert.equal(f.fit!.points, 12);
    assert.ok(Math.abs(f.fit!.slopePerDay - 0.5) < 0.1, `${f.fit!.slopePerDay}`);
    assert.equal(f.status, 'reaches-limit');
    assert.ok(Math.abs(f.daysToLimit! - 40) < 5, `${f.daysToLimit}`);
  });

  test('too few days after a jump make no trend, and the words say why', () => {
    const p = grown(3, 32);
    const f = run(p);
    assert.equal(f.status, 'insufficient-data');
    assert.equal(f.levelShiftAt, p[p.length - 3].t);
    const w = describeForecast({
      resource: 'filesystem',
      label: '/srv',
      targetName: 'host-d',
      unit: 'percent',
      ...f,
      limit: { value: 90, source: '90 %' },
      now: NOW,
      windowDays: 30,
      peaks: 3,
    });
    assert.match(w.recommendation, /^\/srv on host-d jumped to a new level on \d+ February/);
    assert.match(w.recommendation, /at least 5 days after that, there are 3/);
  });

  test('noise alone is not taken for a jump', () => {
    let jumps = 0;
    for (let seed = 1; seed <= 200; seed++) {
      if (run(peaks({ level: 70, slope: 0.5 }, 30, 1.5, seed)).levelShiftAt !== null) jumps++;
    }
    assert.ok(jumps <= 4, `${jumps} of 200 noisy histories seen as jumps`);
  });
});

describe('daily peaks', () => {
  test('the highest hourly maximum of each 24 hours ending now, at its hour', () => {
    const t: number[] = [];
    const v: number[] = [];
    const max: number[] = [];
    const min: number[] = [];
    const start = Math.ceil((NOW - 3 * DAY_MS) / HOUR) * HOUR;
    for (let h = start; h < NOW; h += HOUR) {
      const hourOfDay = new Date(h).getUTCHours();
      t.push(h);
      v.push(50);
      max.push(hourOfDay === 14 ? 70 + (h - start) / DAY_MS : 55);
      min.push(hourOfDay === 3 ? 10 : 40);
    }
    const d: SeriesData = { metric: 'm', labels: {}, resolution: '1h', t, v, max, min };
    const p = dailyPeaks(d, 'max', NOW, 7);
    assert.equal(p.length, 3);
    for (const x of p) assert.equal(new Date(x.t).getUTCHours(), 14);
    assert.ok(p[0].t < p[1].t && p[1].t < p[2].t);
    assert.ok(p[2].v > p[1].v);
    assert.deepEqual(
      dailyPeaks(d, 'used-from-available', NOW, 7).map((x) => x.v),
      [90, 90, 90],
    );
    assert.deepEqual(
      dailyPeaks(d, 'avg', NOW, 7).map((x) => x.v),
      [50, 50, 50],
    );
    assert.equal(dailyPeaks(d, 'max', NOW, 1).length, 1);
  });

  test('gaps (null hours) are skipped, never read as zero', () => {
    const d: SeriesData = {
      metric: 'm',
      labels: {},
      resolution: '1h',
      t: [NOW - 2 * HOUR, NOW - HOUR],
      v: [null, 5],
      max: [null, 5],
      min: [null, 5],
    };
    assert.deepEqual(
      dailyPeaks(d, 'used-from-available', NOW, 7).map((x) => x.v),
      [95],
    );
  });
});

describe('capacity words', () => {
  test('a filesystem reaching its limit names the mount, host, date, spread and action', () => {
    const p = peaks({ level: 80, slope: 0.5 }, 30, 0.4, 21);
    const f = run(p);
    const w = describeForecast({
      resource: 'filesystem',
      label: '/var',
      targetName: 'host-a',
      unit: 'percent',
      ...f,
      limit: { value: 90, source: '90 % of the filesystem' },
      now: NOW,
      windowDays: 30,
      peaks: p.length,
      sizeBytes: 100 * 2 ** 30,
    });
    assert.match(
      w.recommendation,
      /^\/var on host-a reaches 90 % around \d{1,2} (March|April) \(± \d+ days?\): grow the volume/,
    );
    assert.ok(w.figures.some((x) => /^trend \+0\.\d+ %\/day/.test(x)));
    assert.ok(w.figures.some((x) => x.startsWith('in 30 / 90 / 180 days: ')));
    assert.ok(w.figures.some((x) => /^size 100 GiB; changes \+\d+(\.\d+)? MiB\/day$/.test(x)));
  });

  test('an open interval says the trend may not get there', () => {
    assert.match(spreadText(NOW, { earliest: NOW - DAY_MS, latest: null }), /perhaps later/);
    assert.equal(
      spreadText(NOW, { earliest: NOW - 2 * DAY_MS, latest: NOW + 6 * DAY_MS }),
      '± 6 days',
    );
  });

  test('a database without a known limit gives growth, no date, and where to look', () => {
    const p = peaks({ level: 50 * 2 ** 30, slope: 2 ** 30 }, 30, 2 ** 24, 22);
    const f = trend({ peaks: p, limit: null, now: NOW, windowDays: 30, percent: false });
    const w = describeForecast({
      resource: 'pg-database',
      label: 'orders',
      targetName: 'pg-main',
      unit: 'bytes',
      ...f,
      limit: null,
      now: NOW,
      windowDays: 30,
      peaks: p.length,
      hostName: 'db-host',
    });
    assert.match(w.recommendation, /^Database orders on pg-main grows \+1 GiB\/day/);
    assert.match(w.recommendation, /free space of the filesystem of db-host/);
  });

  test('too little data says how much there is and how much is needed', () => {
    const w = describeForecast({
      resource: 'memory',
      label: 'memory',
      targetName: 'host-b',
      unit: 'percent',
      status: 'insufficient-data',
      current: 40,
      limit: { value: 90, source: '90 %' },
      fit: null,
      projected: [],
      limitReachedAt: null,
      limitInterval: null,
      now: NOW,
      windowDays: 7,
      peaks: 2,
    });
    assert.equal(
      w.recommendation,
      `Memory on host-b: only 2 days of history in the last 7 days; a trend needs at least ${MIN_PEAKS}. Look again in a few days.`,
    );
  });
});

describe('ordering', () => {
  const f = (
    name: string,
    status: CapacityForecast['status'],
    days: number | null,
    current = 50,
  ): CapacityForecast =>
    ({
      targetName: name,
      label: 'x',
      status,
      daysToLimit: days,
      current,
      limit: { value: 90, source: '' },
    }) as CapacityForecast;

  test('soonest limit first, then no date by fullness, then no limit, then no data', () => {
    const list = [
      f('nodata', 'insufficient-data', null),
      f('late', 'reaches-limit', 120),
      f('calm', 'ok', null, 30),
      f('nolimit', 'no-limit', null),
      f('full', 'at-limit', 0),
      f('soon', 'reaches-limit', 12),
      f('fuller', 'ok', null, 80),
      f('down', 'shrinking', null, 60),
    ];
    assert.deepEqual(
      list.sort(byUrgency).map((x) => x.targetName),
      ['full', 'soon', 'late', 'fuller', 'down', 'calm', 'nolimit', 'nodata'],
    );
  });
});

// The capacity chart's rows: daily peaks and the fitted line with its band merged by time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapacityForecast, CapacitySeries } from '../../src/shared/capacity';
import { capacityRows } from '../../src/renderer/src/charts/CapacityChart';
import { capacitySummary } from '../../src/renderer/src/pages/CapacityPage';

test('peaks and line points share rows where their times meet, in time order', () => {
  const s: CapacitySeries = {
    forecast: {} as CapacityForecast,
    peaks: [
      { t: 10, v: 1 },
      { t: 30, v: 3 },
    ],
    line: [
      { t: 10, v: 1.1, low: 0.9, high: 1.3 },
      { t: 20, v: 2, low: 1.8, high: 2.2 },
      { t: 40, v: 4, low: 3, high: 5 },
    ],
    horizon: 40,
  };
  assert.deepEqual(capacityRows(s), [
    { t: 10, peak: 1, fit: 1.1, band: [0.9, 1.3] },
    { t: 20, fit: 2, band: [1.8, 2.2] },
    { t: 30, peak: 3 },
    { t: 40, fit: 4, band: [3, 5] },
  ]);
});

test('the summary names what is over the limit now before what reaches it soon', () => {
  assert.equal(capacitySummary(0, 0), 'Nothing reaches its limit within 30 days.');
  assert.equal(capacitySummary(1, 0), '1 resource is over the limit now.');
  assert.equal(
    capacitySummary(2, 1),
    '2 resources are over the limit now; 1 resource reaches the limit within 30 days.',
  );
});

// A report of an older period reads alerts, incidents and runs from the period's end
// backwards, so thousands of newer ones do not push its own out of the report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gather } from '../../src/main/reports/gather';
import { setLogSink } from '../../src/main/log';
import { Store } from '../../src/main/store';
import { storedAlert } from '../harness/alert-fixture';

setLogSink(() => {});
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 10, 2);
const NOW = FROM + 30 * DAY;
const NONE = { available: false, note: 'not part of this test', rows: [] };

function alert(id: string, startedAt: number) {
  return storedAlert(startedAt, { id, state: 'resolved', resolvedAt: startedAt + 60_000 });
}

test('an older period keeps its alerts after 5,000 newer ones', () => {
  const store = Store.open(':memory:');
  try {
    store.alerting.saveAlert(alert('in-period', FROM + 3_600_000), []);
    for (let i = 0; i < 5001; i++) {
      store.alerting.saveAlert(alert(`later-${i}`, FROM + 2 * DAY + i * 1000), []);
    }
    const input = gather(store, { capacity: () => NONE, checklists: () => NONE }, {
      id: 'r1',
      range: { from: FROM, to: FROM + DAY },
      group: '',
      now: NOW,
      trigger: 'manual',
    } as Parameters<typeof gather>[2]);
    const ids = input.alerts.map((a) => a.id);
    assert.ok(ids.includes('in-period'), 'the period’s own alert is read');
    assert.ok(!ids.some((id) => id.startsWith('later-')), 'nothing that began after it');
  } finally {
    store.close();
  }
});

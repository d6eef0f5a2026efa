// The handover reads firing alerts and open incidents by state, so a busy store of newer
// resolved alerts or closed incidents does not hide them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../src/shared/alerts';
import { HandoverService } from '../../src/main/handover/service';
import { setLogSink } from '../../src/main/log';
import { Store } from '../../src/main/store';
import { storedAlert } from '../harness/alert-fixture';

setLogSink(() => {});
const NOW = 1_780_000_000_000;
const HOUR = 3_600_000;

function alert(id: string, state: Alert['state'], startedAt: number) {
  return storedAlert(startedAt, {
    id,
    state,
    resolvedAt: state === 'resolved' ? startedAt + 1000 : null,
  });
}

test('an alert firing for days still shows after thousands of newer resolved alerts', () => {
  const store = Store.open(':memory:');
  try {
    store.alerting.saveAlert(alert('old-firing', 'firing', NOW - 72 * HOUR), []);
    for (let i = 0; i < 5001; i++) {
      store.alerting.saveAlert(alert(`r${i}`, 'resolved', NOW - 48 * HOUR + i * 1000), []);
    }
    const service = new HandoverService({
      store,
      operator: 'ana',
      audit: () => {},
      printPdf: async () => Buffer.alloc(0),
      clock: () => NOW,
    });
    const h = service.compose({});
    const firing = h.facts.sections.find((s) => s.id === 'firing');
    assert.ok(firing);
    assert.deepEqual(
      firing.facts.map((f) => f.at),
      [NOW - 72 * HOUR],
    );
  } finally {
    store.close();
  }
});

// One alert as the store keeps it, for tests that seed alerts: a firing disk alert on web-1
// that started at `t`; each test replaces the fields it is about.
import type { StoredAlert } from '../../src/main/store';

export function storedAlert(t: number, over: Partial<StoredAlert> = {}): StoredAlert {
  return {
    id: 'a1',
    ruleId: 'builtin-disk-full',
    ruleName: 'Disk space above 90 %',
    targetId: 'web-1',
    metric: 'host.fs.used_pct',
    labels: { mount: '/' },
    state: 'firing',
    severity: 'critical',
    value: 93,
    message: '/ on web-1 is 93 % full',
    action: 'Free space',
    startedAt: t,
    firingAt: t,
    resolvedAt: null,
    ackBy: null,
    ackNote: null,
    ackAt: null,
    flapping: false,
    silenced: false,
    seriesKey: 'host.fs.used_pct{mount="/"}',
    clearSince: null,
    ...over,
  };
}

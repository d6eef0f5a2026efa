// A rule replayed over stored history: the same engine and state machine as live
// evaluation, fed the stored points in order, with clock ticks in the gaps (for absent).
import type { AlertRule } from '../../shared/alerts';
import type { AnomalyProfile } from './anomaly';
import type { Point } from './conditions';
import { Engine, type TargetInfo } from './engine';

export interface Stretch {
  from: number;
  to: number;
}

const MAX_GAP_TICKS = 50;

/** Where the rule would have been firing over these points (one series). */
export function replay(
  rule: AlertRule,
  target: TargetInfo,
  labels: Record<string, string>,
  points: readonly Point[],
  to: number,
  profile: AnomalyProfile | null = null,
): Stretch[] {
  let n = 0;
  const engine = new Engine(() => `p${n++}`);
  engine.setRules([{ ...rule, enabled: true }], points[0]?.t ?? 0);
  const stretches: Stretch[] = [];
  let openSince: number | null = null;
  const observe = (changes: ReturnType<Engine['tick']>) => {
    for (const c of changes) {
      for (const tr of c.transitions) {
        if (tr.to === 'firing' && openSince === null) openSince = c.alert.firingAt ?? 0;
        if (tr.to === 'resolved' && openSince !== null) {
          stretches.push({ from: openSince, to: c.alert.resolvedAt ?? openSince });
          openSince = null;
        }
      }
    }
  };
  let prev: number | null = null;
  for (const p of points) {
    if (prev !== null) tickGap(engine, prev, p.t, target.intervalMs, observe);
    observe(engine.round(target, p.t, [{ metric: rule.selector.metric, labels, value: p.v }]));
    if (profile) {
      const key = engine.anomalySeries()[0]?.key;
      if (key) engine.setProfile(target.id, key, profile);
    }
    observe(engine.tick(p.t));
    prev = p.t;
  }
  if (prev !== null) tickGap(engine, prev, to, target.intervalMs, observe);
  if (openSince !== null) stretches.push({ from: openSince, to });
  return stretches;
}

function tickGap(
  engine: Engine,
  from: number,
  to: number,
  intervalMs: number,
  observe: (c: ReturnType<Engine['tick']>) => void,
): void {
  const step = Math.max(intervalMs, (to - from) / MAX_GAP_TICKS);
  for (let t = from + step; t < to; t += step) observe(engine.tick(t));
}

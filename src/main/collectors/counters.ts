// Per-second rates from monotonic counters, keyed by series. A counter that goes
// backwards is either a reset (reboot, server restart, stats reset: no rate, new
// baseline) or the wrap of a 32-bit counter (32-bit kernels and some drivers keep
// unsigned long counters): when unsure, a gap rather than a wrong figure. Pure: time and
// values come in as arguments.
import { finite } from './num';

const WRAP_32 = 2 ** 32;
/** A wrap is assumed only from the top quarter of the 32-bit range to its bottom quarter. */
const WRAP_ZONE = 2 ** 30;

/** Identifies one life of a counter: boot time, run id, stats_reset … A change => reset. */
export type Epoch = string | number | undefined;

export interface RateOptions {
  /** A rate above this per second is not believable (device limits): a gap instead. */
  max?: number;
}

export interface CounterDelta {
  delta: number;
  seconds: number;
}

interface Baseline {
  value: number;
  t: number;
  epoch: Epoch;
  round: number;
}

export class RateTracker {
  private readonly last = new Map<string, Baseline>();
  private round = 0;

  /**
   * The increase of a counter since its previous value, with the seconds between them, or
   * null on the first value, after a reset, or when time did not move forward. `t` in ms.
   */
  delta(key: string, value: number, t: number, epoch?: Epoch): CounterDelta | null {
    const prev = this.last.get(key);
    if (!Number.isFinite(value) || value < 0 || !Number.isFinite(t)) {
      this.last.delete(key);
      return null;
    }
    this.last.set(key, { value, t, epoch, round: this.round });
    if (!prev || prev.epoch !== epoch || t <= prev.t) return null;
    const delta = counterIncrease(prev.value, value);
    return delta === null ? null : { delta, seconds: (t - prev.t) / 1000 };
  }

  /** Per-second rate of a counter, or null (first value, reset, implausible rate). */
  rate(
    key: string,
    value: number,
    t: number,
    epoch?: Epoch,
    opts: RateOptions = {},
  ): number | null {
    return perSecond(this.delta(key, value, t, epoch), opts);
  }

  /** True when a baseline exists: the next value can yield a rate (or a gap on reset). */
  has(key: string): boolean {
    return this.last.has(key);
  }

  /**
   * Ends a collection round: baselines not updated during the last `keepRounds` rounds
   * (interfaces or disks that went away) are forgotten, so memory does not grow.
   */
  endRound(keepRounds = 3): void {
    for (const [key, b] of this.last) {
      if (this.round - b.round >= keepRounds) this.last.delete(key);
    }
    this.round++;
  }

  get size(): number {
    return this.last.size;
  }
}

/** delta / seconds, null when missing, not finite, negative or above opts.max. */
export function perSecond(d: CounterDelta | null, opts: RateOptions = {}): number | null {
  if (d === null) return null;
  const rate = finite(d.delta / d.seconds);
  if (rate === null || rate < 0) return null;
  if (opts.max !== undefined && rate > opts.max) return null;
  return rate;
}

/**
 * How much a counter grew from prev to cur: the plain difference, the 32-bit wrap
 * distance when prev sat near 2^32 and cur near 0, or null for a reset.
 */
export function counterIncrease(prev: number, cur: number): number | null {
  if (cur >= prev) return cur - prev;
  if (looksLikeWrap32(prev, cur)) return WRAP_32 - prev + cur;
  return null;
}

function looksLikeWrap32(prev: number, cur: number): boolean {
  return prev < WRAP_32 && prev >= WRAP_32 - WRAP_ZONE && cur < WRAP_ZONE;
}

// The time ranges a chart page offers. Short ranges can follow pushed samples live.

export interface RangeSpec {
  id: string;
  label: string;
  ms: number;
  /** Live mode appends pushed samples; longer ranges re-query every `refreshMs`. */
  live: boolean;
  refreshMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const RANGES: RangeSpec[] = [
  { id: '15m', label: '15 min', ms: 15 * MIN, live: true, refreshMs: 60_000 },
  { id: '1h', label: '1 h', ms: HOUR, live: true, refreshMs: 60_000 },
  { id: '6h', label: '6 h', ms: 6 * HOUR, live: false, refreshMs: 60_000 },
  { id: '24h', label: '24 h', ms: DAY, live: false, refreshMs: 2 * MIN },
  { id: '7d', label: '7 d', ms: 7 * DAY, live: false, refreshMs: 10 * MIN },
  { id: '30d', label: '30 d', ms: 30 * DAY, live: false, refreshMs: 30 * MIN },
];

export const DEFAULT_RANGE = RANGES[1];

export function rangeById(id: string | null | undefined): RangeSpec {
  return RANGES.find((r) => r.id === id) ?? DEFAULT_RANGE;
}

// How report figures read, the same in the page and in the exported files: values with
// units, durations, local times, and the points of a small chart. Pure; no node imports.
import type { MiniChart, ReportUnit } from './reports';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trim(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

export function formatBytes(v: number): string {
  let x = Math.abs(v);
  let i = 0;
  while (x >= 1024 && i < BYTE_UNITS.length - 1) {
    x /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${trim(x, x >= 100 ? 0 : 1)} ${BYTE_UNITS[i]}`;
}

export function formatValue(v: number | null, unit: ReportUnit): string {
  if (v === null || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'percent':
      return `${trim(v, 1)} %`;
    case 'bytes':
      return formatBytes(v);
    case 'ratio':
      return trim(v, 2);
    case 'count':
      return trim(v, Math.abs(v) >= 100 ? 0 : 1);
    default: {
      const never: never = unit;
      throw new Error(`impossible unit ${String(never)}`);
    }
  }
}

/** Rounded down, so 99.999 % never reads as 100 %. */
export function formatAvailability(p: number | null): string {
  if (p === null) return 'no rounds';
  if (p >= 100) return '100 %';
  return `${trim(Math.floor(p * 100) / 100, 2)} %`;
}

/** Below 99 % reads as bad, below 100 % as a warning; no rounds, nothing. */
export function availabilityTone(p: number | null): 'bad' | 'warn' | null {
  if (p === null || p >= 100) return null;
  return p < 99 ? 'bad' : 'warn';
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time, "2026-12-03 14:05". */
export function formatTime(t: number | null): string {
  if (t === null) return '—';
  const d = new Date(t);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

export interface ChartGeometry {
  width: number;
  height: number;
  /** SVG polyline points of the averages and of the peaks. */
  avg: string;
  max: string;
  /** Highest value drawn (the top of the chart). */
  top: number;
}

/** A small chart's lines over the period [from, to), scaled from 0 to the peak. */
export function chartGeometry(
  c: MiniChart,
  from: number,
  to: number,
  width = 160,
  height = 36,
): ChartGeometry {
  const top = Math.max(...c.max, 0) || 1;
  const x = (t: number): number => ((t + c.stepMs / 2 - from) / (to - from)) * width;
  const y = (v: number): number => height - 1 - (v / top) * (height - 2);
  const line = (vs: number[]): string =>
    vs.map((v, i) => `${x(c.t[i]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return { width, height, avg: line(c.avg), max: line(c.max), top };
}

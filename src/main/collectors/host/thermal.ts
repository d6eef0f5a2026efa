// Thermal zones, as the host script prints them:
// "/sys/class/thermal/thermal_zoneN<TAB>type<TAB>temp" with temp in millidegrees Celsius
// from /sys/class/thermal/thermal_zoneN/temp. Some zones fail to read (EIO, ENODATA) and
// print an empty temp: that zone has no value.
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { parseNum } from '../num';
import { lines, parseLines } from '../text';

export interface ThermalZone {
  /** Series label: the zone type, made unique with the zone number when types repeat. */
  zone: string;
  type: string;
  index: number;
  celsius: number | null;
}

/** Readings outside this range come from unconnected or broken sensors. */
const MIN_C = -60;
const MAX_C = 250;
const ZONE = /(?:^|\/)thermal_zone(\d+)$/;

export function parseThermal(text: string): Parsed<ThermalZone> {
  const parsed = parseLines(lines(text), 'thermal', parseZoneLine);
  const typeCount = new Map<string, number>();
  for (const z of parsed.rows) typeCount.set(z.type, (typeCount.get(z.type) ?? 0) + 1);
  for (const z of parsed.rows) {
    if ((typeCount.get(z.type) ?? 0) > 1) z.zone = `${z.type}#${z.index}`;
  }
  return parsed;
}

function parseZoneLine(line: string): ThermalZone {
  const [name, type, temp, ...rest] = line.split('\t');
  const m = ZONE.exec(name ?? '');
  if (!m || type === undefined || temp === undefined || rest.length > 0) {
    throw new ParseFailed('not a "zone<TAB>type<TAB>temp" line');
  }
  const label = type.trim() || `thermal_zone${m[1]}`;
  return { zone: label, type: label, index: Number(m[1]), celsius: milliToCelsius(temp) };
}

export function milliToCelsius(text: string): number | null {
  const milli = parseNum(text, 'temperature');
  if (milli === null) return null;
  const c = milli / 1000;
  return c < MIN_C || c > MAX_C ? null : c;
}

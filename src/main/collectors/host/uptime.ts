// /proc/uptime: "12345.67 23456.78" — seconds since boot, idle seconds summed over CPUs.
import { ParseFailed } from '../../errors';
import { parseRequired } from '../num';
import { lines, words } from '../text';

export function parseUptime(text: string): number {
  const w = words(lines(text)[0] ?? '');
  if (w.length < 1 || w[0] === '') throw new ParseFailed('/proc/uptime is empty');
  const up = parseRequired(w[0], 'uptime');
  if (up < 0) throw new ParseFailed(`uptime is negative: ${w[0]}`);
  return up;
}

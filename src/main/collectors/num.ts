// Strict number parsing for text read from targets. parseFloat("12,50") returns 12
// without a word, so only whole numbers and dot-decimals are accepted; anything else is a
// ParseFailed, never a truncated value. Every derived figure goes through finite() before
// it is emitted: JSON turns NaN and Infinity into null silently, and a NaN token makes
// JSON.parse throw.
import { ParseFailed } from '../errors';

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NO_VALUE = new Set(['', '-', 'N/A']);

/** A number, or null for the "no value" tokens "-", "" and "N/A"; throws on anything else. */
export function parseNum(text: string, what = 'value'): number | null {
  const s = text.trim();
  if (NO_VALUE.has(s)) return null;
  if (!NUMBER.test(s)) throw new ParseFailed(`${what} is not a number: ${JSON.stringify(clip(s))}`);
  return finite(Number(s));
}

/** Like parseNum, but "no value" is also an error: for fields that must be present. */
export function parseRequired(text: string, what = 'value'): number {
  const n = parseNum(text, what);
  if (n === null) throw new ParseFailed(`${what} has no value`);
  return n;
}

/** A whole, non-negative number (counters, sizes, counts). */
export function parseCount(text: string, what = 'value'): number {
  const n = parseRequired(text, what);
  if (!Number.isInteger(n) || n < 0) {
    throw new ParseFailed(
      `${what} is not a whole non-negative number: ${JSON.stringify(clip(text))}`,
    );
  }
  return n;
}

/** A value from a driver (pg, ioredis): number, bigint or numeric text; null stays null. */
export function toNum(value: unknown, what = 'value'): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return finite(value);
  if (typeof value === 'bigint') return finite(Number(value));
  if (typeof value === 'string') return parseNum(value, what);
  throw new ParseFailed(`${what} has an unexpected type: ${typeof value}`);
}

/** NaN and ±Infinity become null ("no value"); every derived figure passes through here. */
export function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** part / whole * 100, null when whole is 0 or either side is missing. */
export function percent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return finite((part / whole) * 100);
}

/** a / b, null when b is 0 or either side is missing. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return finite(a / b);
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

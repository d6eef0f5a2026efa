// Small helpers for line-oriented text from targets.
import { errorMessage } from '../errors';
import type { Parsed } from './types';

/** Non-empty lines, with a trailing \r removed (some tools print CRLF). */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '');
}

/** Applies parseLine to each line; a line that throws becomes a problem naming it. */
export function parseLines<T>(
  input: string[],
  what: string,
  parseLine: (line: string) => T | null,
): Parsed<T> {
  const out: Parsed<T> = { rows: [], problems: [] };
  for (const line of input) {
    try {
      const row = parseLine(line);
      if (row !== null) out.rows.push(row);
    } catch (err) {
      out.problems.push(`${what}: ${errorMessage(err)} in line ${JSON.stringify(clipLine(line))}`);
    }
  }
  return out;
}

export function clipLine(line: string, max = 120): string {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function words(line: string): string[] {
  return line.trim().split(/\s+/);
}

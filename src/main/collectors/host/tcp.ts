// TCP connection states. /proc/net/tcp and tcp6 hold one line per socket with the state
// as a hex code in the 4th column (include/net/tcp_states.h); the host script counts them
// with awk ("0A 12") so a host with many connections does not send its whole table.
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { parseCount } from '../num';
import { lines, parseLines, words } from '../text';

export const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
};

export type TcpCounts = Record<string, number>;

/** Every known state with 0, so a state that empties shows as 0 rather than a gap. */
export function emptyTcpCounts(): TcpCounts {
  return Object.fromEntries(Object.values(TCP_STATES).map((s) => [s, 0]));
}

export function stateName(hex: string): string {
  const code = hex.toUpperCase().padStart(2, '0');
  const name = TCP_STATES[code];
  if (!name) throw new ParseFailed(`unknown TCP state code ${JSON.stringify(hex)}`);
  return name;
}

/** The host script's awk output: "<hex state> <count>" per line. */
export function parseTcpStateCounts(text: string): Parsed<TcpCounts> {
  const counts = emptyTcpCounts();
  const parsed = parseLines(lines(text), 'tcp', (line) => {
    const [hex, n, ...rest] = words(line);
    if (n === undefined || rest.length > 0) throw new ParseFailed('not a "state count" line');
    const name = stateName(hex);
    counts[name] += parseCount(n, 'count');
    return null;
  });
  return { rows: [counts], problems: parsed.problems };
}

/** The raw tables (/proc/net/tcp, /proc/net/tcp6), header lines included. */
export function countTcpStates(...tables: string[]): Parsed<TcpCounts> {
  const counts = emptyTcpCounts();
  const body = tables.flatMap((t) => lines(t).filter((l) => !/^\s*sl\s/.test(l)));
  const parsed = parseLines(body, 'tcp', (line) => {
    const hex = words(line)[3];
    if (hex === undefined) throw new ParseFailed('fewer than 4 fields');
    counts[stateName(hex)]++;
    return null;
  });
  return { rows: [counts], problems: parsed.problems };
}

// /proc/net/dev: "iface: 8 receive counters 8 transmit counters". A large counter can touch
// the colon ("eth0:4294967296 …") and a name may hold a colon itself, so the name is
// everything before the colon that is followed by exactly 16 numeric fields: a number never
// holds a colon, so at most one colon of a line qualifies.
import { ParseFailed } from '../../errors';
import type { Parsed } from '../types';
import { parseCount } from '../num';
import { lines, parseLines } from '../text';

export interface NetCounters {
  iface: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDrops: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDrops: number;
}

const COUNTER = /^\d+$/;

export function parseNetDev(text: string): Parsed<NetCounters> {
  const body = lines(text).filter((l) => !l.includes('|'));
  return parseLines(body, 'net/dev', parseNetDevLine);
}

function parseNetDevLine(line: string): NetCounters {
  for (let at = line.indexOf(':'); at >= 0; at = line.indexOf(':', at + 1)) {
    const fields = line
      .slice(at + 1)
      .trim()
      .split(/\s+/);
    if (fields.length === 16 && fields.every((f) => COUNTER.test(f))) {
      return countersOf(line.slice(0, at).trim(), fields);
    }
  }
  throw new ParseFailed('no "name:" followed by 16 counters');
}

function countersOf(iface: string, f: string[]): NetCounters {
  if (iface === '') throw new ParseFailed('empty interface name');
  const n = (i: number): number => parseCount(f[i], `counter ${i + 1}`);
  return {
    iface,
    rxBytes: n(0),
    rxPackets: n(1),
    rxErrors: n(2),
    rxDrops: n(3),
    txBytes: n(8),
    txPackets: n(9),
    txErrors: n(10),
    txDrops: n(11),
  };
}

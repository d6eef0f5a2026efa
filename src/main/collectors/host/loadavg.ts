// /proc/loadavg: "0.52 0.58 0.59 2/1234 56789" — load 1/5/15, runnable/total threads,
// last pid.
import { ParseFailed } from '../../errors';
import { parseCount, parseRequired } from '../num';
import { lines, words } from '../text';

export interface LoadAvg {
  load1: number;
  load5: number;
  load15: number;
  running: number;
  /** Kernel scheduling entities: threads, not processes. */
  threads: number;
}

export function parseLoadavg(text: string): LoadAvg {
  const first = lines(text)[0];
  const w = first === undefined ? [] : words(first);
  const slash = (w[3] ?? '').split('/');
  if (w.length < 4 || slash.length !== 2) {
    throw new ParseFailed(`/proc/loadavg has an unexpected shape: ${JSON.stringify(first ?? '')}`);
  }
  return {
    load1: parseRequired(w[0], 'load 1'),
    load5: parseRequired(w[1], 'load 5'),
    load15: parseRequired(w[2], 'load 15'),
    running: parseCount(slash[0], 'running threads'),
    threads: parseCount(slash[1], 'total threads'),
  };
}

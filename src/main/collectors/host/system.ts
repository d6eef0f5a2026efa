// Small one-line outputs of the host script: the /proc PID count and uname.
import { ParseFailed } from '../../errors';
import { parseCount } from '../num';
import { lines, words } from '../text';

/** The number of numeric entries of /proc (processes), as the script's glob counted them. */
export function parseProcCount(text: string): number {
  const first = lines(text)[0];
  if (first === undefined) throw new ParseFailed('no process count');
  return parseCount(first.trim(), 'process count');
}

export interface Uname {
  sysname: string;
  hostname: string;
  kernel: string;
  machine: string;
}

/** `uname -s -n -r -m`: "Linux web-1 6.1.0-18-amd64 x86_64". */
export function parseUname(text: string): Uname {
  const w = words(lines(text)[0] ?? '');
  if (w.length !== 4) throw new ParseFailed(`uname printed ${w.length} fields, 4 expected`);
  return { sysname: w[0], hostname: w[1], kernel: w[2], machine: w[3] };
}

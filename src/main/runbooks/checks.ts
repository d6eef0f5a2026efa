// Checks: what a probe read, against what was expected, as pass / warning / fail. Pure.
import type { CheckOp, CheckOutcome, Expectation } from '../../shared/runbooks';
import { assertNever } from '../../shared/result';

export interface Reading {
  exitCode: number | null;
  output: string;
  /** The number read: first number of stdout, first column of the first row, a metric. */
  value: number | null;
  /** SQL: rows returned; otherwise null. */
  rows: number | null;
}

export function compare(v: number, op: CheckOp, limit: number): boolean {
  switch (op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '==':
      return v === limit;
    case '!=':
      return v !== limit;
    default:
      return assertNever(op, 'comparison');
  }
}

/** The first number at the start of the text (after spaces), e.g. "87%" -> 87. */
export function leadingNumber(text: string): number | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(text);
  return m ? Number(m[1]) : null;
}

export function evaluate(expect: Expectation, r: Reading): CheckOutcome {
  switch (expect.kind) {
    case 'exit':
      return r.exitCode === expect.code ? 'pass' : 'fail';
    case 'number': {
      if (r.value === null) return 'fail';
      if (compare(r.value, expect.op, expect.pass)) return 'pass';
      if (expect.warn !== undefined && compare(r.value, expect.op, expect.warn)) return 'warning';
      return 'fail';
    }
    case 'contains':
      return r.output.includes(expect.text) ? 'pass' : 'fail';
    case 'empty':
      return (r.rows ?? 0) === 0 && r.output.trim() === '' ? 'pass' : 'fail';
    default:
      return assertNever(expect, 'expectation');
  }
}

export function describeExpect(expect: Expectation): string {
  switch (expect.kind) {
    case 'exit':
      return `exit code ${expect.code}`;
    case 'number':
      return expect.warn === undefined
        ? `value ${expect.op} ${expect.pass}`
        : `value ${expect.op} ${expect.pass} (warning while ${expect.op} ${expect.warn})`;
    case 'contains':
      return `output contains ${JSON.stringify(expect.text)}`;
    case 'empty':
      return 'no output / no rows';
    default:
      return assertNever(expect, 'expectation');
  }
}

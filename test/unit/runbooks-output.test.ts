// SQL step output as a plain table reads like psql: intervals as clock times, arrays in
// braces, never a JSON object of an interval's parts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { types } from 'pg';
import { formatRows, intervalText } from '../../src/main/runbooks/execute';

const INTERVAL_OID = 1186;
const interval = types.getTypeParser(INTERVAL_OID) as (text: string) => unknown;

test('intervals read as psql prints them', () => {
  const rows = [
    { pid: 26677, blocked_by: [26678, 26679], xact_age: interval('00:00:02.463741') },
    { pid: 26680, blocked_by: [], xact_age: interval('1 day 02:03:04.5') },
  ];
  assert.equal(
    formatRows(rows),
    [
      'pid | blocked_by | xact_age',
      '26677 | {26678,26679} | 00:00:02.463741',
      '26680 | {} | 1 day 02:03:04.5',
      '(2 rows)',
    ].join('\n'),
  );
  assert.equal(intervalText({}), '00:00:00');
  assert.equal(intervalText({ years: 1, months: 2 }), '1 year 2 mons');
  assert.equal(intervalText({ minutes: -5 }), '-00:05:00');
});

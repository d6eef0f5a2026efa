import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseFailed } from '../../src/main/errors';
import {
  exactInt8,
  normaliseStatement,
  parseExtVersion,
  quoteIdent,
  statementsQuery,
  statementsShape,
  versionAtLeast,
} from '../../src/main/collectors/postgres/statements';

test('column names follow the extension version, not the server (pg-statements-columns)', () => {
  assert.deepEqual(statementsShape('1.7'), {
    totalExec: 'total_time',
    meanExec: 'mean_time',
    totalPlan: null,
    blkRead: 'blk_read_time',
    blkWrite: 'blk_write_time',
  });
  assert.deepEqual(statementsShape('1.8'), {
    totalExec: 'total_exec_time',
    meanExec: 'mean_exec_time',
    totalPlan: 'total_plan_time',
    blkRead: 'blk_read_time',
    blkWrite: 'blk_write_time',
  });
  assert.equal(statementsShape('1.10').blkRead, 'blk_read_time');
  assert.equal(statementsShape('1.11').blkRead, 'shared_blk_read_time');
  assert.equal(statementsShape('1.11').blkWrite, 'shared_blk_write_time');
  assert.equal(statementsShape('2.0').totalExec, 'total_exec_time');
});

test('extension versions compare part by part: 1.10 is newer than 1.9', () => {
  assert.equal(versionAtLeast(parseExtVersion('1.10'), [1, 9]), true);
  assert.equal(versionAtLeast(parseExtVersion('1.9'), [1, 10]), false);
  assert.equal(versionAtLeast(parseExtVersion('1.8'), [1, 8]), true);
  assert.equal(versionAtLeast(parseExtVersion('1'), [1, 0]), true);
  assert.throws(() => parseExtVersion('1.8beta'), ParseFailed);
  assert.throws(() => parseExtVersion("1.8'; drop"), ParseFailed);
});

const OLD_ROW = {
  queryid: '7234567890123456789',
  calls: '12',
  rows: '340',
  total_time: 150.5,
  mean_time: 12.541666,
  blk_read_time: 3.5,
  blk_write_time: 0,
  query: 'select * from orders where id = $1',
  datname: 'app',
};

const NEW_ROW = {
  queryid: '7234567890123456789',
  calls: '12',
  rows: '340',
  total_exec_time: 150.5,
  mean_exec_time: 12.541666,
  total_plan_time: 4.25,
  shared_blk_read_time: 3.5,
  shared_blk_write_time: 0,
  query: 'select * from orders where id = $1',
  datname: 'app',
};

test('both shapes normalise to one record; planning is null before 1.8', () => {
  const before = normaliseStatement(OLD_ROW, statementsShape('1.7'));
  const after = normaliseStatement(NEW_ROW, statementsShape('1.11'));
  const common = {
    queryid: '7234567890123456789',
    calls: 12,
    rows: 340,
    totalExecMs: 150.5,
    meanExecMs: 12.541666,
    ioReadMs: 3.5,
    ioWriteMs: 0,
    query: 'select * from orders where id = $1',
    datname: 'app',
  };
  assert.deepEqual(before, { ...common, planMs: null });
  assert.deepEqual(after, { ...common, planMs: 4.25 });
});

test('1.8-1.10 rows: new time names, old block time names', () => {
  const row = { ...NEW_ROW, blk_read_time: 7, blk_write_time: 8 } as Record<string, unknown>;
  delete row.shared_blk_read_time;
  delete row.shared_blk_write_time;
  const r = normaliseStatement(row, statementsShape('1.10'));
  assert.equal(r.ioReadMs, 7);
  assert.equal(r.ioWriteMs, 8);
  assert.equal(r.planMs, 4.25);
});

test('queryid beyond 2^53 survives exactly as text (pg-queryid-int64)', () => {
  assert.equal(exactInt8('7234567890123456789', 'queryid'), '7234567890123456789');
  assert.equal(exactInt8('-7234567890123456789', 'queryid'), '-7234567890123456789');
  assert.equal(exactInt8(7234567890123456789n, 'queryid'), '7234567890123456789');
  assert.equal(exactInt8(-42, 'queryid'), '-42');
  // Through a JS number the id has already lost digits; it is refused, not stored wrong.
  assert.equal(String(Number('7234567890123456789')), '7234567890123457000');
  assert.throws(() => exactInt8(Number('7234567890123456789'), 'queryid'), /inexact JS number/);
  assert.throws(() => exactInt8('12.5', 'queryid'), ParseFailed);
  assert.throws(() => exactInt8(null, 'queryid'), ParseFailed);
});

test('two ids that collide as JS numbers stay two different keys', () => {
  const a = normaliseStatement(
    { ...NEW_ROW, queryid: '7234567890123456789' },
    statementsShape('1.11'),
  );
  const b = normaliseStatement(
    { ...NEW_ROW, queryid: '7234567890123456790' },
    statementsShape('1.11'),
  );
  assert.equal(Number(a.queryid), Number(b.queryid));
  assert.notEqual(a.queryid, b.queryid);
});

test('counters sent as int8 text parse strictly; a null count is an error', () => {
  assert.throws(
    () => normaliseStatement({ ...NEW_ROW, calls: '1,2' }, statementsShape('1.11')),
    ParseFailed,
  );
  assert.throws(
    () => normaliseStatement({ ...NEW_ROW, calls: null }, statementsShape('1.11')),
    /calls is null/,
  );
});

test('the statements query: columns from the shape, schema quoted, values as parameters', () => {
  const newSql = statementsQuery('public', statementsShape('1.11'));
  assert.match(newSql, /s\.queryid::text as queryid/);
  assert.match(newSql, /s\.total_exec_time, s\.mean_exec_time, s\.total_plan_time/);
  assert.match(newSql, /s\.shared_blk_read_time, s\.shared_blk_write_time/);
  assert.match(newSql, /from "public"\.pg_stat_statements s/);
  assert.match(newSql, /left\(s\.query, \$1\)/);
  assert.match(newSql, /limit \$2/);
  const oldSql = statementsQuery('my "ext" schema', statementsShape('1.7'));
  assert.match(oldSql, /s\.total_time, s\.mean_time, null::float8 as total_plan_time/);
  assert.match(oldSql, /from "my ""ext"" schema"\.pg_stat_statements/);
  assert.doesNotMatch(oldSql, /total_exec_time/);
});

test('identifiers are quoted as one identifier', () => {
  assert.equal(quoteIdent('public'), '"public"');
  assert.equal(quoteIdent('a"b'), '"a""b"');
  assert.throws(() => quoteIdent('a\u0000b'), ParseFailed);
});

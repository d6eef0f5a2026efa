// pg_stat_statements: its columns depend on the extension's version, not the server's (a
// server upgraded to 13 keeps extension 1.7 until ALTER EXTENSION … UPDATE). 1.8 renamed
// total_time/mean_time to total_exec_time/mean_exec_time and added planning time; 1.11
// (PostgreSQL 17) renamed blk_read_time/blk_write_time to shared_blk_*. Both shapes become
// one record. queryid is int8 and often beyond 2^53: it is cast to text in SQL and kept as
// a string, never passed through a JS number.
import { ParseFailed } from '../../errors';
import { toNum } from '../num';
import { redactSql } from './redact';

export interface StatementsShape {
  totalExec: 'total_exec_time' | 'total_time';
  meanExec: 'mean_exec_time' | 'mean_time';
  totalPlan: 'total_plan_time' | null;
  blkRead: 'shared_blk_read_time' | 'blk_read_time';
  blkWrite: 'shared_blk_write_time' | 'blk_write_time';
}

export interface StatementRecord {
  /** int8 as decimal text, exact. */
  queryid: string;
  calls: number;
  totalExecMs: number;
  meanExecMs: number;
  /** null when the extension predates planning statistics (< 1.8). */
  planMs: number | null;
  rows: number;
  ioReadMs: number | null;
  ioWriteMs: number | null;
  query: string;
  datname: string | null;
}

/** "1.10" -> [1, 10]; compared part by part, so 1.10 is newer than 1.9. */
export function parseExtVersion(text: string): number[] {
  if (!/^\d+(\.\d+)*$/.test(text)) {
    throw new ParseFailed(
      `pg_stat_statements version is not dotted numbers: ${JSON.stringify(text)}`,
    );
  }
  return text.split('.').map(Number);
}

export function versionAtLeast(version: number[], wanted: number[]): boolean {
  for (let i = 0; i < Math.max(version.length, wanted.length); i++) {
    const a = version[i] ?? 0;
    const b = wanted[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export function statementsShape(extversion: string): StatementsShape {
  const v = parseExtVersion(extversion);
  const newTimes = versionAtLeast(v, [1, 8]);
  const sharedBlk = versionAtLeast(v, [1, 11]);
  return {
    totalExec: newTimes ? 'total_exec_time' : 'total_time',
    meanExec: newTimes ? 'mean_exec_time' : 'mean_time',
    totalPlan: newTimes ? 'total_plan_time' : null,
    blkRead: sharedBlk ? 'shared_blk_read_time' : 'blk_read_time',
    blkWrite: sharedBlk ? 'shared_blk_write_time' : 'blk_write_time',
  };
}

/** An SQL identifier, quoted and escaped: "a""b". */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new ParseFailed('an identifier cannot hold a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Top statements by total execution time: $1 query text length, $2 row limit. Column names
 * come from the shape (a fixed set), the schema is quoted as an identifier.
 */
export function statementsQuery(schema: string, shape: StatementsShape): string {
  const plan = shape.totalPlan ? `s.${shape.totalPlan}` : 'null::float8 as total_plan_time';
  return `select s.queryid::text as queryid, s.calls::text as calls, s.rows::text as rows,
  s.${shape.totalExec}, s.${shape.meanExec}, ${plan}, s.${shape.blkRead}, s.${shape.blkWrite},
  left(s.query, $1) as query, d.datname
  from ${quoteIdent(schema)}.pg_stat_statements s left join pg_database d on d.oid = s.dbid
  where s.queryid is not null
  order by s.${shape.totalExec} desc nulls last
  limit $2`;
}

/** One row of either shape -> one record. Throws on a value that cannot be exact. */
export function normaliseStatement(
  row: Record<string, unknown>,
  shape: StatementsShape,
): StatementRecord {
  const need = (col: string): number => {
    const n = toNum(row[col], col);
    if (n === null) throw new ParseFailed(`pg_stat_statements.${col} is null`);
    return n;
  };
  return {
    queryid: exactInt8(row.queryid, 'queryid'),
    calls: need('calls'),
    totalExecMs: need(shape.totalExec),
    meanExecMs: need(shape.meanExec),
    planMs: shape.totalPlan ? toNum(row[shape.totalPlan], shape.totalPlan) : null,
    rows: need('rows'),
    ioReadMs: toNum(row[shape.blkRead], shape.blkRead),
    ioWriteMs: toNum(row[shape.blkWrite], shape.blkWrite),
    query: typeof row.query === 'string' ? redactSql(row.query) : '',
    datname: typeof row.datname === 'string' ? row.datname : null,
  };
}

/**
 * An int8 as exact decimal text. A JS number is accepted only when it is a safe integer:
 * beyond 2^53 it has already lost digits (7234567890123456789 reads 7234567890123457000).
 */
export function exactInt8(value: unknown, what: string): string {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'number') {
    throw new ParseFailed(
      `${what} arrived as an inexact JS number (${value}); cast it to text in SQL`,
    );
  }
  throw new ParseFailed(`${what} is not an integer: ${JSON.stringify(String(value))}`);
}

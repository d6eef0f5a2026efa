// The maintenance statement builder and plan checks on fixed inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  diskCheck,
  inWindow,
  isConcurrentLeftover,
  locksCheck,
  longTransactionsCheck,
  maintenanceStatement,
  progressPercent,
} from '../../src/main/care/maintenance-plan';

const table = { kind: 'table' as const, schema: 'public', name: 'x"; DROP TABLE y; --' };

describe('statements', () => {
  test('identifiers are quoted, options from the fixed set', () => {
    const s = maintenanceStatement('vacuum', table, { full: true, analyze: true }, 16, 'app');
    assert.deepEqual(s.sql, ['VACUUM (FULL, ANALYZE) "public"."x""; DROP TABLE y; --"']);
    assert.equal(s.lock, 'ACCESS EXCLUSIVE');
    assert.equal(s.rewrites, true);
    assert.equal(s.progressView, 'pg_stat_progress_cluster');
  });

  test('plain VACUUM of a database', () => {
    const s = maintenanceStatement('vacuum', { kind: 'database' }, {}, 12, 'app');
    assert.deepEqual(s.sql, ['VACUUM']);
    assert.equal(s.lock, 'SHARE UPDATE EXCLUSIVE');
    assert.equal(s.progressView, 'pg_stat_progress_vacuum');
  });

  test('REINDEX: plain takes ACCESS EXCLUSIVE, CONCURRENTLY does not', () => {
    const idx = { kind: 'index' as const, schema: 's', name: 'i' };
    assert.equal(maintenanceStatement('reindex', idx, {}, 17, 'd').lock, 'ACCESS EXCLUSIVE');
    const c = maintenanceStatement('reindex', idx, { concurrently: true }, 17, 'd');
    assert.deepEqual(c.sql, ['REINDEX INDEX CONCURRENTLY "s"."i"']);
    assert.equal(c.lock, 'SHARE UPDATE EXCLUSIVE');
    assert.deepEqual(maintenanceStatement('reindex', { kind: 'database' }, {}, 15, 'my"db').sql, [
      'REINDEX DATABASE "my""db"',
    ]);
    assert.throws(
      () => maintenanceStatement('reindex', idx, { concurrently: true }, 11, 'd'),
      /needs PostgreSQL 12/,
    );
  });

  test('ANALYZE has no progress view before 13', () => {
    assert.equal(maintenanceStatement('analyze', table, {}, 12, 'd').progressView, null);
    assert.equal(
      maintenanceStatement('analyze', table, {}, 13, 'd').progressView,
      'pg_stat_progress_analyze',
    );
  });

  test('options that do not belong to the action are refused', () => {
    assert.throws(() => maintenanceStatement('vacuum', table, { concurrently: true }, 16, 'd'));
    assert.throws(() => maintenanceStatement('analyze', table, { freeze: true }, 16, 'd'));
    assert.throws(() =>
      maintenanceStatement('vacuum', { kind: 'index', schema: 's', name: 'i' }, {}, 16, 'd'),
    );
  });
});

describe('checks', () => {
  test('disk: a rewrite larger than free space blocks; unknown says why', () => {
    assert.equal(diskCheck(true, { rewriteBytes: 100, freeBytes: 105 }).status, 'blocking');
    assert.equal(diskCheck(true, { rewriteBytes: 100, freeBytes: 1000 }).status, 'ok');
    const u = diskCheck(true, { rewriteBytes: 100, freeBytes: null, unknownWhy: 'no SSH host' });
    assert.equal(u.status, 'unknown');
    assert.match(u.message, /no SSH host/);
    assert.equal(diskCheck(false, { rewriteBytes: null, freeBytes: null }).status, 'ok');
  });

  test('locks and long transactions', () => {
    const b = [{ pid: 7, mode: 'ShareLock', xactAgeMs: 400_000, state: 'idle in transaction' }];
    assert.equal(locksCheck(b, 'SHARE UPDATE EXCLUSIVE').status, 'blocking');
    assert.equal(locksCheck([], 'ACCESS EXCLUSIVE').status, 'ok');
    assert.equal(longTransactionsCheck(b, true).status, 'blocking');
    assert.equal(longTransactionsCheck(b, false).status, 'warning');
    assert.equal(longTransactionsCheck([{ ...b[0], xactAgeMs: 1000 }], true).status, 'ok');
  });

  test('progress percentages by view and phase', () => {
    assert.equal(
      progressPercent('pg_stat_progress_vacuum', {
        phase: 'scanning heap',
        heap_blks_scanned: 25,
        heap_blks_total: 100,
      }),
      25,
    );
    assert.equal(
      progressPercent('pg_stat_progress_create_index', {
        phase: 'building index',
        blocks_done: 0,
        blocks_total: 0,
        tuples_done: 5,
        tuples_total: 10,
      }),
      50,
    );
    assert.equal(progressPercent('pg_stat_progress_cluster', { phase: 'rebuilding index' }), null);
  });

  test('leftover names and windows', () => {
    assert.equal(isConcurrentLeftover('t_idx_ccnew'), true);
    assert.equal(isConcurrentLeftover('t_idx_ccold1'), true);
    assert.equal(isConcurrentLeftover('t_ccnewer'), false);
    assert.equal(inWindow('22:00', '04:00', 23 * 60), true);
    assert.equal(inWindow('22:00', '04:00', 5 * 60), false);
    assert.equal(inWindow('01:00', '03:00', 2 * 60), true);
    assert.equal(inWindow('01:00', '03:00', 3 * 60), false);
  });
});

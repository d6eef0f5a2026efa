// Pure parts of the PostgreSQL health snapshot on fixed inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PgIndex, PgSession } from '../../src/shared/care';
import { settingBytes, statementsFix, statementsSql } from '../../src/main/care/pg-health';
import {
  adviseSettings,
  blockingTree,
  duplicateIndexes,
  estimateBloat,
  indexCandidates,
  unusedIndexes,
} from '../../src/main/care/pg-pure';
import { alterSystemSql } from '../../src/main/care/pg-actions';
import { statementsShape } from '../../src/main/collectors/postgres/statements';

function session(pid: number, blockedBy: number[] = []): PgSession {
  return {
    pid,
    user: 'u',
    database: 'd',
    application: null,
    clientAddr: null,
    state: 'active',
    waitEventType: blockedBy.length ? 'Lock' : null,
    waitEvent: null,
    query: '',
    backendType: 'client backend',
    xactAgeMs: 0,
    queryAgeMs: 0,
    blockedBy,
  };
}

function index(name: string, def: string, extra: Partial<PgIndex> = {}): PgIndex {
  return {
    schema: 'public',
    table: 't',
    name,
    bytes: 8192,
    scans: 0,
    unique: false,
    primary: false,
    constraint: false,
    valid: true,
    definition: def,
    bloatBytes: 0,
    bloatRatio: 0,
    ...extra,
  };
}

describe('blocking tree', () => {
  test('a holder blocking two, one of which blocks a third', () => {
    const tree = blockingTree([
      session(10),
      session(11, [10]),
      session(12, [10]),
      session(13, [11]),
    ]);
    assert.equal(tree.length, 1);
    assert.equal(tree[0].pid, 10);
    assert.deepEqual(
      tree[0].blocks.map((b) => b.pid),
      [11, 12],
    );
    assert.deepEqual(
      tree[0].blocks[0].blocks.map((b) => b.pid),
      [13],
    );
  });

  test('a cycle is shown once, entered at its lowest pid', () => {
    const tree = blockingTree([session(5, [6]), session(6, [5])]);
    assert.equal(tree.length, 1);
    assert.equal(tree[0].pid, 5);
    assert.deepEqual(
      tree[0].blocks.map((b) => b.pid),
      [6],
    );
    assert.deepEqual(tree[0].blocks[0].blocks, []);
  });

  test('no waiters, no tree', () => {
    assert.deepEqual(blockingTree([session(1), session(2)]), []);
  });
});

describe('bloat estimate', () => {
  test('a table holding ten times the pages its rows need', () => {
    // 10,000 rows of 100 bytes + 28 overhead fit in ~ 10000 / 63 = 159 pages.
    const b = estimateBloat({
      pages: 1590,
      tuples: 10_000,
      blockSize: 8192,
      dataWidth: 100,
      overhead: 28,
      fillfactor: 100,
    });
    assert.ok(b.ratio > 0.85 && b.ratio < 0.95, String(b.ratio));
  });

  test('without widths the dead-tuple share is used', () => {
    const b = estimateBloat({
      pages: 100,
      tuples: 0,
      blockSize: 8192,
      dataWidth: null,
      overhead: 28,
      fillfactor: 100,
      liveTuples: 250,
      deadTuples: 750,
    });
    assert.equal(b.ratio, 0.75);
  });

  test('an empty relation has no bloat', () => {
    const b = estimateBloat({
      pages: 0,
      tuples: 0,
      blockSize: 8192,
      dataWidth: 10,
      overhead: 28,
      fillfactor: 100,
    });
    assert.deepEqual(b, { bytes: 0, ratio: 0 });
  });
});

describe('indexes', () => {
  const a = index('t_b1', 'CREATE INDEX t_b1 ON public.t USING btree (b)');
  const b = index('t_b2', 'CREATE INDEX t_b2 ON public.t USING btree (b)');
  const pk = index('t_pkey', 'CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a)', {
    unique: true,
    primary: true,
    constraint: true,
  });
  const c = index('t_c', 'CREATE INDEX t_c ON public.t USING btree (b) WHERE (b > 0)');

  test('same columns and predicate are duplicates; a partial index is not', () => {
    const d = duplicateIndexes([a, b, pk, c]);
    assert.equal(d.length, 1);
    assert.deepEqual(d[0].names, ['t_b1', 't_b2']);
    assert.equal(d[0].wastedBytes, 8192);
  });

  test('unused: never scanned, not unique, not a constraint, valid', () => {
    const invalid = index('t_ccnew', 'CREATE INDEX t_ccnew ON public.t USING btree (b)', {
      valid: false,
    });
    const scanned = index('t_s', 'CREATE INDEX t_s ON public.t USING btree (s)', { scans: 3 });
    assert.deepEqual(
      unusedIndexes([a, pk, invalid, scanned]).map((i) => i.name),
      ['t_b1'],
    );
  });
});

test('index candidates: many sequential scans over many rows', () => {
  const table = {
    schema: 'public',
    name: 'orders',
    totalBytes: 0,
    tableBytes: 0,
    indexBytes: 0,
    rowEstimate: 1_000_000,
    seqScans: 500,
    seqTupRead: 500_000_000,
    idxScans: 3,
    liveTuples: 1_000_000,
    deadTuples: 0,
    lastVacuum: null,
    lastAutovacuum: null,
    lastAnalyze: null,
    lastAutoanalyze: null,
    xidAge: 0,
    wraparoundFraction: 0,
    bloatBytes: 0,
    bloatRatio: 0,
  };
  const c = indexCandidates([table, { ...table, name: 'small', rowEstimate: 100 }]);
  assert.deepEqual(
    c.map((x) => x.table),
    ['orders'],
  );
  assert.match(c[0].why, /500 sequential scans read 1000000 rows each/);
});

describe('pg_stat_statements', () => {
  test('the fix for a missing extension keeps preloaded libraries', () => {
    assert.equal(
      statementsFix('not-installed', 'auto_explain', 'app'),
      "1. ALTER SYSTEM SET shared_preload_libraries = 'auto_explain,pg_stat_statements'; then " +
        'restart PostgreSQL (a reload is not enough)\n2. in database "app": CREATE EXTENSION ' +
        'pg_stat_statements;',
    );
  });

  test('installed but preloaded already: only the extension is created', () => {
    assert.equal(
      statementsFix('not-installed', 'pg_stat_statements', 'app'),
      '1. in database "app": CREATE EXTENSION pg_stat_statements;',
    );
  });

  test('not preloaded: the restart step', () => {
    assert.match(
      statementsFix('not-preloaded', '', 'app'),
      /shared_preload_libraries = 'pg_stat_statements'/,
    );
  });

  test('old and new column names, chosen from the extension version', () => {
    const old = statementsSql('public', statementsShape('1.7'), 'mean');
    assert.match(old, /order by s\.mean_time desc/);
    assert.match(old, /null::float8 as total_plan_time/);
    const v17 = statementsSql('public', statementsShape('1.11'), 'total');
    assert.match(v17, /s\.shared_blk_read_time/);
    assert.match(v17, /order by s\.total_exec_time desc/);
    assert.match(v17, /queryid::text/);
  });
});

describe('settings', () => {
  test('pg_settings units to bytes', () => {
    assert.equal(settingBytes('16384', '8kB'), 16384 * 8192);
    assert.equal(settingBytes('4096', 'kB'), 4096 * 1024);
    assert.equal(settingBytes('100', null), 100);
  });

  test('advice against 16 GB and 4 cores', () => {
    const GB = 1024 ** 3;
    const advice = adviseSettings(
      {
        sharedBuffersBytes: 128 * 1024 ** 2,
        effectiveCacheSizeBytes: 4 * GB,
        workMemBytes: 4 * 1024 ** 2,
        maxConnections: 500,
        autovacuum: false,
      },
      { memoryBytes: 16 * GB, cores: 4, source: 'ssh' },
    );
    const by = new Map(advice.map((a) => [a.setting, a]));
    assert.equal(by.get('shared_buffers')?.suggested, '4GB');
    assert.equal(by.get('shared_buffers')?.severity, 'warning');
    assert.equal(by.get('shared_buffers')?.sql, `ALTER SYSTEM SET "shared_buffers" = '4GB'`);
    assert.equal(by.get('effective_cache_size')?.suggested, '12GB');
    assert.equal(by.get('max_connections')?.suggested, '100');
    assert.equal(by.get('autovacuum')?.severity, 'warning');
    assert.equal(by.get('work_mem')?.severity, 'ok');
  });

  test('unknown memory: sizes are not suggested', () => {
    const advice = adviseSettings(
      {
        sharedBuffersBytes: 1,
        effectiveCacheSizeBytes: 1,
        workMemBytes: 1,
        maxConnections: 100,
        autovacuum: true,
      },
      { memoryBytes: null, cores: null, source: 'unknown' },
    );
    assert.ok(advice.filter((a) => a.setting !== 'autovacuum').every((a) => a.sql === null));
  });

  test('a setting value that is not plain letters and digits is refused', () => {
    assert.throws(() => alterSystemSql('work_mem', "1'; drop table x; --"));
    assert.equal(alterSystemSql('work_mem', '64MB'), `ALTER SYSTEM SET "work_mem" = '64MB'`);
  });
});

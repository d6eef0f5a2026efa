// Backup pre-flight, table of contents, counts, retention and objectives on fixed inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backup, Verification } from '../../src/shared/care';
import {
  compareCounts,
  objectives,
  pickTool,
  retentionDecision,
  scratchName,
  serverMajor,
  tocEntries,
  toolMajor,
} from '../../src/main/care/backup-pure';

describe('pg_dump version pre-flight (case pg-dump-version-skew)', () => {
  test('server 170002 against pg_dump 16.4 is refused before starting, naming both', () => {
    assert.equal(serverMajor(170002), 17);
    assert.equal(toolMajor('pg_dump (PostgreSQL) 16.4'), 16);
    const c = pickTool(
      [{ path: '/usr/bin/pg_dump', versionText: 'pg_dump (PostgreSQL) 16.4' }],
      170002,
      'db-1',
    );
    assert.equal(c.ok, false);
    if (c.ok) return;
    assert.match(c.message, /pg_dump \(PostgreSQL\) 16\.4/);
    assert.match(c.message, /PostgreSQL 17 \(server_version_num 170002\)/);
    assert.match(c.message, /Nothing was started/);
  });

  test('a newer pg_dump of the same or later major is chosen', () => {
    const c = pickTool(
      [
        { path: '/usr/lib/postgresql/16/bin/pg_dump', versionText: 'pg_dump (PostgreSQL) 16.4' },
        { path: '/usr/lib/postgresql/17/bin/pg_dump', versionText: 'pg_dump (PostgreSQL) 17.2' },
      ],
      170002,
      'db-1',
    );
    assert.deepEqual(c, {
      ok: true,
      path: '/usr/lib/postgresql/17/bin/pg_dump',
      versionText: 'pg_dump (PostgreSQL) 17.2',
      major: 17,
    });
    assert.equal(pickTool([], 150004, 'x').ok, false);
    assert.equal(toolMajor('pg_dump (PostgreSQL) 9.6.24'), 9);
    assert.equal(toolMajor('garbage'), null);
  });
});

test('table of contents entries exclude comments', () => {
  const listing = [
    ';',
    '; Archive created at 2026-12-04 17:00:00 UTC',
    ';     dbname: postgres',
    '215; 1259 16390 TABLE public orders postgres',
    '3350; 0 16390 TABLE DATA public orders postgres',
    '',
  ].join('\n');
  assert.equal(tocEntries(listing), 2);
});

test('scratch names carry the prefix and only safe characters', () => {
  assert.equal(scratchName('AB-12_x', 'f00D'), 'opsdeck_verify_ab12x_f00d');
});

test('counts: exact must match, estimates within 10 %', () => {
  const checks = compareCounts(
    [
      { schema: 'public', name: 'a', rowEstimate: 100, exactRows: 100 },
      { schema: 'public', name: 'b', rowEstimate: 1000, exactRows: null },
      { schema: 'public', name: 'c', rowEstimate: 1000, exactRows: null },
      { schema: 'public', name: 'd', rowEstimate: 5, exactRows: 5 },
    ],
    new Map([
      ['public.a', 100],
      ['public.b', 1050],
      ['public.c', 2000],
    ]),
  );
  assert.deepEqual(
    checks.map((c) => c.ok),
    [true, true, false, false],
  );
  assert.equal(checks[3].restored, -1);
});

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 4, 12);

function backup(id: string, ageH: number, verified: boolean | null): Backup {
  const v: Verification | null =
    verified === null
      ? null
      : {
          id: `v${id}`,
          backupId: id,
          t: NOW - ageH * H + 60_000,
          ok: verified,
          checksumOk: verified,
          listOk: verified,
          restoreOk: verified,
          scratchDatabase: null,
          restoreMs: verified ? 90_000 : null,
          tables: [],
          reason: verified ? null : 'checksum',
        };
  return {
    id,
    targetId: 'pg',
    mode: 'local',
    path: `/b/${id}`,
    status: 'succeeded',
    startedAt: NOW - ageH * H,
    finishedAt: NOW - ageH * H + 1000,
    durationMs: 1000,
    sizeBytes: 1,
    sha256: 'x',
    tocEntries: 1,
    serverVersionNum: 150000,
    pgDumpVersion: '15',
    tables: [],
    error: null,
    verification: v,
    deletedAt: null,
  };
}

describe('retention', () => {
  test('expired backups wait for a newer verified one', () => {
    const d = retentionDecision(
      [backup('new', 1, false), backup('old', 30, true)],
      { keepLast: 1, dailyDays: 0, weeklyWeeks: 0 },
      NOW,
    );
    assert.deepEqual(d, { keep: ['new'], remove: [], heldBack: ['old'] });
  });

  test('last N, newest per day and per week', () => {
    const list = [
      backup('a', 1, true),
      backup('b', 2, true),
      backup('c', 25, true),
      backup('d', 26, true),
      backup('e', 24 * 8, true),
      backup('f', 24 * 40, true),
    ];
    const d = retentionDecision(list, { keepLast: 1, dailyDays: 2, weeklyWeeks: 2 }, NOW);
    assert.ok(d.keep.includes('a'));
    assert.ok(d.keep.includes('c'), 'newest of yesterday');
    assert.ok(d.keep.includes('e'), 'newest of last week');
    assert.deepEqual(d.remove.sort(), ['b', 'd', 'f']);
  });
});

test('objectives against the newest verified backup and the last restore', () => {
  const o = objectives(
    'pg',
    'db',
    [backup('a', 1, false), backup('b', 30, true)],
    { targetId: 'pg', keepLast: 1, dailyDays: 0, weeklyWeeks: 0, rpoHours: 24, rtoHours: 1 },
    NOW,
  );
  assert.equal(o.newestVerifiedAgeMs, 30 * H);
  assert.equal(o.rpoOk, false);
  assert.equal(o.lastRestoreMs, 90_000);
  assert.equal(o.rtoOk, true);
});

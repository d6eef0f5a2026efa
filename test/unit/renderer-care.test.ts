// Pure renderer logic of the database care pages: when a change may be confirmed, tabs and
// their routes, the fixed option set, words for runs, backups and recovery objectives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockingNode, ObjectiveStatus, PgSession } from '../../src/shared/care';
import { confirmMissing } from '../../src/renderer/src/care/confirm';
import {
  actionText,
  cleanOptions,
  isNotInBuild,
  memoryParts,
  optionsFor,
  rpoWords,
  rtoWords,
  scopesFor,
  treeRows,
  verdictOf,
  verificationWords,
} from '../../src/renderer/src/care/logic';
import { PG_TABS, REDIS_TABS, tabOf } from '../../src/renderer/src/care/tabs';
import { parseRoute, routeHash } from '../../src/renderer/src/router';

const HOUR = 3600_000;

test('a plain change may be confirmed at once', () => {
  const needs = { targetName: 'pg-main', typeName: false, blockers: [] };
  assert.equal(confirmMissing(needs, { typed: '', override: false }), null);
});

test('ACCESS EXCLUSIVE work needs the exact target name typed', () => {
  const needs = { targetName: 'pg-main', typeName: true, blockers: [] };
  assert.match(confirmMissing(needs, { typed: '', override: false }) ?? '', /Type .*pg-main/);
  assert.notEqual(confirmMissing(needs, { typed: 'pg-mai', override: false }), null);
  assert.notEqual(confirmMissing(needs, { typed: 'PG-MAIN', override: false }), null);
  assert.equal(confirmMissing(needs, { typed: 'pg-main', override: false }), null);
  assert.equal(confirmMissing(needs, { typed: ' pg-main ', override: false }), null);
});

test('a blocking plan needs the override, and the name too when both apply', () => {
  const needs = { targetName: 'db', typeName: true, blockers: ['a transaction open for 2 h'] };
  assert.match(confirmMissing(needs, { typed: 'db', override: false }) ?? '', /override/);
  assert.match(confirmMissing(needs, { typed: '', override: true }) ?? '', /Type/);
  assert.equal(confirmMissing(needs, { typed: 'db', override: true }), null);
});

test('tabs: unknown or missing names fall back to the overview', () => {
  assert.equal(tabOf(PG_TABS, null).id, 'overview');
  assert.equal(tabOf(PG_TABS, 'nope').id, 'overview');
  assert.equal(tabOf(PG_TABS, 'maintenance').id, 'maintenance');
  assert.equal(tabOf(REDIS_TABS, 'maintenance').id, 'overview');
  const ids = PG_TABS.map((t) => t.id);
  for (const id of ['activity', 'queries', 'tables', 'replication', 'backups', 'advice'])
    assert.ok(ids.includes(id), id);
});

test('tab routes round-trip and keep range and moment', () => {
  const r = parseRoute('#/target/pg-1/maintenance?range=6h');
  assert.deepEqual(r, { page: 'target', id: 'pg-1', range: '6h', at: null, tab: 'maintenance' });
  assert.equal(routeHash(r), '#/target/pg-1/maintenance?range=6h');
  assert.deepEqual(parseRoute('#/target/pg-1'), {
    page: 'target',
    id: 'pg-1',
    range: null,
    at: null,
  });
  assert.equal(
    routeHash({ page: 'target', id: 'a b', range: null, tab: 'backups' }),
    '#/target/a%20b/backups',
  );
  assert.equal(parseRoute('#/target/pg-1/backups/x').page, 'missing');
});

test('options come from a fixed set per action; others are dropped', () => {
  assert.deepEqual(optionsFor('vacuum'), ['full', 'freeze', 'analyze']);
  assert.deepEqual(optionsFor('analyze'), []);
  assert.deepEqual(optionsFor('reindex'), ['concurrently']);
  assert.deepEqual(cleanOptions('vacuum', { full: true, concurrently: true, freeze: false }), {
    full: true,
  });
  assert.deepEqual(cleanOptions('analyze', { full: true }), {});
  assert.deepEqual(scopesFor('drop-invalid-index'), ['index']);
  assert.deepEqual(cleanOptions('drop-invalid-index', { concurrently: true }), {});
  assert.ok(!scopesFor('vacuum').includes('index'));
});

test('an action in words names options and scope', () => {
  assert.equal(
    actionText(
      'vacuum',
      { full: true, analyze: true },
      { kind: 'table', schema: 'public', name: 'orders' },
    ),
    'VACUUM (FULL, ANALYZE) on public.orders',
  );
  assert.equal(actionText('analyze', {}, { kind: 'database' }), 'ANALYZE on the whole database');
  assert.equal(
    actionText('reindex', { concurrently: true }, { kind: 'index', schema: 's', name: 'i' }),
    'REINDEX (CONCURRENTLY) on index s.i',
  );
});

function session(pid: number): PgSession {
  return {
    pid,
    user: 'app',
    database: 'shop',
    application: null,
    clientAddr: null,
    state: 'active',
    waitEventType: null,
    waitEvent: null,
    query: 'select 1',
    backendType: 'client backend',
    xactAgeMs: 1000,
    queryAgeMs: 500,
    blockedBy: [],
  };
}

test('the blocking tree becomes indented rows with how many wait behind each', () => {
  const tree: BlockingNode[] = [
    {
      pid: 10,
      session: session(10),
      blocks: [
        { pid: 11, session: session(11), blocks: [{ pid: 12, session: null, blocks: [] }] },
        { pid: 13, session: session(13), blocks: [] },
      ],
    },
  ];
  const rows = treeRows(tree);
  assert.deepEqual(
    rows.map((r) => [r.pid, r.depth, r.waiting]),
    [
      [10, 0, 3],
      [11, 1, 1],
      [12, 2, 0],
      [13, 1, 0],
    ],
  );
});

function objective(over: Partial<ObjectiveStatus>): ObjectiveStatus {
  return {
    targetId: 'pg',
    targetName: 'pg-main',
    rpoHours: 24,
    rtoHours: 4,
    newestVerifiedAt: 0,
    newestVerifiedAgeMs: 2 * HOUR,
    lastRestoreMs: 90_000,
    rpoOk: true,
    rtoOk: true,
    ...over,
  };
}

test('RPO and RTO in words, green or red, never colour alone', () => {
  assert.deepEqual(rpoWords(objective({})), {
    tone: 'ok',
    text: 'RPO met: newest verified backup 2 h old (objective 24 h)',
  });
  assert.equal(rpoWords(objective({ newestVerifiedAgeMs: 30 * HOUR, rpoOk: false })).tone, 'bad');
  assert.match(
    rpoWords(objective({ newestVerifiedAt: null, newestVerifiedAgeMs: null, rpoOk: null })).text,
    /no verified backup/,
  );
  assert.equal(rpoWords(objective({ rpoHours: null })).tone, 'unknown');
  assert.deepEqual(rtoWords(objective({})), {
    tone: 'ok',
    text: 'RTO met: last test restore took 1 min 30 s (objective 4 h)',
  });
  assert.equal(rtoWords(objective({ lastRestoreMs: 5 * HOUR, rtoOk: false })).tone, 'bad');
  assert.match(rtoWords(objective({ lastRestoreMs: null, rtoOk: null })).text, /no test restore/);
});

test('a verification in words', () => {
  assert.deepEqual(verificationWords(null), { tone: 'unknown', text: 'not verified' });
  const base = {
    id: 'v',
    backupId: 'b',
    t: 0,
    checksumOk: true,
    listOk: true,
    restoreOk: true,
    scratchDatabase: 'opsdeck_verify_x',
    tables: [],
  };
  assert.deepEqual(verificationWords({ ...base, ok: true, restoreMs: 4200, reason: null }), {
    tone: 'ok',
    text: 'verified, restore took 4.2 s',
  });
  const bad = verificationWords({
    ...base,
    ok: false,
    checksumOk: false,
    restoreMs: null,
    reason: 'checksum differs',
  });
  assert.equal(bad.tone, 'bad');
  assert.match(bad.text, /checksum differs/);
});

test('the backend saying a part is not built yet is told apart from failures', () => {
  const e = new Error('This part of database care is not in this build yet.');
  e.name = 'CareUnavailable';
  assert.equal(isNotInBuild(e), true);
  assert.equal(isNotInBuild(new Error('connection refused')), false);
  assert.equal(isNotInBuild('CareUnavailable'), false);
});

test('MEMORY STATS: only the parts of used memory, never ratios, counts or totals', () => {
  const parts = memoryParts({
    'peak.allocated': 1_340_000,
    'total.allocated': 1_320_000,
    'startup.allocated': 876_000,
    'dataset.bytes': 417_000,
    'clients.normal': 5900,
    'keys.count': 501,
    'keys.bytes-per-key': 892,
    'peak.percentage': 98.4,
    fragmentation: 9.89,
    'rss-overhead.ratio': 3.1,
    'allocator.resident': 5_000_000,
    'overhead.total': 903_000,
    'db.0.overhead.hashtable.main': 24_000,
    'replication.backlog': 0,
  });
  assert.deepEqual(
    parts.map((p) => [p.part, p.bytes]),
    [
      ['startup', 876_000],
      ['data set (keys and values)', 417_000],
      ['key table (db0)', 24_000],
      ['client buffers', 5900],
    ],
  );
});

test('the verdict of an objective is the words before the reason', () => {
  assert.equal(verdictOf(rpoWords(objective({}))), 'RPO met');
  assert.equal(
    verdictOf(rtoWords(objective({ lastRestoreMs: null, rtoOk: null }))),
    'RTO unproven',
  );
  assert.equal(verdictOf(rpoWords(objective({ rpoHours: null }))), 'no RPO set');
});

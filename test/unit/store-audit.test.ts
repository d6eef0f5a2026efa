import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH, Store } from '../../src/main/store';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-store-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const T0 = Date.UTC(2025, 0, 1);

/** A closed file with five chained audit entries. */
function auditedFile(): string {
  const file = join(dir, `a${n++}.db`);
  const store = Store.open(file);
  for (let i = 1; i <= 5; i++) {
    store.appendAudit({
      t: T0 + i,
      operator: 'ann',
      targetId: i % 2 ? 'db1' : null,
      action: 'vacuum',
      detail: `table t${i}`,
      result: 'ok',
    });
  }
  store.close();
  return file;
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

function verify(file: string) {
  const store = Store.open(file);
  try {
    return store.verifyAudit();
  } finally {
    store.close();
  }
}

describe('audit log', () => {
  test('entries are listed newest first and the chain verifies', () => {
    const file = auditedFile();
    const store = Store.open(file);
    const list = store.listAudit(3);
    assert.deepEqual(
      list.map((e) => e.id),
      [5, 4, 3],
    );
    assert.equal(list[2].targetId, 'db1');
    assert.equal(list[1].targetId, null);
    assert.deepEqual(store.verifyAudit(), { ok: true, checked: 5 });
    store.close();
  });

  test('each hash covers the previous hash and the fields', () => {
    const e = { t: 1, operator: 'a', targetId: null, action: 'x', detail: 'd', result: 'ok' };
    const h1 = auditHash(GENESIS_HASH, e);
    assert.match(h1, /^[0-9a-f]{64}$/);
    assert.notEqual(auditHash(h1, e), h1);
    assert.notEqual(auditHash(GENESIS_HASH, { ...e, detail: 'D' }), h1);
  });

  test('an edited row is reported as the first broken entry', () => {
    const file = auditedFile();
    tamper(file, "UPDATE audit SET result = 'failed' WHERE id = 3");
    const v = verify(file);
    assert.equal(v.ok, false);
    assert.ok(!v.ok && v.brokenId === 3 && v.checked === 2 && /changed/.test(v.reason));
  });

  test('a removed row breaks the chain at the entry after it', () => {
    const file = auditedFile();
    tamper(file, 'DELETE FROM audit WHERE id = 2');
    const v = verify(file);
    assert.ok(!v.ok && v.brokenId === 3 && /removed/.test(v.reason), JSON.stringify(v));
  });

  test('a removed first row is reported too', () => {
    const file = auditedFile();
    tamper(file, 'DELETE FROM audit WHERE id = 1');
    const v = verify(file);
    assert.ok(!v.ok && v.brokenId === 2 && /removed/.test(v.reason), JSON.stringify(v));
  });

  test('a row with a recomputed own hash still breaks the next one', () => {
    const file = auditedFile();
    const db = new Database(file);
    const prev = db.prepare('SELECT hash FROM audit WHERE id = 2').pluck().get() as string;
    const forged = {
      t: T0 + 3,
      operator: 'eve',
      targetId: 'db1',
      action: 'vacuum',
      detail: 'table t3',
      result: 'ok',
    };
    db.prepare('UPDATE audit SET operator = ?, hash = ? WHERE id = 3').run(
      'eve',
      auditHash(prev, forged),
    );
    db.close();
    const v = verify(file);
    assert.ok(!v.ok && v.brokenId === 4, JSON.stringify(v));
  });

  test('appending after a restart continues the chain', () => {
    const file = auditedFile();
    const store = Store.open(file);
    store.appendAudit({
      t: T0 + 9,
      operator: 'bob',
      targetId: null,
      action: 'backup',
      detail: '',
      result: 'ok',
    });
    assert.deepEqual(store.verifyAudit(), { ok: true, checked: 6 });
    store.close();
  });
});

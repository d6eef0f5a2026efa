import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSql } from '../../src/main/collectors/postgres/redact';

const cases: [string, string][] = [
  [
    "CREATE ROLE opsdeck_monitor LOGIN PASSWORD 's3cr''et'",
    "CREATE ROLE opsdeck_monitor LOGIN PASSWORD '[redacted]'",
  ],
  [
    "alter user bob with encrypted password 'x1'",
    "alter user bob with encrypted password '[redacted]'",
  ],
  ["ALTER ROLE a PASSWORD E'a\\'b'", "ALTER ROLE a PASSWORD '[redacted]'"],
  [
    "CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password 'hunter2')",
    "CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password '[redacted]')",
  ],
  [
    "CREATE SUBSCRIPTION s CONNECTION 'host=db user=rep password=topsecret dbname=app' PUBLICATION p",
    "CREATE SUBSCRIPTION s CONNECTION 'host=db user=rep password=[redacted] dbname=app' PUBLICATION p",
  ],
  [
    "select dblink_connect('postgresql://rep:pw@db/app')",
    "select dblink_connect('postgresql://rep:[redacted]@db/app')",
  ],
  [
    "select pgp_sym_encrypt(card, 'k3y') from cards",
    "select pgp_sym_encrypt(card, '[redacted]') from cards",
  ],
  ["ALTER ROLE a PASSWORD 'cut-sho", "ALTER ROLE a PASSWORD '[redacted]"],
  // Every other form of a string constant PostgreSQL takes for a password
  [
    'CREATE USER u1 WITH ENCRYPTED PASSWORD $$Dollar-Secret1$$',
    "CREATE USER u1 WITH ENCRYPTED PASSWORD '[redacted]'",
  ],
  [
    'CREATE USER u2 PASSWORD $tag$Tag-$$-Secret5$tag$ VALID UNTIL $$2030-01-01$$',
    "CREATE USER u2 PASSWORD '[redacted]' VALID UNTIL $$2030-01-01$$",
  ],
  ["ALTER ROLE a PASSWORD $$it's$$ LOGIN", "ALTER ROLE a PASSWORD '[redacted]' LOGIN"],
  ["ALTER ROLE a PASSWORD U&'d\\0061t''a'", "ALTER ROLE a PASSWORD '[redacted]'"],
  ['ALTER ROLE a PASSWORD $q$cut-sho', "ALTER ROLE a PASSWORD '[redacted]"],
  [
    'CREATE USER MAPPING FOR u SERVER s OPTIONS (password $$hunter2$$)',
    "CREATE USER MAPPING FOR u SERVER s OPTIONS (password '[redacted]')",
  ],
  ['select pgp_sym_decrypt(c, $k$k3y$k$) from t', "select pgp_sym_decrypt(c, '[redacted]') from t"],
];

test('secrets in query text are masked, the rest is kept', () => {
  for (const [input, expected] of cases) assert.equal(redactSql(input), expected);
});

test('ordinary queries are untouched', () => {
  for (const q of [
    'select * from users where id = $1',
    "select 'password' as label",
    'update accounts set password_hash = $1 where id = $2',
    'select $$password$$ as label, $1 as x',
  ]) {
    assert.equal(redactSql(q), q);
  }
});

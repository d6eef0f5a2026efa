// Query text from pg_stat_activity and pg_stat_statements is shown and cached, and it can hold
// secrets: utility statements (CREATE/ALTER ROLE … PASSWORD '…', user mappings, subscriptions
// with a conninfo) are kept verbatim, not normalised to $n. Secrets are masked before the
// text leaves the collector, so neither the store nor a screen ever holds them.

const MASK = '[redacted]';

/** A SQL string constant in any of its forms: '…' with '' inside, E'…' with backslash
 * escapes, U&'…' with Unicode escapes, and dollar quoting ($$…$$, $tag$…$tag$), which
 * PostgreSQL accepts wherever a string constant goes, PASSWORD included. */
const LITERAL = String.raw`(?:[eE]'(?:[^'\\]|\\.|'')*'|(?:[uU]&)?'(?:[^']|'')*'|\$(?<tag>[A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\k<tag>\$)`;
/** The opening of a string constant whose end was cut off by the query-text limit. */
const OPENING = String.raw`(?:[eE]'|(?:[uU]&)?'|\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)`;

const RULES: [RegExp, string][] = [
  // PASSWORD 'x', ENCRYPTED PASSWORD 'x', OPTIONS (password 'x'), … password = 'x'
  [new RegExp(String.raw`(\bpassword\s*(?:=\s*)?)${LITERAL}`, 'gi'), `$1'${MASK}'`],
  // A literal cut short by the query-text limit (track_activity_query_size or ours)
  [
    new RegExp(String.raw`(\bpassword(?:\s+|\s*=\s*))${OPENING}(?!\[redacted\]')[^']*$`, 'i'),
    `$1'${MASK}`,
  ],
  // password=secret inside a conninfo string (CREATE SUBSCRIPTION, dblink, postgres_fdw)
  [/(\bpassword\s*=\s*)(?!'\[redacted\]')('[^']*'|[^\s']+)/gi, `$1${MASK}`],
  // postgres://user:secret@host inside a string
  [/(\bpostgres(?:ql)?:\/\/[^:/@\s']+:)[^@\s']+@/gi, `$1${MASK}@`],
  // pgcrypto and friends: the key argument of symmetric encryption calls
  [
    new RegExp(String.raw`(\bpgp_sym_(?:en|de)crypt(?:_bytea)?\s*\(\s*[^,]+,\s*)${LITERAL}`, 'gi'),
    `$1'${MASK}'`,
  ],
];

export function redactSql(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}

// PostgreSQL health tabs: activity with the blocking tree, slow queries, tables and indexes,
// replication and settings advice. Each takes the health snapshot and callbacks; the
// container fetches and confirms.
import type {
  AdviceItem,
  PgHealth,
  PgIndex,
  PgSession,
  PgStatement,
  StatementsState,
} from '../../../../shared/care';
import { assertNever } from '../../../../shared/result';
import { treeRows } from '../../care/logic';
import { ToneWord, type Tone } from '../../components/CareBits';
import { RecordTable, type Row } from '../../components/SnapshotView';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent } from '../../format';

export type SignalAction = 'cancel' | 'terminate';

const msText = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms / 1000));

function sessionWhat(s: PgSession | null): string {
  if (!s) return 'session gone';
  return [s.user, s.database, s.state].filter(Boolean).join(' · ');
}

export function ActivityTab(props: {
  health: PgHealth;
  onSignal: (session: PgSession, action: SignalAction) => void;
}): React.ReactElement {
  const { sessions, blockingTree } = props.health.activity;
  const rows = treeRows(blockingTree);
  const clients = sessions.filter(
    (s) => s.backendType === null || s.backendType === 'client backend',
  );
  return (
    <>
      <section className="panel" aria-label="Blocking tree">
        <header className="panel-head">
          <h3>Blocking tree</h3>
          <span className="muted small">who blocks whom, from pg_blocking_pids</span>
        </header>
        {rows.length === 0 ? (
          <p className="muted">
            <ToneWord tone="ok">No session is blocked</ToneWord>
          </p>
        ) : (
          <ul className="blocking-tree">
            {rows.map((r) => (
              <li key={`${r.pid}-${r.depth}`} style={{ marginLeft: `${r.depth * 1.6}em` }}>
                {r.depth === 0 ? (
                  <ToneWord tone="bad">blocks {r.waiting}</ToneWord>
                ) : (
                  <span className="muted">↳ waits</span>
                )}{' '}
                <strong className="mono">pid {r.pid}</strong> {sessionWhat(r.session)}
                {r.session && (
                  <>
                    {' '}
                    · transaction {msText(r.session.xactAgeMs)}
                    <div className="mono small clip-line" title={r.session.query}>
                      {r.session.query || '—'}
                    </div>
                    <SignalButtons session={r.session} onSignal={props.onSignal} />
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-label="Sessions">
        <header className="panel-head">
          <h3>
            Sessions <span className="muted">({clients.length})</span>
          </h3>
        </header>
        {clients.length === 0 && <p className="muted">No client session besides Opsdeck's own.</p>}
        <div className="table-scroll" hidden={clients.length === 0}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Pid</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
                <th scope="col">User · database</th>
                <th scope="col">State</th>
                <th scope="col">Wait</th>
                <th scope="col">Transaction</th>
                <th scope="col">Query age</th>
                <th scope="col">Blocked by</th>
                <th scope="col">Query</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((s) => (
                <tr key={s.pid}>
                  <td className="mono num">{s.pid}</td>
                  <td className="nowrap">
                    <SignalButtons session={s} onSignal={props.onSignal} short />
                  </td>
                  <td>
                    {s.user ?? '—'} · {s.database ?? '—'}
                    {s.application && <div className="muted small">{s.application}</div>}
                  </td>
                  <td>{s.state ?? '—'}</td>
                  <td>{s.waitEvent ? `${s.waitEventType}: ${s.waitEvent}` : '—'}</td>
                  <td className="num">{msText(s.xactAgeMs)}</td>
                  <td className="num">{msText(s.queryAgeMs)}</td>
                  <td className="mono">
                    {s.blockedBy.length ? (
                      <ToneWord tone="warn">{s.blockedBy.join(', ')}</ToneWord>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="mono clip" title={s.query}>
                    {s.query || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function SignalButtons(props: {
  session: PgSession;
  onSignal: (session: PgSession, action: SignalAction) => void;
  /** "Cancel" instead of "Cancel query", for table rows. */
  short?: boolean;
}): React.ReactElement {
  const s = props.session;
  return (
    <span className="row-actions">
      <button
        type="button"
        aria-label={`Cancel the query of pid ${s.pid}`}
        onClick={() => props.onSignal(s, 'cancel')}
      >
        {props.short ? 'Cancel' : 'Cancel query'}
      </button>
      <button
        type="button"
        className="danger-outline"
        aria-label={`Terminate pid ${s.pid}`}
        onClick={() => props.onSignal(s, 'terminate')}
      >
        Terminate
      </button>
    </span>
  );
}

function statementRows(list: PgStatement[]): Row[] {
  return list.map((s) => ({
    queryid: s.queryId,
    calls: s.calls,
    total_ms: s.totalMs,
    mean_ms: s.meanMs,
    plan_ms: s.planMs,
    rows: s.rows,
    shared_hit: s.sharedHit,
    shared_read: s.sharedRead,
    query: s.query,
  }));
}

const STATEMENT_COLUMNS = ['queryid', 'calls', 'total_ms', 'mean_ms', 'plan_ms', 'rows'];

export function QueriesTab({
  statements,
  now,
}: {
  statements: StatementsState;
  now: number;
}): React.ReactElement {
  if (!statements.available) return <StatementsMissing state={statements} />;
  return (
    <>
      <p className="muted small">
        pg_stat_statements {statements.extVersion}; query ids are shown exactly as the server keeps
        them.
      </p>
      <RecordTable
        title="Top by total time"
        rows={statementRows(statements.byTotal)}
        now={now}
        columns={STATEMENT_COLUMNS}
      />
      <RecordTable
        title="Top by mean time"
        rows={statementRows(statements.byMean)}
        now={now}
        columns={STATEMENT_COLUMNS}
      />
    </>
  );
}

function missingWhy(reason: 'not-installed' | 'not-preloaded' | 'no-permission'): string {
  switch (reason) {
    case 'not-installed':
      return 'The pg_stat_statements extension is not installed in this database.';
    case 'not-preloaded':
      return 'pg_stat_statements is not in shared_preload_libraries, so it records nothing.';
    case 'no-permission':
      return 'The monitoring role may not read pg_stat_statements.';
    default:
      return assertNever(reason, 'statements reason');
  }
}

function StatementsMissing({
  state,
}: {
  state: Extract<StatementsState, { available: false }>;
}): React.ReactElement {
  return (
    <div className="notice notice-warn" role="status">
      <span className="notice-icon" aria-hidden="true">
        !
      </span>
      <span>
        <strong>No slow query figures.</strong> {missingWhy(state.reason)} The fix:
        <pre className="statement">{state.fix}</pre>
      </span>
    </div>
  );
}

function tableRows(health: PgHealth): Row[] {
  return health.tables.map((t) => ({
    table: `${t.schema}.${t.name}`,
    total_bytes: t.totalBytes,
    index_bytes: t.indexBytes,
    rows_estimate: t.rowEstimate,
    seq_scans: t.seqScans,
    idx_scans: t.idxScans,
    dead_tuples: t.deadTuples,
    dead_pct:
      t.liveTuples + t.deadTuples > 0
        ? formatPercent((100 * t.deadTuples) / (t.liveTuples + t.deadTuples))
        : '—',
    last_vacuum_at: Math.max(t.lastVacuum ?? 0, t.lastAutovacuum ?? 0) || null,
    last_analyze_at: Math.max(t.lastAnalyze ?? 0, t.lastAutoanalyze ?? 0) || null,
    age_in_xids: t.xidAge,
    wraparound: formatPercent(100 * t.wraparoundFraction),
    bloat_bytes: t.bloatBytes,
    bloat: formatPercent(100 * t.bloatRatio),
  }));
}

function indexRows(list: PgIndex[]): Row[] {
  return list.map((i) => ({
    index: `${i.schema}.${i.name}`,
    table: i.table,
    size_bytes: i.bytes,
    scans: i.scans,
    kind: i.primary ? 'primary key' : i.unique ? 'unique' : i.constraint ? 'constraint' : 'plain',
    valid: i.valid ? 'valid' : 'INVALID',
    bloat_bytes: i.bloatBytes,
    definition: i.definition,
  }));
}

export function TablesTab({ health, now }: { health: PgHealth; now: number }): React.ReactElement {
  const wrap = health.tables.reduce((m, t) => Math.max(m, t.wraparoundFraction), 0);
  const dead = health.tables.reduce((s, t) => s + t.deadTuples, 0);
  const bloat = health.tables.reduce((s, t) => s + t.bloatBytes, 0);
  return (
    <>
      <div className="tiles">
        <Fact label="Tables" value={formatCount(health.tables.length)} />
        <Fact label="Dead tuples" value={formatCount(dead)} />
        <Fact label="Estimated table bloat" value={formatBytes(bloat)} />
        <Fact
          label="Wraparound used"
          value={formatPercent(100 * wrap)}
          tone={wrap >= 0.8 ? 'bad' : wrap >= 0.5 ? 'warn' : 'ok'}
        />
        <Fact
          label="Unused indexes"
          value={formatCount(health.unusedIndexes.length)}
          tone={health.unusedIndexes.length ? 'warn' : 'ok'}
        />
        <Fact
          label="INVALID indexes"
          value={formatCount(health.invalidIndexes.length)}
          tone={health.invalidIndexes.length ? 'bad' : 'ok'}
        />
      </div>
      <RecordTable title="Tables" rows={tableRows(health)} now={now} />
      <IndexFindings
        now={now}
        lists={[
          {
            title: 'Unused indexes (no scans since stats reset, not unique, no constraint)',
            none: 'unused indexes',
            rows: indexRows(health.unusedIndexes),
          },
          {
            title: 'Duplicate indexes',
            none: 'duplicate indexes',
            rows: health.duplicateIndexes.map((d) => ({
              table: `${d.schema}.${d.table}`,
              indexes: d.names.join(', '),
              wasted_bytes: d.wastedBytes,
              definition: d.definition,
            })),
          },
          {
            title: 'Index candidates (many sequential scans over many rows)',
            none: 'index candidates',
            rows: health.indexCandidates.map((c) => ({
              table: `${c.schema}.${c.table}`,
              seq_scans: c.seqScans,
              seq_rows_read: c.seqTupRead,
              rows_estimate: c.rowEstimate,
              why: c.why,
            })),
          },
          {
            title: 'INVALID indexes',
            none: 'INVALID indexes',
            rows: indexRows(health.invalidIndexes),
          },
        ]}
      />
      <RecordTable title="All indexes" rows={indexRows(health.indexes)} now={now} />
    </>
  );
}

/** Findings with rows get a table; the empty ones share one line. */
function IndexFindings(props: {
  now: number;
  lists: { title: string; none: string; rows: Row[] }[];
}): React.ReactElement {
  const empty = props.lists.filter((l) => l.rows.length === 0).map((l) => l.none);
  return (
    <>
      {empty.length > 0 && (
        <p>
          <ToneWord tone="ok">none</ToneWord> No {empty.join(', no ')}.
        </p>
      )}
      {props.lists
        .filter((l) => l.rows.length > 0)
        .map((l) => (
          <RecordTable key={l.title} title={l.title} rows={l.rows} now={props.now} />
        ))}
    </>
  );
}

function Fact(props: { label: string; value: string; tone?: Tone; detail?: string }) {
  const tone = props.tone === 'bad' ? ' tone-bad' : props.tone === 'warn' ? ' tone-warn' : '';
  return (
    <div className={`figure${tone}`}>
      <div className="figure-label">{props.label}</div>
      <div className="figure-value">
        {props.value}
        {props.tone === 'bad' && <span className="tone-word">critical</span>}
        {props.tone === 'warn' && <span className="tone-word">check</span>}
      </div>
      {props.detail && <div className="figure-detail">{props.detail}</div>}
    </div>
  );
}

export function ReplicationTab({ health, now }: { health: PgHealth; now: number }) {
  const r = health.replication;
  const a = r.archiver;
  const flagged = r.slots.filter((s) => s.flagged);
  return (
    <>
      <div className="tiles">
        <Fact
          label="Role"
          value={r.inRecovery ? 'replica' : 'primary'}
          detail={
            r.inRecovery
              ? `replay ${msText(r.replayDelayMs)} behind`
              : `${r.replicas.length} replica${r.replicas.length === 1 ? '' : 's'}`
          }
        />
        <Fact
          label="Slots"
          value={formatCount(r.slots.length)}
          tone={flagged.length ? 'bad' : 'ok'}
          detail={
            flagged.length
              ? `${flagged.length} inactive holding WAL: ${flagged.map((s) => s.name).join(', ')}`
              : 'none inactive holding WAL'
          }
        />
        <Fact
          label="WAL archiving"
          value={a ? (a.mode === 'off' ? 'off' : a.failedCount > 0 ? 'failing' : 'on') : '—'}
          tone={
            a && a.lastFailedAt !== null && (a.lastArchivedAt ?? 0) < a.lastFailedAt
              ? 'bad'
              : undefined
          }
          detail={
            a
              ? `archive_mode ${a.mode} · ${formatCount(a.archivedCount)} archived, ${formatCount(a.failedCount)} failed`
              : 'pg_stat_archiver not readable'
          }
        />
      </div>
      <RecordTable
        title="Replicas"
        rows={r.replicas.map((x) => ({
          pid: x.pid,
          application: x.application,
          client_addr: x.clientAddr,
          state: x.state,
          sync_state: x.syncState,
          lag_bytes: x.lagBytes,
          replay_lag: x.replayLagMs === null ? '—' : formatMs(x.replayLagMs),
        }))}
        now={now}
      />
      <RecordTable
        title="Replication slots"
        rows={r.slots.map((s) => ({
          slot: s.name,
          type: s.type,
          active: s.active ? 'active' : 'inactive',
          retained_wal_bytes: s.retainedBytes,
          flag: s.flagged ? 'INACTIVE, HOLDING WAL' : '—',
        }))}
        now={now}
      />
      {a && a.mode !== 'off' && (
        <section className="panel" aria-label="WAL archiver">
          <header className="panel-head">
            <h3>WAL archiver (pg_stat_archiver)</h3>
          </header>
          <dl className="facts">
            <dt>Last archived</dt>
            <dd>
              <span className="mono">{a.lastArchivedWal ?? '—'}</span>{' '}
              {a.lastArchivedAt !== null && `at ${new Date(a.lastArchivedAt).toLocaleString()}`}
            </dd>
            <dt>Last failed</dt>
            <dd>
              <span className="mono">{a.lastFailedWal ?? '—'}</span>{' '}
              {a.lastFailedAt !== null && `at ${new Date(a.lastFailedAt).toLocaleString()}`}
            </dd>
          </dl>
        </section>
      )}
    </>
  );
}

const ADVICE_TONE: Record<AdviceItem['severity'], Tone> = {
  ok: 'ok',
  info: 'unknown',
  warning: 'warn',
};

const ADVICE_WORD: Record<AdviceItem['severity'], string> = {
  ok: 'fine',
  info: 'consider',
  warning: 'change advised',
};

export function AdviceTab(props: {
  health: PgHealth;
  onApply: (item: AdviceItem) => void;
}): React.ReactElement {
  const h = props.health.host;
  return (
    <>
      <p className="muted">
        Checked against the host:{' '}
        {h.source === 'unknown'
          ? 'memory and cores unknown (no SSH host linked), so some checks cannot be sized.'
          : `${formatBytes(h.memoryBytes)} memory, ${formatCount(h.cores)} cores.`}{' '}
        Advice is advice: applying a setting is a confirmed, audited step.
      </p>
      <div className="table-scroll">
        <table className="data advice">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Current</th>
              <th scope="col">Suggested</th>
              <th scope="col">Verdict</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.health.advice.map((a) => (
              <tr key={a.setting}>
                <th scope="row" className="mono">
                  {a.setting}
                </th>
                <td className="mono">{a.current}</td>
                <td className="mono">{a.suggested}</td>
                <td>
                  {a.severity === 'info' && a.current === a.suggested ? (
                    <ToneWord tone="unknown">cannot judge</ToneWord>
                  ) : (
                    <ToneWord tone={ADVICE_TONE[a.severity]}>{ADVICE_WORD[a.severity]}</ToneWord>
                  )}
                </td>
                <td>
                  {a.why}
                  {a.restart && <div className="muted small">needs a server restart</div>}
                </td>
                <td>
                  {a.sql && (
                    <button type="button" onClick={() => props.onApply(a)}>
                      Apply…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

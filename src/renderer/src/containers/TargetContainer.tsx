// One target: its status, a connection test, the host key decision and the page for its kind.
import { useEffect, useMemo, useState } from 'react';
import { seriesKey } from '../../../shared/metrics';
import { assertNever } from '../../../shared/result';
import type { HostKeyPrompt, SeriesRef, Target, TargetStatus } from '../../../shared/types';
import type { SnapshotState } from '../components/SnapshotSection';
import { TestOutcome, type TestState } from '../components/TestOutcome';
import { PG_TABS, REDIS_TABS, tabOf, type CareTab } from '../care/tabs';
import { Tabs } from '../components/Tabs';
import { CareContainer } from './CareContainer';
import { ChartAtContext } from '../charts/bands';
import { RANGES, rangeById, type RangeSpec } from '../charts/ranges';
import { errorText } from '../client';
import { DownLine } from '../components/DownLine';
import { HostKeyDialog } from '../components/HostKeyDialog';
import { RangeBar } from '../components/RangeBar';
import { usePageKeys } from '../components/Shortcuts';
import { StatusLine } from '../components/StatusLine';
import { targetAddress } from '../describe';
import { KIND_WORD } from '../figures';
import { formatWhen } from '../format';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { useInventory } from '../inventory';
import { HostPage } from '../pages/HostPage';
import { PostgresPage } from '../pages/PostgresPage';
import { RedisPage } from '../pages/RedisPage';
import { navigate, routeHash } from '../router';

export function TargetContainer({
  id,
  rangeId,
  at = null,
  tab = null,
}: {
  id: string;
  rangeId: string | null;
  /** Charts centre on this moment (opened from an alert) instead of following now. */
  at?: number | null;
  /** The database page's tab (overview when null). */
  tab?: string | null;
}): React.ReactElement {
  const inv = useInventory();
  const target = inv.targets?.find((t) => t.id === id);
  if (inv.targets === undefined) {
    return (
      <section className="page">
        <p className="muted">
          {inv.error ? `Could not load targets: ${errorText(inv.error)}` : 'Loading…'}
        </p>
      </section>
    );
  }
  if (!target) {
    return (
      <section className="page">
        <h1>No such target</h1>
        <p>
          There is no target with id <code>{id}</code>. It may have been deleted.{' '}
          <a href="#/fleet">Back to the fleet</a>.
        </p>
      </section>
    );
  }
  return (
    <ChartAtContext.Provider value={at}>
      <TargetView
        target={target}
        status={inv.statuses.get(id)}
        rangeId={rangeId}
        at={at}
        tab={tab}
      />
    </ChartAtContext.Provider>
  );
}

function TargetView({
  target,
  status,
  rangeId,
  at,
  tab,
}: {
  target: Target;
  status: TargetStatus | undefined;
  rangeId: string | null;
  at: number | null;
  tab: string | null;
}): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(10_000);
  const range = rangeById(rangeId);
  const [live, setLive] = useState(true);
  const [test, setTest] = useState<TestState>({ busy: false, result: null, error: null });
  const [prompt, setPrompt] = useState<HostKeyPrompt | null>(null);
  const series = useLoad(`listSeries:${target.id}`, () =>
    client.listSeries({ targetId: target.id }),
  );
  const reloadSeries = series.reload;

  useEffect(() => {
    const timer = setInterval(reloadSeries, 5 * 60_000);
    return () => clearInterval(timer);
  }, [reloadSeries]);

  // A new mount, disk or replica shows up in samples before the next listing: list again.
  const refetchSeries = useThrottled(reloadSeries, 30_000);
  const knownKeys = useMemo(
    () => new Set((series.data ?? []).map((r) => seriesKey(r.metric, r.labels))),
    [series.data],
  );
  useEvent('sample', (s) => {
    if (s.targetId !== target.id) return;
    if (s.points.some((p) => !knownKeys.has(seriesKey(p.metric, p.labels)))) refetchSeries();
  });

  const setRange = (r: RangeSpec): void =>
    navigate({ page: 'target', id: target.id, range: r.id, at, tab }, true);
  const keys: Record<string, () => void> = { l: () => setLive((x) => !x) };
  RANGES.forEach((r, i) => (keys[String(i + 1)] = () => setRange(r)));
  usePageKeys(keys);

  async function runTest(): Promise<void> {
    setTest({ busy: true, result: null, error: null });
    try {
      const result = await client.testTarget({ id: target.id });
      setTest({ busy: false, result, error: null });
      if (result.hostKey) setPrompt(result.hostKey);
      inv.reload();
    } catch (err) {
      setTest({ busy: false, result: null, error: errorText(err) });
    }
  }

  async function accept(p: HostKeyPrompt): Promise<void> {
    const result = await client.acceptHostKey({ targetId: p.targetId, fingerprint: p.fingerprint });
    setPrompt(null);
    setTest({ busy: false, result, error: null });
    inv.reload();
  }

  const nameOf = (id: string): string => inv.targets?.find((t) => t.id === id)?.name ?? id;
  const refs = series.data ?? [];
  const tabs = careTabsOf(target);
  const current = tabs ? tabOf(tabs, tab).id : 'overview';

  return (
    <section className="page">
      <header className="page-head target-head">
        <div>
          <h1>{target.name}</h1>
          <div className="muted">
            {KIND_WORD[target.config.kind]}
            {target.group ? ` · ${target.group}` : ''} ·{' '}
            <span className="mono">{targetAddress(target, nameOf)}</span>
            {!target.enabled && <strong> · collection disabled</strong>}
          </div>
        </div>
        <div className="toolbar">
          <button type="button" onClick={() => void runTest()} disabled={test.busy}>
            {test.busy ? 'Testing…' : 'Test connection'}
          </button>
          <a className="button" href={routeHash({ page: 'targets', edit: target.id })}>
            Edit target
          </a>
        </div>
      </header>
      <StatusLine target={target} status={status} now={now} detailed />
      {status?.hostKey && (
        <HostKeyBlock prompt={status.hostKey} onReview={() => setPrompt(status.hostKey)} />
      )}
      <TestOutcome test={test} onReview={setPrompt} />
      {series.error && !series.data && (
        <p className="error" role="alert">
          Could not list the series of {target.name}: {errorText(series.error)}
        </p>
      )}
      {at !== null && (
        <div className="notice notice-info" role="status">
          <span className="notice-icon" aria-hidden="true">
            i
          </span>
          <span>
            Charts show {range.label} around <strong>{formatWhen(at, now)}</strong> (the dotted
            line), not live.
          </span>
          <a
            className="button"
            href={routeHash({ page: 'target', id: target.id, range: range.id, at: null })}
          >
            Back to now
          </a>
        </div>
      )}
      {tabs && (
        <Tabs
          label={`${target.name} views`}
          tabs={tabs}
          current={current}
          hrefOf={(t) =>
            routeHash({
              page: 'target',
              id: target.id,
              range: rangeId,
              at,
              tab: t === 'overview' ? null : t,
            })
          }
        />
      )}
      {current === 'overview' ? (
        <>
          <DownLine
            status={status}
            now={now}
            meanwhile="Charts show the history stored until then; they fill again once it answers."
          />
          <RangeBar range={range} live={live && at === null} onRange={setRange} onLive={setLive} />
          <KindPage target={target} refs={refs} range={range} live={live && range.live} />
        </>
      ) : (
        <CareContainer target={target} tab={current} status={status} />
      )}
      {prompt && (
        <HostKeyDialog
          prompt={prompt}
          targetName={target.name}
          onAccept={() => accept(prompt)}
          onClose={() => setPrompt(null)}
        />
      )}
    </section>
  );
}

/** The tabs of a database target; hosts have one page. */
function careTabsOf(target: Target): CareTab[] | null {
  const kind = target.config.kind;
  switch (kind) {
    case 'local':
    case 'ssh':
      return null;
    case 'postgres':
      return PG_TABS;
    case 'redis':
      return REDIS_TABS;
    default:
      return assertNever(kind, 'target kind');
  }
}

function KindPage(props: {
  target: Target;
  refs: SeriesRef[];
  range: RangeSpec;
  live: boolean;
}): React.ReactElement {
  const { target, refs, range, live } = props;
  const kind = target.config.kind;
  switch (kind) {
    case 'local':
    case 'ssh':
      return <HostPage targetId={target.id} refs={refs} range={range} live={live} />;
    case 'postgres':
      return (
        <SnapshotLoader targetId={target.id}>
          {(snap) => (
            <PostgresPage
              targetId={target.id}
              refs={refs}
              range={range}
              live={live}
              snapshot={snap}
            />
          )}
        </SnapshotLoader>
      );
    case 'redis':
      return (
        <SnapshotLoader targetId={target.id}>
          {(snap) => (
            <RedisPage targetId={target.id} refs={refs} range={range} live={live} snapshot={snap} />
          )}
        </SnapshotLoader>
      );
    default:
      return assertNever(kind, 'target kind');
  }
}

/** Loads the target's snapshot and refreshes it when samples arrive (at most every 10 s). */
function SnapshotLoader(props: {
  targetId: string;
  children: (s: SnapshotState) => React.ReactElement;
}): React.ReactElement {
  const client = useClient();
  const snap = useLoad(`snapshot:${props.targetId}`, () =>
    client.snapshot({ targetId: props.targetId }),
  );
  const refetch = useThrottled(snap.reload, 10_000);
  useEvent('sample', (s) => {
    if (s.targetId === props.targetId) refetch();
  });
  return props.children({
    snapshot: snap.data,
    error: snap.error ? errorText(snap.error) : null,
    at: snap.at,
  });
}

function HostKeyBlock({
  prompt,
  onReview,
}: {
  prompt: HostKeyPrompt;
  onReview: () => void;
}): React.ReactElement {
  const changed = prompt.knownFingerprint !== null;
  return (
    <div className={changed ? 'notice notice-bad' : 'notice notice-warn'}>
      <span className="notice-icon" aria-hidden="true">
        {changed ? '✕' : '!'}
      </span>
      <span>
        {changed
          ? `The host key of ${prompt.host}:${prompt.port} changed. The connection is refused until you verify it.`
          : `${prompt.host}:${prompt.port} presented a ${prompt.keyType} key that nobody accepted yet.`}{' '}
        <span className="mono">{prompt.fingerprint}</span>
      </span>
      <button type="button" onClick={onReview}>
        {changed ? 'Details' : 'Review key'}
      </button>
    </div>
  );
}

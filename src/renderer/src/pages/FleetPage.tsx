// Every target on one screen: health, what is wrong, key figures and the last half hour.
import { useMemo, useRef, useState } from 'react';
import { HEADLINE, metricInfo } from '../../../shared/metrics';
import type { FleetEntry, TargetHealth } from '../../../shared/types';
import { Sparkline } from '../charts/Sparkline';
import type { ObjectiveStatus } from '../../../shared/care';
import { FiringBadge } from '../components/AlertBits';
import { ObjectiveBadges, objectiveShown } from '../components/Objectives';
import { Figure } from '../components/Figure';
import { usePageKeys } from '../components/Shortcuts';
import { StatusLine } from '../components/StatusLine';
import { targetAddress } from '../describe';
import { HEALTH_ORDER, HEALTH_WORD, KIND_WORD, keyFigures } from '../figures';
import { formatValue, formatWhen } from '../format';
import { routeHash } from '../router';

export type FleetSort = 'problems' | 'name' | 'group';

export interface FleetPageProps {
  entries: FleetEntry[] | undefined;
  error: string | null;
  loadedAt: number | null;
  now: number;
  onRefresh: () => void;
  /** Firing alerts per target id (empty when alerting is not available). */
  firing?: Map<string, number>;
  /** Recovery objectives per database target id (empty until backups exist). */
  objectives?: Map<string, ObjectiveStatus>;
}

export function FleetPage({
  entries,
  error,
  loadedAt,
  now,
  onRefresh,
  firing,
  objectives,
}: FleetPageProps): React.ReactElement {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<FleetSort>('problems');
  const filterRef = useRef<HTMLInputElement>(null);
  usePageKeys({ '/': () => filterRef.current?.focus(), r: onRefresh });

  const shown = useMemo(
    () => sortEntries(filterEntries(entries ?? [], filter), sort),
    [entries, filter, sort],
  );
  const nameOf = (id: string): string =>
    entries?.find((e) => e.target.id === id)?.target.name ?? id;

  return (
    <section className="page">
      <header className="page-head">
        <h1>Fleet</h1>
        <Summary entries={entries ?? []} />
        <div className="toolbar">
          <label className="inline">
            <span>Filter</span>
            <input
              ref={filterRef}
              type="search"
              value={filter}
              placeholder="name, group, kind, health  ( / )"
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setFilter('');
                  e.currentTarget.blur();
                }
              }}
            />
          </label>
          <label className="inline">
            <span>Sort</span>
            <select value={sort} onChange={(e) => setSort(e.target.value as FleetSort)}>
              <option value="problems">problems first</option>
              <option value="name">name</option>
              <option value="group">group</option>
            </select>
          </label>
          <button type="button" onClick={onRefresh}>
            Refresh
          </button>
          {loadedAt !== null && <span className="muted">updated {formatWhen(loadedAt, now)}</span>}
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          Could not load the fleet: {error}
          {entries ? ' Showing the last answer.' : ''}
        </p>
      )}
      {entries === undefined && !error && <p className="muted">Loading…</p>}
      {entries !== undefined && entries.length === 0 && (
        <div className="empty">
          <p>No targets yet.</p>
          <p>
            <a href="#/targets/new">Add a target</a> or import hosts from <code>~/.ssh/config</code>{' '}
            on the <a href="#/targets">Targets</a> page.
          </p>
        </div>
      )}
      {shown.length > 0 && (
        <table className="fleet">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Status</th>
              <th scope="col">Key figures</th>
              <th scope="col">Last 30 min</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <FleetRow
                key={e.target.id}
                entry={e}
                now={now}
                nameOf={nameOf}
                firing={firing?.get(e.target.id) ?? 0}
                objective={objectives?.get(e.target.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {entries !== undefined && entries.length > 0 && shown.length === 0 && (
        <p className="muted">No target matches “{filter}”.</p>
      )}
    </section>
  );
}

function Summary({ entries }: { entries: FleetEntry[] }): React.ReactElement | null {
  if (entries.length === 0) return null;
  const counts = new Map<TargetHealth, number>();
  for (const e of entries) counts.set(e.status.health, (counts.get(e.status.health) ?? 0) + 1);
  const order = (Object.keys(HEALTH_ORDER) as TargetHealth[]).filter((h) => counts.has(h));
  return (
    <p className="summary" aria-live="polite">
      {entries.length} target{entries.length === 1 ? '' : 's'}:{' '}
      {order.map((h, i) => (
        <span key={h} className={`summary-item health-text-${h}`}>
          {counts.get(h)} {HEALTH_WORD[h].toLowerCase()}
          {i < order.length - 1 ? ', ' : ''}
        </span>
      ))}
    </p>
  );
}

function FleetRow({
  entry,
  now,
  nameOf,
  firing,
  objective,
}: {
  entry: FleetEntry;
  now: number;
  nameOf: (id: string) => string;
  firing: number;
  objective?: ObjectiveStatus;
}): React.ReactElement {
  const { target, status } = entry;
  const headline = HEADLINE[target.config.kind];
  const info = headline ? metricInfo(headline) : undefined;
  const lastV = lastNumber(entry.sparkline.v);
  return (
    <tr className={`fleet-row health-row-${status.health}`}>
      <th scope="row" className="fleet-target">
        <a href={routeHash({ page: 'target', id: target.id, range: null })}>{target.name}</a>
        {firing > 0 && (
          <div className="fleet-firing">
            <FiringBadge count={firing} />
          </div>
        )}
        <div className="muted small">
          {KIND_WORD[target.config.kind]}
          {target.group ? ` · ${target.group}` : ''}
        </div>
        {target.config.kind !== 'local' && (
          <div className="muted small mono">{targetAddress(target, nameOf)}</div>
        )}
      </th>
      <td className="fleet-status">
        <StatusLine target={target} status={status} now={now} />
        {objectiveShown(objective) && <ObjectiveBadges objective={objective} />}
      </td>
      <td className="fleet-figures">
        <div className="figures">
          {keyFigures(target.config.kind, entry.figures).map((f) => (
            <Figure key={f.label} figure={f} />
          ))}
        </div>
      </td>
      <td className="fleet-spark">
        {info && (
          <div className="small muted">
            {info.title}: <span className="strong">{formatValue(lastV, info.unit)}</span>
          </div>
        )}
        <Sparkline
          t={entry.sparkline.t}
          v={entry.sparkline.v}
          yMax={info?.unit === 'percent' ? 100 : undefined}
          label={`${info?.title ?? 'Headline'} over the last 30 minutes for ${target.name}`}
        />
      </td>
    </tr>
  );
}

function lastNumber(v: (number | null)[]): number | null {
  for (let i = v.length - 1; i >= 0; i--) {
    const x = v[i];
    if (typeof x === 'number' && Number.isFinite(x)) return x;
  }
  return null;
}

export function filterEntries(entries: FleetEntry[], filter: string): FleetEntry[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const hay = [
      e.target.name,
      e.target.group,
      e.target.config.kind,
      KIND_WORD[e.target.config.kind],
      e.status.health,
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function sortEntries(entries: FleetEntry[], sort: FleetSort): FleetEntry[] {
  const byName = (a: FleetEntry, b: FleetEntry): number =>
    a.target.name.localeCompare(b.target.name);
  const out = [...entries];
  switch (sort) {
    case 'problems':
      return out.sort(
        (a, b) => HEALTH_ORDER[a.status.health] - HEALTH_ORDER[b.status.health] || byName(a, b),
      );
    case 'name':
      return out.sort(byName);
    case 'group':
      return out.sort((a, b) => a.target.group.localeCompare(b.target.group) || byName(a, b));
  }
}

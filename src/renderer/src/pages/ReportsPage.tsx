// Reports: the stored reports by period and group, making one now, and the schedule.
import { useEffect, useState } from 'react';
import { availabilityTone, formatAvailability, formatTime } from '../../../shared/report-format';
import {
  REPORT_PERIODS,
  type ReportPeriod,
  type ReportSettings,
  type ReportSummary,
} from '../../../shared/reports';
import { type Column, DataTable } from '../components/DataTable';
import { WordSelect } from '../components/WordSelect';
import { routeHash } from '../router';
import { PERIOD_WORD } from '../reports';

export type PeriodFilter = ReportPeriod | 'all';
const FILTERS: readonly PeriodFilter[] = ['all', ...REPORT_PERIODS];
const FILTER_WORD: Record<PeriodFilter, string> = { all: 'Every period', ...PERIOD_WORD };
export type Which = 'last' | 'current';
const WHICH_WORD: Record<Which, string> = {
  last: 'the last complete one',
  current: 'the current one so far',
};

export interface ReportsPageProps {
  reports: ReportSummary[] | undefined;
  error: string | null;
  groups: string[];
  filter: { period: PeriodFilter; group: string };
  onFilter: (f: { period: PeriodFilter; group: string }) => void;
  generating: boolean;
  generateError: string | null;
  onGenerate: (period: ReportPeriod, group: string, which: Which) => void;
  settings: ReportSettings | undefined;
  onSaveSettings: (s: ReportSettings) => Promise<void>;
}

/** A label above its control, for the inline rows of this page. */
function Field(p: { id: string; label: string; children: React.ReactNode }): React.ReactElement {
  return (
    <div className="report-field">
      <label htmlFor={p.id}>{p.label}</label>
      {p.children}
    </div>
  );
}

function groupWord(g: string): string {
  return g === '' ? 'All targets' : `Group ${g}`;
}

export function ReportsPage(props: ReportsPageProps): React.ReactElement {
  const [period, setPeriod] = useState<ReportPeriod>('daily');
  const [group, setGroup] = useState('');
  const [which, setWhich] = useState<Which>('last');
  const groupOptions = ['', ...props.groups];
  const groupWords = Object.fromEntries(groupOptions.map((g) => [g, groupWord(g)]));
  return (
    <section className="page reports">
      <header className="page-head">
        <h1>Reports</h1>
      </header>
      <p className="muted">
        Each report is a snapshot kept in the local file: it opens with its figures as they were,
        with no target reachable and after the history behind it has aged out.
      </p>
      <form
        className="report-make"
        onSubmit={(e) => {
          e.preventDefault();
          props.onGenerate(period, group, which);
        }}
      >
        <h2>Make a report now</h2>
        <div className="report-make-fields">
          <Field id="make-period" label="Period">
            <WordSelect
              id="make-period"
              value={period}
              options={REPORT_PERIODS}
              words={PERIOD_WORD}
              onChange={setPeriod}
            />
          </Field>
          <Field id="make-which" label="Which">
            <WordSelect
              id="make-which"
              value={which}
              options={['last', 'current'] as const}
              words={WHICH_WORD}
              onChange={setWhich}
            />
          </Field>
          <Field id="make-group" label="Targets">
            <WordSelect
              id="make-group"
              value={group}
              options={groupOptions}
              words={groupWords}
              onChange={setGroup}
            />
          </Field>
          <button type="submit" className="primary" disabled={props.generating}>
            {props.generating ? 'Making the report…' : 'Generate now'}
          </button>
        </div>
        {props.generateError && (
          <p className="error" role="alert">
            No report was made: {props.generateError}
          </p>
        )}
      </form>

      <h2>Stored reports</h2>
      <div className="report-filters">
        <Field id="filter-period" label="Show">
          <WordSelect
            id="filter-period"
            value={props.filter.period}
            options={FILTERS}
            words={FILTER_WORD}
            onChange={(p) => props.onFilter({ ...props.filter, period: p })}
          />
        </Field>
        <Field id="filter-group" label="For">
          <WordSelect
            id="filter-group"
            value={props.filter.group}
            options={groupOptions}
            words={groupWords}
            onChange={(g) => props.onFilter({ ...props.filter, group: g })}
          />
        </Field>
      </div>
      {props.error && (
        <p className="error" role="alert">
          Could not load the reports: {props.error}
        </p>
      )}
      {props.reports && props.reports.length === 0 && (
        <p className="muted">
          No report yet for this choice. Make one above, or wait for the schedule below.
        </p>
      )}
      {props.reports && props.reports.length > 0 && <ReportList reports={props.reports} />}

      {props.settings && <ScheduleForm settings={props.settings} onSave={props.onSaveSettings} />}
    </section>
  );
}

function ReportList({ reports }: { reports: ReportSummary[] }): React.ReactElement {
  return (
    <div className="table-scroll">
      <DataTable
        className="report-list"
        columns={REPORT_COLUMNS}
        rows={reports}
        rowKey={(r) => r.id}
      />
    </div>
  );
}

const REPORT_COLUMNS: Column<ReportSummary>[] = [
  {
    head: 'Report',
    cell: (r) => <a href={routeHash({ page: 'reports', id: r.id })}>{r.title}</a>,
  },
  {
    head: 'Availability',
    num: true,
    cellClass: (r) => {
      const tone = availabilityTone(r.headline.availabilityPct);
      return tone ? `report-${tone}` : '';
    },
    cell: (r) => formatAvailability(r.headline.availabilityPct),
  },
  { head: 'Outages', num: true, cell: (r) => r.headline.outages },
  { head: 'Alerts', num: true, cell: (r) => r.headline.alerts },
  { head: 'Incidents', num: true, cell: (r) => r.headline.incidents },
  {
    head: 'Made',
    cell: (r) => (
      <>
        {formatTime(r.createdAt)}{' '}
        <span className="muted">{r.trigger === 'schedule' ? 'scheduled' : 'on demand'}</span>
      </>
    ),
  },
];

function ScheduleForm(props: {
  settings: ReportSettings;
  onSave: (s: ReportSettings) => Promise<void>;
}): React.ReactElement {
  const [s, setS] = useState(props.settings);
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({
    busy: false,
    error: null,
    saved: false,
  });
  useEffect(() => setS(props.settings), [props.settings]);
  const box = (key: 'daily' | 'weekly' | 'monthly' | 'perGroup', label: string) => (
    <label className="check">
      <input
        type="checkbox"
        checked={s[key]}
        onChange={(e) => {
          setS({ ...s, [key]: e.target.checked });
          setState((x) => ({ ...x, saved: false }));
        }}
      />{' '}
      {label}
    </label>
  );
  return (
    <form
      className="report-schedule"
      onSubmit={(e) => {
        e.preventDefault();
        setState({ busy: true, error: null, saved: false });
        props.onSave(s).then(
          () => setState({ busy: false, error: null, saved: true }),
          (err: unknown) =>
            setState({
              busy: false,
              error: err instanceof Error ? err.message : String(err),
              saved: false,
            }),
        );
      }}
    >
      <h2>Schedule</h2>
      <p className="muted">
        Scheduled reports cover the last complete period: the day before, the week before (made on
        Mondays) and the month before (made on the 1st). A report missed while Opsdeck was closed is
        made at the next start, once.
      </p>
      <div className="report-schedule-fields">
        {box('daily', 'Daily')}
        {box('weekly', 'Weekly')}
        {box('monthly', 'Monthly')}
        {box('perGroup', 'Also one per target group')}
        <Field id="schedule-at" label="At (local time)">
          <input
            id="schedule-at"
            type="time"
            value={s.at}
            required
            onChange={(e) => setS({ ...s, at: e.target.value })}
          />
        </Field>
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Saving…' : 'Save schedule'}
        </button>
        {state.saved && (
          <span role="status" className="report-good">
            Saved.
          </span>
        )}
      </div>
      {state.error && (
        <p className="error" role="alert">
          The schedule was not saved: {state.error}
        </p>
      )}
    </form>
  );
}

// Report periods and their schedule. Periods are aligned to the workstation's local
// midnight (weeks start on Monday, months on the 1st); calendar steps go through Date so a
// daylight-saving day is 23 or 25 hours long, not 24. Pure: every time is passed in.
import { Cron } from 'croner';
import type { ReportPeriod, ReportSettings } from '../../shared/reports';
import { assertNever } from '../../shared/result';

export interface PeriodRange {
  period: ReportPeriod;
  from: number;
  /** Exclusive. */
  to: number;
}

function midnight(t: number): Date {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** The period of this kind that holds time t. */
export function periodOf(period: ReportPeriod, t: number): PeriodRange {
  const d = midnight(t);
  switch (period) {
    case 'daily': {
      const end = new Date(d);
      end.setDate(end.getDate() + 1);
      return { period, from: d.getTime(), to: end.getTime() };
    }
    case 'weekly': {
      d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
      const end = new Date(d);
      end.setDate(end.getDate() + 7);
      return { period, from: d.getTime(), to: end.getTime() };
    }
    case 'monthly': {
      const start = new Date(d.getFullYear(), d.getMonth(), 1);
      const end = new Date(d.getFullYear(), d.getMonth() + 1, 1);
      return { period, from: start.getTime(), to: end.getTime() };
    }
    default:
      return assertNever(period);
  }
}

/** The newest period of this kind that has ended by `now`. */
export function lastComplete(period: ReportPeriod, now: number): PeriodRange {
  return periodOf(period, periodOf(period, now).from - 1);
}

/** Croner pattern of a period's scheduled report ("10 0 * * 1": Mondays at 00:10). */
export function cronFor(period: ReportPeriod, at: string): string {
  const [hh, mm] = at.split(':').map(Number);
  switch (period) {
    case 'daily':
      return `${mm} ${hh} * * *`;
    case 'weekly':
      return `${mm} ${hh} * * 1`;
    case 'monthly':
      return `${mm} ${hh} 1 * *`;
    default:
      return assertNever(period);
  }
}

export function enabledPeriods(s: ReportSettings): ReportPeriod[] {
  return (['daily', 'weekly', 'monthly'] as const).filter((p) => s[p]);
}

/** The schedule's last firing in (since, now], or null. */
export function lastFiring(pattern: string, since: number, now: number): number | null {
  const cron = new Cron(pattern, { paused: true });
  // Every pattern here fires at least monthly: looking back 32 days finds the last firing.
  let t = Math.max(since, now - 32 * 86_400_000);
  let last: number | null = null;
  for (let i = 0; i < 1000; i++) {
    const next = cron.nextRun(new Date(t));
    if (!next || next.getTime() > now) break;
    last = next.getTime();
    t = last;
  }
  cron.stop();
  return last;
}

export interface DueReport extends PeriodRange {
  firedAt: number;
}

/**
 * Reports the schedule owes between the last check and now: for each enabled period, the
 * newest firing only, reporting the last period complete at that firing. Firings missed
 * while the app was closed thus make one report (of the last complete period), not many.
 */
export function dueReports(s: ReportSettings, since: number, now: number): DueReport[] {
  const out: DueReport[] = [];
  for (const period of enabledPeriods(s)) {
    const fired = lastFiring(cronFor(period, s.at), since, now);
    if (fired !== null) out.push({ ...lastComplete(period, fired), firedAt: fired });
  }
  return out;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function dayLabel(t: number, withYear = true): string {
  const d = new Date(t);
  const base = `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()].slice(0, 3)}`;
  return withYear ? `${base} ${d.getFullYear()}` : base;
}

/** "Thu 3 Dec 2026", "Mon 30 Nov – Sun 6 Dec 2026", "December 2026". */
export function periodLabel(r: PeriodRange): string {
  switch (r.period) {
    case 'daily':
      return dayLabel(r.from);
    case 'weekly':
      return `${dayLabel(r.from, false)} – ${dayLabel(r.to - 1)}`;
    case 'monthly': {
      const d = new Date(r.from);
      return `${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
    }
    default:
      return assertNever(r.period);
  }
}

export function reportTitle(r: PeriodRange, group: string): string {
  const kind = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' }[r.period];
  const who = group === '' ? 'all targets' : `group ${group}`;
  return `${kind} report, ${who}, ${periodLabel(r)}`;
}

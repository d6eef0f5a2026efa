// Operations benchmark: capacity forecasts, weekly and monthly reports (built and exported to
// HTML) and the daily checklist's automatic items, on a store seeded with 90 days of
// generated history for 50 hosts plus a few PostgreSQL and Redis targets (disabled, on
// .invalid names: nothing is contacted), rolled up as the app does; and the main process's
// memory growth across all of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ReportPeriod } from '../src/shared/reports';
import { forecastCapacity } from '../src/main/capacity';
import { ChecklistService } from '../src/main/checklists/service';
import { evaluateItem, blankResult } from '../src/main/checklists/evaluate';
import { setLogLevel } from '../src/main/log';
import { buildReport } from '../src/main/reports/build';
import { gather } from '../src/main/reports/gather';
import { reportHtml } from '../src/main/reports/html';
import { lastComplete } from '../src/main/reports/period';
import { Store } from '../src/main/store';
import { seedFleetHistory } from '../test/harness/capacity-history';

const HOSTS = 50;
const POSTGRES = 3;
const REDIS = 3;
const DAYS = 90;
const RUNS = 7;

function line(name: string, value: string, goal: string): void {
  process.stdout.write(`${name}: ${value} (goal: ${goal})\n`);
}

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

/** Runs `fn` once to warm up, then `RUNS` times; the times in ms and the last result. */
function timed<T>(fn: () => T): { times: number[]; last: T } {
  let last = fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    last = fn();
    times.push(performance.now() - started);
  }
  return { times, last };
}

const ms = (x: number): string => `${x.toFixed(x >= 100 ? 0 : 1)} ms`;
const kb = (s: string): string => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KB`;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** The collector, so that heap figures count what is kept rather than garbage not yet
 * collected; exposed at run time since `npm run bench` starts Node without --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function memory(gc: () => void): NodeJS.MemoryUsage {
  gc();
  return process.memoryUsage();
}

function benchCapacity(store: Store, now: number): void {
  for (const windowDays of [30, 90]) {
    const { times, last } = timed(() => forecastCapacity(store, { now, windowDays }));
    const p50 = percentile(times, 0.5);
    line(
      `operations capacity forecasts, ${windowDays}-day window, ${last.length} series (median / p95)`,
      `${ms(p50)} / ${ms(percentile(times, 0.95))}`,
      'capacity page < 1 s for 50 hosts',
    );
    line(
      `operations capacity forecast per series, ${windowDays}-day window (median)`,
      ms(p50 / Math.max(1, last.length)),
      '< 5 ms',
    );
  }
}

function benchReports(store: Store, now: number): void {
  for (const period of ['weekly', 'monthly'] satisfies ReportPeriod[]) {
    const range = lastComplete(period, now);
    const build = () =>
      buildReport(
        gather(store, {}, { id: `bench-${period}`, range, group: '', now, trigger: 'manual' }),
      );
    const { times, last } = timed(build);
    line(
      `operations ${period} report, all ${last.targets.length} targets, gather + build (median)`,
      ms(percentile(times, 0.5)),
      '< 2 s',
    );
    line(`operations ${period} report snapshot JSON size`, kb(JSON.stringify(last)), '< 2 MB');
    const html = timed(() => reportHtml(last, now));
    line(
      `operations ${period} report HTML export (median, size)`,
      `${ms(percentile(html.times, 0.5))}, ${kb(html.last)}`,
      '< 500 ms, < 2 MB',
    );
  }
}

function benchChecklist(store: Store, now: number): void {
  const service = new ChecklistService({
    store,
    operator: 'bench',
    appRoot: resolve(__dirname, '..'),
    now: () => now,
  });
  try {
    const daily = service.catalog.find('daily');
    if (!daily) throw new Error('bench: the built-in daily checklist was not found');
    const auto = daily.items.filter((i) => i.check);
    const gathered = timed(() => service.facts(now));
    const facts = gathered.last;
    const evaluated = timed(() =>
      auto.map((item) => evaluateItem(item, facts, now, blankResult(item))),
    );
    const both = percentile(gathered.times, 0.5) + percentile(evaluated.times, 0.5);
    line(
      `operations daily checklist, ${auto.length} automatic items over ${facts.targets.length} targets, facts + evaluation (median)`,
      ms(both),
      '< 200 ms',
    );
    line(
      'operations daily checklist facts from the store, 30-day forecasts included (median)',
      ms(percentile(gathered.times, 0.5)),
      'none, informative',
    );
    line(
      'operations daily checklist evaluation of gathered facts (median)',
      ms(percentile(evaluated.times, 0.5)),
      '< 20 ms',
    );
  } finally {
    service.stop();
  }
}

export async function run(): Promise<void> {
  setLogLevel('warn');
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-operations-'));
  const store = Store.open(join(dir, 'opsdeck.db'));
  const gc = collector();
  try {
    const before = memory(gc);
    const now = Date.now();
    const started = performance.now();
    const targets = seedFleetHistory(store, now, {
      hosts: HOSTS,
      postgres: POSTGRES,
      redis: REDIS,
      days: DAYS,
      roundDays: DAYS,
    });
    line(
      `operations seeding ${targets.length} targets, ${DAYS} days every 10 min, rolled up, with hourly rounds`,
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
      'none, informative',
    );
    const seeded = memory(gc);
    benchCapacity(store, now);
    benchReports(store, now);
    benchChecklist(store, now);
    const after = memory(gc);
    line(
      'operations main-process heap kept after the measurements, against after seeding',
      mb(after.heapUsed - seeded.heapUsed),
      '< 10 MB (nothing kept)',
    );
    line(
      'operations main-process RSS growth during the measurements / peak RSS of the run',
      `${mb(after.rss - seeded.rss)} / ${mb(process.resourceUsage().maxRSS * 1024)}`,
      '< 200 MB growth',
    );
    line(
      'operations main-process growth from start, seeding included (heap / RSS)',
      `${mb(after.heapUsed - before.heapUsed)} / ${mb(after.rss - before.rss)}`,
      'none, informative',
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}

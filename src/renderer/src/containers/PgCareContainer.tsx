// Fetches what the PostgreSQL care tabs show and turns their buttons into confirmed changes.
import { useEffect, useState } from 'react';
import type {
  AdviceItem,
  Backup,
  BackupMode,
  MaintenancePlan,
  MaintenanceProgress,
  MaintenanceRun,
  PgHealth,
  PgSession,
  RetentionPolicy,
} from '../../../shared/care';
import { assertNever } from '../../../shared/result';
import type { Target, TargetStatus } from '../../../shared/types';
import { ACTION_WORD, actionText, isNotInBuild, runStatusWord } from '../care/logic';
import { errorText } from '../client';
import { LoadNotice, useChangeFlow } from '../components/CareBits';
import { formatBytes, formatDuration, formatWhen } from '../format';
import { useClient, useEvent, useLoad, useNow, type Loaded } from '../hooks';
import { useInventory } from '../inventory';
import { BackupsTab } from '../pages/care/BackupsTab';
import { MaintenanceTab, type MaintenanceRequest } from '../pages/care/MaintenanceTab';
import {
  ActivityTab,
  AdviceTab,
  QueriesTab,
  ReplicationTab,
  TablesTab,
  type SignalAction,
} from '../pages/care/PgHealthTabs';
import { PlanFacts } from '../pages/care/PlanFacts';

export function PgCareContainer(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement {
  switch (props.tab) {
    case 'maintenance':
      return <PgMaintenance target={props.target} />;
    case 'backups':
      return <PgBackups target={props.target} />;
    default:
      // One view per tab: an outcome shown on one tab does not follow to the next.
      return (
        <PgHealthView key={props.tab} target={props.target} tab={props.tab} status={props.status} />
      );
  }
}

/** Health is read on demand (not collected): refreshed while the tab is open. */
function useHealth(targetId: string, everyMs: number): Loaded<PgHealth> {
  const client = useClient();
  const health = useLoad(`carePgHealth:${targetId}`, () => client.carePgHealth({ targetId }));
  const reload = health.reload;
  useEffect(() => {
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
  return health;
}

function PgHealthView(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement {
  const { target, tab } = props;
  const client = useClient();
  const now = useNow(5000);
  const health = useHealth(target.id, tab === 'activity' ? 10_000 : 60_000);
  const flow = useChangeFlow(target.name, health.reload);
  const h = health.data;

  function signal(s: PgSession, action: SignalAction): void {
    const fn = action === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
    flow.ask({
      title: action === 'cancel' ? `Cancel the query of pid ${s.pid}` : `Terminate pid ${s.pid}`,
      statement: `SELECT ${fn}(${s.pid});`,
      plan: (
        <dl className="facts">
          <dt>Session</dt>
          <dd>
            {s.user ?? '—'} on {s.database ?? '—'}, {s.state ?? 'state unknown'}
            {s.application ? ` (${s.application})` : ''}
          </dd>
          <dt>Transaction age</dt>
          <dd>{s.xactAgeMs === null ? '—' : formatDuration(s.xactAgeMs / 1000)}</dd>
          <dt>Query</dt>
          <dd className="mono">{s.query || '—'}</dd>
          <dt>Effect</dt>
          <dd>
            {action === 'cancel'
              ? 'The running statement stops with an error; the session stays.'
              : 'The connection closes; its open transaction rolls back.'}
          </dd>
        </dl>
      ),
      confirmLabel: action === 'cancel' ? 'Cancel query' : 'Terminate session',
      run: async () =>
        (await client.careSignalBackend({ targetId: target.id, pid: s.pid, action, confirm: true }))
          .message,
    });
  }

  function apply(a: AdviceItem): void {
    flow.ask({
      title: `Set ${a.setting} to ${a.suggested}`,
      statement: a.sql ?? '',
      plan: (
        <dl className="facts">
          <dt>Current</dt>
          <dd className="mono">{a.current}</dd>
          <dt>Suggested</dt>
          <dd className="mono">{a.suggested}</dd>
          <dt>Why</dt>
          <dd>{a.why}</dd>
          <dt>Takes effect</dt>
          <dd>{a.restart ? 'after a server restart (not done by Opsdeck)' : 'on reload'}</dd>
        </dl>
      ),
      confirmLabel: 'Apply setting',
      run: async () =>
        (
          await client.careApplySetting({
            targetId: target.id,
            setting: a.setting,
            value: a.suggested,
            confirm: true,
          })
        ).message,
    });
  }

  return (
    <div className="care-tab">
      <LoadNotice what="health" loaded={health} now={now} readAt={h?.t ?? null} />
      {h && h.problems.length > 0 && (
        <details className="notice notice-warn">
          <summary>
            {h.problems.length} part{h.problems.length === 1 ? '' : 's'} could not be read
          </summary>
          <ul>
            {h.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      )}
      {flow.view}
      {h && <HealthTab tab={tab} health={h} now={now} onSignal={signal} onApply={apply} />}
    </div>
  );
}

function HealthTab(props: {
  tab: string;
  health: PgHealth;
  now: number;
  onSignal: (s: PgSession, a: SignalAction) => void;
  onApply: (a: AdviceItem) => void;
}): React.ReactElement {
  const { tab, health, now } = props;
  switch (tab) {
    case 'activity':
      return <ActivityTab health={health} onSignal={props.onSignal} />;
    case 'queries':
      return <QueriesTab statements={health.statements} now={now} />;
    case 'tables':
      return <TablesTab health={health} now={now} />;
    case 'replication':
      return <ReplicationTab health={health} now={now} />;
    case 'advice':
      return <AdviceTab health={health} onApply={props.onApply} />;
    default:
      return <p className="muted">No such tab.</p>;
  }
}

function CallError({ error }: { error: string | null }): React.ReactElement | null {
  if (!error) return null;
  return (
    <div className="notice notice-bad" role="alert">
      <span className="notice-icon" aria-hidden="true">
        ✕
      </span>
      <span>{error}</span>
    </div>
  );
}

function PgMaintenance({ target }: { target: Target }): React.ReactElement {
  const client = useClient();
  const now = useNow(2000);
  const health = useHealth(target.id, 60_000);
  const runs = useLoad(`careListRuns:${target.id}`, () =>
    client.careListRuns({ targetId: target.id, limit: 50 }),
  );
  const schedules = useLoad(`careListSchedules:${target.id}`, () =>
    client.careListSchedules({ targetId: target.id }),
  );
  const [current, setCurrent] = useState<MaintenanceRun | null>(null);
  const [progress, setProgress] = useState<MaintenanceProgress | null>(null);
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reloadAll = (): void => {
    runs.reload();
    schedules.reload();
    health.reload();
  };
  const flow = useChangeFlow(target.name, reloadAll);

  useEvent('careProgress', (p) => {
    if (current && p.runId === current.id) setProgress(p);
  });

  // The run's end (and its before/after) comes from the stored run: poll while it runs.
  const running = current?.status === 'running' ? current.id : null;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      client.careGetRun({ runId: running }).then(
        (r) => {
          setCurrent(r);
          if (r.status !== 'running') {
            setProgress(null);
            reloadAll();
          }
        },
        () => undefined,
      );
    }, 1000);
    return () => clearInterval(timer);
    // reloadAll only reloads; it need not restart the timer.
  }, [client, running]);

  async function plan(req: MaintenanceRequest): Promise<void> {
    setPlanning(true);
    setError(null);
    try {
      const p = await client.carePlanMaintenance({ targetId: target.id, ...req });
      askToRun(p);
    } catch (err) {
      setError(
        isNotInBuild(err)
          ? `${errorText(err)} Maintenance cannot be planned yet.`
          : `Could not plan ${actionText(req.action, req.options, req.scope)} on ${target.name}: ${errorText(err)}`,
      );
    } finally {
      setPlanning(false);
    }
  }

  function askToRun(p: MaintenancePlan): void {
    const what = actionText(p.action, p.options, p.scope);
    flow.ask({
      title: `Run ${what}`,
      statement: p.sql.join(';\n') + ';',
      lock: p.lock,
      plan: <PlanFacts plan={p} />,
      blockers: p.checks.filter((c) => c.status === 'blocking').map((c) => c.message),
      typeName: p.requiresTypedName,
      confirmLabel: `Run ${ACTION_WORD[p.action]}`,
      run: async (override, typedName) => {
        const run = await client.careRunMaintenance({
          token: p.token,
          override,
          typedName: p.requiresTypedName ? typedName : undefined,
        });
        setProgress(null);
        setCurrent(run);
        return run.status === 'running'
          ? `${what} started on ${target.name}.`
          : `${what} on ${target.name}: ${runStatusWord(run.status)}.`;
      },
    });
  }

  function saveSchedule(req: MaintenanceRequest, cron: string, from: string, to: string): void {
    const what = actionText(req.action, req.options, req.scope);
    flow.ask({
      title: `Schedule ${what}`,
      statementLabel: 'Schedule',
      statement: `${what}\ncron "${cron}", only between ${from} and ${to} (this workstation's time)`,
      plan: (
        <p>
          Each run is planned again when it is due; a plan with a blocking problem is skipped and
          recorded, never overridden.
        </p>
      ),
      confirmLabel: 'Save schedule',
      run: async () => {
        const s = await client.careSaveSchedule({
          targetId: target.id,
          ...req,
          cron,
          windowStart: from,
          windowEnd: to,
          enabled: true,
        });
        return `Schedule saved; next run ${s.nextRunAt ? formatWhen(s.nextRunAt, Date.now()) : 'not computed'}.`;
      },
    });
  }

  return (
    <div className="care-tab">
      <LoadNotice what="maintenance runs" loaded={runs} now={now} />
      <CallError error={error} />
      {flow.view}
      <MaintenanceTab
        health={health.data}
        current={runs.data?.find((r) => r.id === current?.id && r.status !== 'running') ?? current}
        progress={progress}
        runs={runs.data}
        schedules={schedules.data}
        now={now}
        planning={planning}
        onPlan={(req) => void plan(req)}
        onCancelRun={(run) =>
          void client.careCancelMaintenance({ runId: run.id }).then(
            () => undefined,
            (err: unknown) => setError(`Could not cancel the run: ${errorText(err)}`),
          )
        }
        onSaveSchedule={saveSchedule}
        onDeleteSchedule={(s) =>
          flow.ask({
            title: 'Delete schedule',
            statementLabel: 'Schedule',
            statement: `${actionText(s.action, s.options, s.scope)}\ncron "${s.cron}"`,
            confirmLabel: 'Delete schedule',
            run: async () => {
              await client.careDeleteSchedule({ id: s.id });
              return 'Schedule deleted.';
            },
          })
        }
      />
    </div>
  );
}

function PgBackups({ target }: { target: Target }): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(5000);
  const backups = useLoad(`careListBackups:${target.id}`, () =>
    client.careListBackups({ targetId: target.id }),
  );
  const policy = useLoad(`careGetPolicy:${target.id}`, () =>
    client.careGetPolicy({ targetId: target.id }),
  );
  const objectives = useLoad('careObjectives', () => client.careObjectives({}));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reloadAll = (): void => {
    backups.reload();
    policy.reload();
    objectives.reload();
  };
  const flow = useChangeFlow(target.name, reloadAll);

  // A backup runs in the background: follow it until it ends.
  const anyRunning = (backups.data ?? []).some((b) => b.status === 'running');
  const reloadBackups = backups.reload;
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(() => {
      reloadBackups();
      objectives.reload();
    }, 2000);
    return () => clearInterval(timer);
  }, [anyRunning, reloadBackups]);

  const restoreTargets = [
    { id: target.id, name: `${target.name} (the source)` },
    ...(inv.targets ?? [])
      .filter((t) => t.config.kind === 'postgres' && t.id !== target.id)
      .map((t) => ({ id: t.id, name: t.name })),
  ];
  const db = target.config.kind === 'postgres' ? target.config.database : '';

  async function take(mode: BackupMode, folder: string): Promise<void> {
    setBusy('take');
    setError(null);
    try {
      const pre = await client.careBackupPreflight({ targetId: target.id, mode });
      if (!pre.ok) {
        setError(`No backup taken of ${target.name}: ${pre.message}`);
        return;
      }
      askTake(mode, folder, pre.message);
    } catch (err) {
      setError(`Could not prepare a backup of ${target.name}: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  }

  function askTake(mode: BackupMode, folder: string, preflight: string): void {
    const where =
      mode === 'host'
        ? `${folder} on the database host (over SSH)`
        : `${folder || "the Opsdeck data folder's backups/"} on this workstation`;
    flow.ask({
      title: `Take a backup of ${db}`,
      statementLabel: 'What runs',
      statement: `pg_dump --format=custom ${db}\n  into ${where}`,
      plan: (
        <dl className="facts">
          <dt>pg_dump</dt>
          <dd>{preflight}</dd>
          <dt>Afterwards</dt>
          <dd>size, duration, SHA-256 (kept apart from the file) and the archive's table list</dd>
        </dl>
      ),
      confirmLabel: 'Take backup',
      run: async () => {
        const b = await client.careStartBackup({
          targetId: target.id,
          mode,
          folder: folder || undefined,
          confirm: true,
        });
        return backupOutcome(b);
      },
    });
  }

  function verify(b: Backup, restoreTargetId: string): void {
    const on = restoreTargets.find((t) => t.id === restoreTargetId)?.name ?? restoreTargetId;
    flow.ask({
      title: `Verify the backup of ${formatWhen(b.startedAt, Date.now())}`,
      statementLabel: 'What runs',
      statement: [
        `sha256 of ${b.path} against the stored checksum`,
        'pg_restore --list (the archive reads cleanly)',
        `CREATE DATABASE <scratch name chosen by Opsdeck> on ${on}`,
        'pg_restore into it, timed (the measured RTO)',
        'row counts compared table by table',
        'DROP DATABASE <scratch>',
      ].join('\n'),
      plan: (
        <p>
          The test restore uses disk and CPU on {on} for about as long as a real restore. The
          scratch database never takes the name of an existing one.
        </p>
      ),
      confirmLabel: 'Verify',
      run: async () => {
        setBusy(`verify:${b.id}`);
        try {
          const v = await client.careVerifyBackup({
            backupId: b.id,
            restoreTargetId,
            exactCounts: true,
          });
          if (!v.ok) throw new Error(`Verification failed: ${v.reason ?? 'no reason given'}`);
          return `Backup verified: checksum ok, archive lists, test restore of ${v.tables.length} table${v.tables.length === 1 ? '' : 's'} took ${v.restoreMs === null ? '—' : formatDuration(v.restoreMs / 1000)}.`;
        } finally {
          setBusy(null);
          reloadAll();
        }
      },
    });
  }

  function savePolicy(p: Omit<RetentionPolicy, 'targetId'>): void {
    setError(null);
    client.careSavePolicy({ targetId: target.id, ...p }).then(
      () => reloadAll(),
      (err: unknown) => setError(`Could not save the policy of ${target.name}: ${errorText(err)}`),
    );
  }

  function retention(): void {
    const p = policy.data;
    flow.ask({
      title: 'Apply the retention policy',
      statementLabel: 'What runs',
      statement: p
        ? `keep the last ${p.keepLast}, one a day for ${p.dailyDays} days, one a week for ${p.weeklyWeeks} weeks;\ndelete the other backup files`
        : 'apply the retention policy',
      plan: (
        <p>
          An expired backup is deleted only when a newer verified backup exists; otherwise it is
          held back and named in the result.
        </p>
      ),
      confirmLabel: 'Delete expired backups',
      run: async () =>
        (await client.careRunRetention({ targetId: target.id, confirm: true })).message,
    });
  }

  const objective = objectives.data?.find((o) => o.targetId === target.id) ?? null;
  return (
    <div className="care-tab">
      <LoadNotice what="backups" loaded={backups} now={now} />
      <CallError error={error} />
      {flow.view}
      {!(backups.error && isNotInBuild(backups.error)) && (
        <BackupsTab
          targetName={target.name}
          backups={backups.data}
          policy={policy.data}
          objective={objective}
          restoreTargets={restoreTargets}
          now={now}
          busy={busy}
          onTake={(mode, folder) => void take(mode, folder)}
          onVerify={verify}
          onSavePolicy={savePolicy}
          onRetention={retention}
        />
      )}
    </div>
  );
}

function backupOutcome(b: Backup): string {
  switch (b.status) {
    case 'running':
      return 'Backup started; it shows in the list below until it ends.';
    case 'succeeded':
      return `Backup taken: ${formatBytes(b.sizeBytes)} in ${b.durationMs === null ? '—' : formatDuration(b.durationMs / 1000)}.`;
    case 'failed':
      throw new Error(`The backup failed: ${b.error ?? 'no reason given'}`);
    default:
      return assertNever(b.status, 'backup status');
  }
}

// Loads a run (which is how an interrupted run resumes: the backend keeps every step),
// follows its events and streamed output, and carries out the operator's actions.
import { useEffect, useState } from 'react';
import type { Run, StepResult } from '../../../shared/runbooks';
import { errorText } from '../client';
import {
  RunbooksUnavailableNotice,
  runbooksUnavailable,
  saveHtml,
} from '../components/RunbookBits';
import { useClient, useEvent, useLoad, useNow } from '../hooks';
import { RunPage } from '../pages/RunPage';
import { appendOutput, escalationClock, type LiveOutput, newerRun } from '../runbooks';

/** The step shown as running while its call is under way. */
function markRunning(run: Run, index: number): Run {
  const prev = run.steps.find((s) => s.index === index);
  const running: StepResult = {
    index,
    stepId: run.plan[index]?.id ?? '',
    attempt: (prev?.attempt ?? 0) + 1,
    status: 'running',
    outcome: null,
    by: null,
    startedAt: Date.now(),
    finishedAt: null,
    targetId: run.plan[index]?.targetId ?? null,
    text: run.plan[index]?.text ?? null,
    exitCode: null,
    output: '',
    truncated: false,
    value: null,
    confirmed: false,
    skipReason: null,
    choice: null,
    error: null,
  };
  return { ...run, steps: [...run.steps.filter((s) => s.index !== index), running] };
}

export function RunContainer({ id }: { id: string }): React.ReactElement {
  const client = useClient();
  const now = useNow(1_000);
  const loaded = useLoad(`run:${id}`, () => client.getRun({ id }));
  const [run, setRun] = useState<Run | undefined>(loaded.data);
  const [live, setLive] = useState<LiveOutput | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const runbook = useLoad(run ? `runbook:${run.runbookId}` : null, () =>
    client.getRunbook({ id: run?.runbookId ?? '' }),
  );
  const incident = useLoad(run?.incidentId ? `incident:${run.incidentId}` : null, () =>
    client.getIncident({ id: run?.incidentId ?? '' }),
  );
  // Also before an incident exists: an escalate step names whom it calls.
  const matrix = useLoad('escalation', () => client.getEscalation({}));

  useEffect(() => {
    const data = loaded.data;
    // busy: the answer of the call in flight is newer than a reload; and a reload asked for
    // during a step may answer after it, with the run as it was then.
    if (data && !busy) setRun((shown) => newerRun(shown, data));
  }, [loaded.data]);

  useEvent('run', (summary) => {
    if (summary.id === id && !busy) loaded.reload();
  });
  useEvent('runOutput', (ev) => {
    if (ev.runId === id) setLive((prev) => appendOutput(prev, ev));
  });
  useEvent('incident', (inc) => {
    if (inc.id === run?.incidentId) incident.reload();
  });

  async function act(what: string, fn: () => Promise<Run>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setRun(await fn());
    } catch (err) {
      setError(`${what}: ${errorText(err)}`);
      loaded.reload();
    } finally {
      setBusy(false);
    }
  }

  const unavailable = runbooksUnavailable(loaded.error);
  if (!run) {
    return (
      <section className="page">
        <header className="page-head">
          <h1>Run</h1>
          <a href="#/runbooks">All runbooks</a>
        </header>
        {unavailable && <RunbooksUnavailableNotice message={unavailable} />}
        {loaded.error && !unavailable && (
          <p className="error" role="alert">
            Could not load the run {id}: {errorText(loaded.error)}
          </p>
        )}
        {!loaded.error && <p className="muted">Loading…</p>}
      </section>
    );
  }

  return (
    <RunPage
      run={run}
      runbook={runbook.data}
      incident={incident.data ?? null}
      clock={incident.data ? escalationClock(incident.data, matrix.data, now) : null}
      matrix={matrix.data}
      live={live}
      busy={busy}
      error={
        error ?? (loaded.error ? `Lost contact with the run: ${errorText(loaded.error)}` : null)
      }
      exported={exported}
      now={now}
      onRun={(index, confirm) => {
        setRun((r) => (r ? markRunning(r, index) : r));
        setLive(null);
        return act(`Step ${index + 1} could not run`, () =>
          client.runStep({ runId: id, index, confirm }),
        );
      }}
      onSkip={(index, reason) =>
        act(`Step ${index + 1} could not be skipped`, () =>
          client.skipStep({ runId: id, index, reason }),
        )
      }
      onDecide={(index, option) =>
        act('The choice was not recorded', () => client.decide({ runId: id, index, option }))
      }
      onNote={async (index, text) => {
        const next = await client.addRunNote({
          runId: id,
          text,
          ...(index !== null ? { index } : {}),
        });
        setRun(next);
        if (next.incidentId) incident.reload();
      }}
      onAbort={async (reason) => {
        setRun(await client.abortRun({ runId: id, reason }));
      }}
      onExport={() => {
        setError(null);
        client.exportRun({ id }).then(
          (exp) => setExported(saveHtml(exp, `run-${id}.html`)),
          (err: unknown) => setError(`The report was not exported: ${errorText(err)}`),
        );
      }}
      onOpenIncident={() => {
        client.openIncident({ runId: id }).then(
          () => loaded.reload(),
          (err: unknown) => setError(`No incident was opened: ${errorText(err)}`),
        );
      }}
    />
  );
}

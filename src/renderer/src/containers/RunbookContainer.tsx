// Loads one runbook (and the incident it will be linked to); plans a dry run, starts a run.
import { useState } from 'react';
import type { ParamValue, RunPlan } from '../../../shared/runbooks';
import { errorText } from '../client';
import { RunbooksUnavailableNotice, runbooksUnavailable } from '../components/RunbookBits';
import { useClient, useLoad } from '../hooks';
import { useInventory } from '../inventory';
import { RunbookPage, type Bindings } from '../pages/RunbookPage';
import { navigate, type RunStart } from '../router';

export function RunbookContainer({
  id,
  start,
}: {
  id: string;
  start: RunStart;
}): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const rb = useLoad(`runbook:${id}`, () => client.getRunbook({ id }));
  const incident = useLoad(start.incident ? `incident:${start.incident}` : null, () =>
    client.getIncident({ id: start.incident ?? '' }),
  );
  const [plan, setPlan] = useState<{ plan: RunPlan | null; error: string | null; busy: boolean }>({
    plan: null,
    error: null,
    busy: false,
  });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  async function onPlan(params: Record<string, ParamValue>, targets: Bindings): Promise<void> {
    setPlan({ plan: null, error: null, busy: true });
    try {
      const p = await client.planRun({ runbookId: id, params, targets });
      setPlan({ plan: p, error: null, busy: false });
      requestAnimationFrame(() =>
        document.querySelector('.dry-run')?.scrollIntoView({ block: 'start' }),
      );
    } catch (err) {
      setPlan({ plan: null, error: `The dry run failed: ${errorText(err)}`, busy: false });
    }
  }

  async function onStart(params: Record<string, ParamValue>, targets: Bindings): Promise<void> {
    setStarting(true);
    setStartError(null);
    try {
      const run = await client.startRun({
        runbookId: id,
        params,
        targets,
        ...(start.incident ? { incidentId: start.incident } : {}),
      });
      navigate({ page: 'run', id: run.id });
    } catch (err) {
      setStartError(`The run did not start: ${errorText(err)}`);
      setStarting(false);
    }
  }

  const unavailable = runbooksUnavailable(rb.error);
  if (unavailable || !rb.data) {
    return (
      <section className="page">
        <header className="page-head">
          <h1>Runbook</h1>
          <a href="#/runbooks">All runbooks</a>
        </header>
        {unavailable && <RunbooksUnavailableNotice message={unavailable} />}
        {rb.error && !unavailable && (
          <p className="error" role="alert">
            Could not load the runbook {id}: {errorText(rb.error)}
          </p>
        )}
        {!rb.error && <p className="muted">Loading…</p>}
      </section>
    );
  }
  const initial: Bindings = {};
  if (start.host) initial.host = start.host;
  if (start.postgres) initial.postgres = start.postgres;
  if (start.redis) initial.redis = start.redis;
  return (
    <RunbookPage
      key={`${id}:${(inv.targets ?? []).length}`}
      runbook={rb.data}
      targets={inv.targets ?? []}
      incident={incident.data ?? null}
      initialBindings={initial}
      plan={plan}
      starting={starting}
      startError={startError}
      onPlan={(p, t) => void onPlan(p, t)}
      onStart={(p, t) => void onStart(p, t)}
    />
  );
}

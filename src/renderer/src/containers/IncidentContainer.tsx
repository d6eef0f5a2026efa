// Loads an incident, its runs, the escalation matrix and the runbooks to start from it;
// follows incident and run events; acknowledges, notes, edits and exports.
import { useEffect, useState } from 'react';
import type { Incident, TargetRole } from '../../../shared/runbooks';
import { errorText } from '../client';
import {
  RunbooksUnavailableNotice,
  runbooksUnavailable,
  saveHtml,
} from '../components/RunbookBits';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { useInventory } from '../inventory';
import { IncidentPage } from '../pages/IncidentPage';
import { navigate, NO_START, type RunStart } from '../router';
import { escalationClock, roleOfKind } from '../runbooks';

export function IncidentContainer({ id }: { id: string }): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(1_000);
  const loaded = useLoad(`incident:${id}`, () => client.getIncident({ id }));
  const [inc, setInc] = useState<Incident | undefined>(loaded.data);
  const runs = useLoad(`runs:incident:${id}`, () => client.listRuns({ incidentId: id }));
  const matrix = useLoad('escalation', () => client.getEscalation({}));
  const library = useLoad('runbooks:library', () => client.listRunbooks({}));
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const reloadRuns = useThrottled(runs.reload, 2000);

  useEffect(() => setInc(loaded.data), [loaded.data]);
  useEvent('incident', (i) => {
    if (i.id === id) setInc(i);
  });
  useEvent('run', (r) => {
    if (r.incidentId === id) {
      reloadRuns();
      loaded.reload();
    }
  });

  const unavailable = runbooksUnavailable(loaded.error);
  if (!inc) {
    return (
      <section className="page">
        <header className="page-head">
          <h1>Incident</h1>
          <a href="#/incidents">All incidents</a>
        </header>
        {unavailable && <RunbooksUnavailableNotice message={unavailable} />}
        {loaded.error && !unavailable && (
          <p className="error" role="alert">
            Could not load the incident {id}: {errorText(loaded.error)}
          </p>
        )}
        {!loaded.error && <p className="muted">Loading…</p>}
      </section>
    );
  }

  function startRunbook(runbookId: string): void {
    const start: RunStart = { ...NO_START, incident: id };
    const rb = library.data?.runbooks.find((r) => r.id === runbookId);
    for (const targetId of inc?.targetIds ?? []) {
      const t = inv.targets?.find((x) => x.id === targetId);
      if (!t) continue;
      const role: TargetRole = roleOfKind(t.config.kind);
      if (rb?.targets.includes(role) && !start[role]) start[role] = t.id;
    }
    navigate({ page: 'runbook', id: runbookId, start });
  }

  return (
    <IncidentPage
      incident={inc}
      clock={escalationClock(inc, matrix.data, now)}
      matrix={matrix.data}
      runs={runs.data}
      runbooks={library.data?.runbooks}
      targets={inv.targets ?? []}
      error={error}
      exported={exported}
      now={now}
      onAck={async (note) => setInc(await client.ackIncident({ id, note }))}
      onNote={async (text) => setInc(await client.addIncidentNote({ id, text }))}
      onSave={async (e) => setInc(await client.updateIncident({ id, ...e }))}
      onStartRunbook={startRunbook}
      onExport={() => {
        setError(null);
        client.exportIncident({ id }).then(
          (exp) => setExported(saveHtml(exp, `incident-${id}.html`)),
          (err: unknown) => setError(`The report was not exported: ${errorText(err)}`),
        );
      }}
    />
  );
}

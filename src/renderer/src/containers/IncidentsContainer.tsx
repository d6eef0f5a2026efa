// Loads incidents and the escalation matrix; follows incident events; opens incidents.
import { errorText } from '../client';
import { RunbooksUnavailableNotice, runbooksUnavailable } from '../components/RunbookBits';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { useInventory } from '../inventory';
import { IncidentsPage, type NewIncident } from '../pages/IncidentsPage';
import { navigate } from '../router';

export function IncidentsContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(5_000);
  const incidents = useLoad('incidents', () => client.listIncidents({ limit: 500 }));
  const matrix = useLoad('escalation', () => client.getEscalation({}));
  const reload = useThrottled(incidents.reload, 2000);
  useEvent('incident', reload);

  async function onOpen(i: NewIncident): Promise<void> {
    const inc = await client.openIncident(i);
    navigate({ page: 'incident', id: inc.id });
  }

  const unavailable = runbooksUnavailable(incidents.error);
  if (unavailable) {
    return (
      <section className="page">
        <header className="page-head">
          <h1>Incidents</h1>
        </header>
        <RunbooksUnavailableNotice message={unavailable} />
      </section>
    );
  }
  return (
    <IncidentsPage
      incidents={incidents.data}
      matrix={matrix.data}
      targets={inv.targets ?? []}
      error={
        incidents.error
          ? `Could not load the incidents: ${errorText(incidents.error)}${incidents.data ? ' Showing the last answer.' : ''}`
          : null
      }
      now={now}
      onOpen={onOpen}
      onRefresh={incidents.reload}
    />
  );
}

// Loads the runbook library and recent runs; refreshes when a run changes.
import { errorText } from '../client';
import { RunbooksUnavailableNotice, runbooksUnavailable } from '../components/RunbookBits';
import { useClient, useEvent, useLoad, useNow, useThrottled } from '../hooks';
import { RunbooksPage } from '../pages/RunbooksPage';

export function RunbooksContainer(): React.ReactElement {
  const client = useClient();
  const now = useNow(30_000);
  const library = useLoad('runbooks:library', () => client.listRunbooks({}));
  const runs = useLoad('runbooks:runs', () => client.listRuns({ limit: 50 }));
  const reloadRuns = useThrottled(runs.reload, 3000);
  useEvent('run', reloadRuns);

  const unavailable = runbooksUnavailable(library.error);
  if (unavailable) {
    return (
      <section className="page">
        <header className="page-head">
          <h1>Runbooks</h1>
        </header>
        <RunbooksUnavailableNotice message={unavailable} />
      </section>
    );
  }
  const err = library.error ?? runs.error;
  return (
    <RunbooksPage
      library={library.data}
      runs={runs.data}
      error={err ? `Could not load the runbooks: ${errorText(err)}` : null}
      now={now}
      onRefresh={() => {
        library.reload();
        runs.reload();
      }}
    />
  );
}

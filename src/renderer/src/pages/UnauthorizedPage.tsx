// Browser mode without a valid token: say what to open instead.
export function UnauthorizedPage(): React.ReactElement {
  return (
    <main className="page unauthorized" id="content">
      <h1>Opsdeck needs its access link</h1>
      <p>
        This page has no valid access token, or the backend was restarted with a new one.
      </p>
      <p>
        Open the URL printed by <code>npm run serve</code> in the terminal where it runs. It looks like{' '}
        <code>http://127.0.0.1:PORT/#token=…</code>. The token is kept for this browser tab only.
      </p>
    </main>
  );
}

// Browser mode without a valid token (or from a refused address): say what to open instead.
export function UnauthorizedPage({ detail }: { detail: string | null }): React.ReactElement {
  return (
    <main className="page unauthorized" id="content">
      <h1>Opsdeck needs its access link</h1>
      <p>{detail ?? 'This page has no valid access token.'}</p>
      <p>
        Open the URL printed by <code>npm run serve</code> in the terminal where it runs. It looks
        like <code>http://127.0.0.1:PORT/#token=…</code>. The token is kept for this browser tab
        only.
      </p>
    </main>
  );
}

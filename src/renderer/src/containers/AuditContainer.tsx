// Loads the audit log and verifies its chain on request.
import { useState } from 'react';
import type { AuditCheck } from '../../../shared/runbooks';
import { errorText } from '../client';
import { useClient, useLoad, useNow } from '../hooks';
import { useInventory } from '../inventory';
import { AuditPage } from '../pages/AuditPage';

export function AuditContainer(): React.ReactElement {
  const client = useClient();
  const inv = useInventory();
  const now = useNow(30_000);
  const audit = useLoad('auditLog:page', () => client.auditLog({ limit: 500 }));
  const [check, setCheck] = useState<{
    result: AuditCheck | null;
    error: string | null;
    busy: boolean;
    at: number | null;
  }>({ result: null, error: null, busy: false, at: null });

  function verify(): void {
    setCheck((c) => ({ ...c, busy: true, error: null }));
    audit.reload();
    client.verifyAudit({}).then(
      (result) => setCheck({ result, error: null, busy: false, at: Date.now() }),
      (err: unknown) => setCheck({ result: null, error: errorText(err), busy: false, at: null }),
    );
  }

  return (
    <AuditPage
      entries={audit.data}
      error={audit.error ? errorText(audit.error) : null}
      check={check}
      now={now}
      targetName={(id) => inv.targets?.find((t) => t.id === id)?.name ?? `${id} (deleted)`}
      onVerify={verify}
      onRefresh={audit.reload}
    />
  );
}

// Shared by the care integration tests: an Opsdeck core on a temporary data folder, calls
// through the contract's schemas, and PostgreSQL targets for the harness cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { OpsdeckApp } from '../../src/main/app';
import { appRoot, call } from '../harness/app-api';
import type { PgCluster, PgRole } from '../harness/postgres';

export { call } from '../harness/app-api';
export { until } from '../harness/util';

export interface TestApp {
  app: OpsdeckApp;
  dataDir: string;
  stop(): Promise<void>;
}

export function startApp(): TestApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-care-'));
  const app = new OpsdeckApp({ dataDir, appRoot, transport: 'browser', collect: false });
  return {
    app,
    dataDir,
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function addPg(
  app: OpsdeckApp,
  pg: PgCluster,
  role: PgRole,
  name: string,
  database = 'postgres',
  viaTargetId?: string,
): Promise<string> {
  const t = await call(app, 'saveTarget', {
    name,
    config: {
      kind: 'postgres',
      host: pg.host,
      port: pg.port,
      database,
      user: role.user,
      sslmode: 'disable',
      ...(viaTargetId ? { viaTargetId } : {}),
    },
    secret: role.password,
  });
  return t.id;
}

export async function pgClient(pg: PgCluster, database = 'postgres'): Promise<Client> {
  const c = new Client({
    host: pg.host,
    port: pg.port,
    user: pg.superuser.user,
    password: pg.superuser.password,
    database,
  });
  await c.connect();
  return c;
}

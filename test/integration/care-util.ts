// Shared by the care integration tests: an Opsdeck core on a temporary data folder, calls
// through the contract's schemas, and PostgreSQL targets for the harness cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { OpsdeckApp } from '../../src/main/app';
import type { MethodArg, MethodInput, MethodName, MethodOutput } from '../../src/shared/api';
import { contract } from '../../src/shared/api';
import type { PgCluster, PgRole } from '../harness/postgres';

const appRoot = resolve(__dirname, '..', '..');

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

export async function call<K extends MethodName>(
  app: OpsdeckApp,
  method: K,
  arg: MethodInput<K>,
): Promise<MethodOutput<K>> {
  const parsed = contract[method].input.parse(arg) as MethodArg<K>;
  const fn = app.api[method] as (a: MethodArg<K>) => Promise<MethodOutput<K>>;
  return fn(parsed);
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

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

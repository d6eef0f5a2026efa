// Changes on a PostgreSQL target outside maintenance: cancelling or terminating a session,
// applying an advised setting. Each is confirmed by the caller and audited here.
import { ADVISED_SETTINGS, type AdvisedSetting } from '../../shared/care';
import type { Target } from '../../shared/types';
import { ValidationError, errorMessage } from '../errors';
import { quoteIdent } from '../collectors/postgres/statements';
import type { SqlClient } from '../targets/types';

export type Audit = (targetId: string, action: string, detail: string, result: string) => void;

export async function signalBackend(
  target: Target,
  sql: SqlClient,
  pid: number,
  action: 'cancel' | 'terminate',
  audit: Audit,
): Promise<{ signalled: boolean; message: string }> {
  const fn = action === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
  const detail = `${fn}(${pid}) on ${target.name}`;
  try {
    const r = await sql.query<{ ok: boolean }>(`select ${fn}($1::int) as ok`, [pid]);
    const ok = r.rows[0]?.ok === true;
    const message = ok
      ? `Session ${pid} on ${target.name} was sent the ${action} signal.`
      : `Session ${pid} on ${target.name} was not found; it may have ended already.`;
    audit(target.id, `pg-${action}`, detail, ok ? 'ok' : 'no such session');
    return { signalled: ok, message };
  } catch (err) {
    audit(target.id, `pg-${action}`, detail, `failed: ${errorMessage(err)}`);
    throw err;
  }
}

/** ALTER SYSTEM for one advised setting; the value is checked again, then quoted. */
export function alterSystemSql(setting: AdvisedSetting, value: string): string {
  if (!ADVISED_SETTINGS.includes(setting)) {
    throw new ValidationError(`${setting} is not a setting Opsdeck advises on.`);
  }
  if (!/^[A-Za-z0-9.]{1,32}$/.test(value)) {
    throw new ValidationError(`"${value}" is not a setting value (letters, digits and dots).`);
  }
  return `ALTER SYSTEM SET ${quoteIdent(setting)} = '${value}'`;
}

export async function applySetting(
  target: Target,
  sql: SqlClient,
  setting: AdvisedSetting,
  value: string,
  audit: Audit,
): Promise<{ applied: boolean; message: string }> {
  const statement = alterSystemSql(setting, value);
  try {
    await sql.query(statement);
    await sql.query('select pg_reload_conf()');
    const ctx = await sql.query<{ context: string; pending_restart: boolean }>(
      'select context, pending_restart from pg_settings where name = $1',
      [setting],
    );
    const restart = ctx.rows[0]?.pending_restart === true || ctx.rows[0]?.context === 'postmaster';
    audit(target.id, 'pg-alter-system', `${statement} on ${target.name}`, 'ok');
    return {
      applied: true,
      message: restart
        ? `${setting} = ${value} is written on ${target.name}; it takes effect after a restart.`
        : `${setting} = ${value} is in effect on ${target.name} (configuration reloaded).`,
    };
  } catch (err) {
    audit(
      target.id,
      'pg-alter-system',
      `${statement} on ${target.name}`,
      `failed: ${errorMessage(err)}`,
    );
    throw err;
  }
}

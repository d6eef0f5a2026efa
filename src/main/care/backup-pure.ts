// Pure parts of backups: the pg_dump version pre-flight, the archive's table of contents,
// row count comparison, scratch database names, retention and recovery objectives.
import type {
  Backup,
  BackupTableRow,
  ObjectiveStatus,
  RetentionPolicy,
  TableCountCheck,
} from '../../shared/care';

/** "pg_dump (PostgreSQL) 16.4" or "pg_dump (PostgreSQL) 17devel" -> 16 / 17; 9.6 -> 9. */
export function toolMajor(versionText: string): number | null {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionText);
  return m ? Number(m[1]) : null;
}

/** server_version_num 170002 -> 17; 90624 -> 9. */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

export interface ToolCandidate {
  path: string;
  versionText: string;
}

export type ToolChoice =
  | { ok: true; path: string; versionText: string; major: number }
  | { ok: false; message: string; newest: ToolCandidate | null };

/**
 * The pg_dump to use: the newest candidate whose major is at least the server's. A dump by
 * an older pg_dump aborts halfway ("server version mismatch"), so it is refused up front.
 */
export function pickTool(
  candidates: readonly ToolCandidate[],
  versionNum: number,
  where: string,
): ToolChoice {
  const server = serverMajor(versionNum);
  const known = candidates
    .map((c) => ({ ...c, major: toolMajor(c.versionText) }))
    .filter((c): c is ToolCandidate & { major: number } => c.major !== null)
    .sort((a, b) => b.major - a.major);
  const best = known[0];
  if (best && best.major >= server) {
    return { ok: true, path: best.path, versionText: best.versionText.trim(), major: best.major };
  }
  const serverText = `the server is PostgreSQL ${server} (server_version_num ${versionNum})`;
  if (!best) {
    return {
      ok: false,
      newest: null,
      message: `No pg_dump was found on ${where}, and ${serverText}. Install the PostgreSQL ${server} client tools there.`,
    };
  }
  return {
    ok: false,
    newest: best,
    message:
      `The newest pg_dump on ${where} is "${best.versionText.trim()}" (major ${best.major}), but ` +
      `${serverText}; an older pg_dump refuses to dump a newer server. Install the PostgreSQL ` +
      `${server} client tools on ${where}. Nothing was started.`,
  };
}

/** Entries of `pg_restore --list` (comment lines start with ';'). */
export function tocEntries(listing: string): number {
  return listing.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';')).length;
}

/** A scratch database name no real database has: a fixed prefix, the backup id, randomness. */
export function scratchName(backupId: string, random: string): string {
  const safe = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `opsdeck_verify_${safe(backupId).slice(0, 16)}_${safe(random).slice(0, 16)}`;
}

/** Restored counts against the dump-time figures: exact counts must match; estimates ±10 %. */
export function compareCounts(
  tables: readonly BackupTableRow[],
  restored: ReadonlyMap<string, number>,
): TableCountCheck[] {
  return tables.map((t) => {
    const got = restored.get(`${t.schema}.${t.name}`) ?? -1;
    const expected = t.exactRows ?? Math.max(0, Math.round(t.rowEstimate));
    const ok =
      got >= 0 &&
      (t.exactRows !== null
        ? got === t.exactRows
        : t.rowEstimate < 0 || Math.abs(got - expected) <= Math.max(10, expected * 0.1));
    return { schema: t.schema, name: t.name, expected, restored: got, ok };
  });
}

const DAY = 24 * 3_600_000;

function dayKey(t: number): number {
  return Math.floor(t / DAY);
}

/** Monday-based week number since the epoch (1970-01-01 was a Thursday). */
function weekKey(t: number): number {
  return Math.floor((dayKey(t) + 3) / 7);
}

export interface RetentionDecision {
  keep: string[];
  remove: string[];
  heldBack: string[];
}

/**
 * Which stored backups a policy keeps: the last N, the newest of each of the last D days,
 * the newest of each of the last W weeks. An expired backup is removed only when a newer
 * verified backup exists; until then it is held back.
 */
export function retentionDecision(
  backups: readonly Backup[],
  policy: Pick<RetentionPolicy, 'keepLast' | 'dailyDays' | 'weeklyWeeks'>,
  now: number,
): RetentionDecision {
  const live = backups
    .filter((b) => b.status === 'succeeded' && b.deletedAt === null)
    .sort((a, b) => b.startedAt - a.startedAt);
  const keep = new Set(live.slice(0, policy.keepLast).map((b) => b.id));
  const newestPer = (key: (t: number) => number, span: number, unit: number): void => {
    const seen = new Set<number>();
    for (const b of live) {
      if (now - b.startedAt >= span * unit) continue;
      const k = key(b.startedAt);
      if (seen.has(k)) continue;
      seen.add(k);
      keep.add(b.id);
    }
  };
  newestPer(dayKey, policy.dailyDays, DAY);
  newestPer(weekKey, policy.weeklyWeeks, 7 * DAY);
  const verified = live.filter((b) => b.verification?.ok === true);
  const remove: string[] = [];
  const heldBack: string[] = [];
  for (const b of live) {
    if (keep.has(b.id)) continue;
    const newer = verified.some((v) => v.startedAt > b.startedAt);
    (newer ? remove : heldBack).push(b.id);
  }
  return { keep: live.filter((b) => keep.has(b.id)).map((b) => b.id), remove, heldBack };
}

/** The newest verified backup's age against RPO, the last measured restore against RTO. */
export function objectives(
  targetId: string,
  targetName: string,
  backups: readonly Backup[],
  policy: RetentionPolicy | null,
  now: number,
): ObjectiveStatus {
  const verified = backups
    .filter((b) => b.deletedAt === null && b.verification?.ok === true)
    .sort((a, b) => b.startedAt - a.startedAt);
  const newest = verified[0] ?? null;
  const restores = backups
    .map((b) => b.verification)
    .filter((v): v is NonNullable<Backup['verification']> => !!v && v.restoreMs !== null && v.ok)
    .sort((a, b) => b.t - a.t);
  const lastRestoreMs = restores[0]?.restoreMs ?? null;
  const age = newest ? now - newest.startedAt : null;
  const rpo = policy?.rpoHours ?? null;
  const rto = policy?.rtoHours ?? null;
  return {
    targetId,
    targetName,
    rpoHours: rpo,
    rtoHours: rto,
    newestVerifiedAt: newest?.startedAt ?? null,
    newestVerifiedAgeMs: age,
    lastRestoreMs,
    rpoOk: rpo === null ? null : age !== null && age <= rpo * 3_600_000,
    rtoOk: rto === null ? null : lastRestoreMs !== null && lastRestoreMs <= rto * 3_600_000,
  };
}

// Escalation notices, pure: which channels a level's notice goes to, and what it says
// (incident, severity, the level now due, its contacts as entered, how long nobody
// acknowledged). The notifier of src/main/alerts sends them like alert notices.
import type { Severity } from '../../shared/alerts';
import type { NotificationChannel } from '../../shared/alerts';
import type { Contact, EscalationMatrix, IncidentSeverity, Incident } from '../../shared/runbooks';
import type { Message } from '../alerts/notify';

const SEVERITY_OF_INCIDENT: Record<IncidentSeverity, Severity> = {
  low: 'info',
  medium: 'warning',
  high: 'critical',
  critical: 'critical',
};

/** Why a level's notice goes out: its time frame passed, or a runbook step escalated. */
export type NoticeCause = { kind: 'due'; previousMinutes: number } | { kind: 'step'; why: string };

/** The channel ids a level's notices go to: its own list, else the matrix's. */
export function noticeChannelIds(matrix: EscalationMatrix, level: number): string[] {
  return matrix.levels[level]?.channelIds ?? matrix.channelIds ?? [];
}

/** Channel kinds that can carry an escalation notice (the desktop gets every one anyway). */
export function carriesNotices(ch: NotificationChannel): boolean {
  return ch.config.kind !== 'desktop';
}

/** Problems of the matrix's channel lists against the channels that exist, in plain words. */
export function channelProblems(
  matrix: EscalationMatrix,
  channels: readonly NotificationChannel[],
): string[] {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const problems: string[] = [];
  const check = (ids: readonly string[], where: string): void => {
    for (const id of ids) {
      const ch = byId.get(id);
      if (!ch) problems.push(`${where} names the channel "${id}", which does not exist.`);
      else if (!carriesNotices(ch))
        problems.push(
          `${where} names the desktop channel "${ch.name}": desktop notices are always shown; ` +
            'choose a webhook or email channel.',
        );
    }
  };
  check(matrix.channelIds ?? [], 'The escalation matrix');
  matrix.levels.forEach((l) => check(l.channelIds ?? [], `Level "${l.name}"`));
  return problems;
}

function duration(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

function contactLine(c: Contact): string {
  return [c.name, c.role, c.phone, c.email, c.hours ? `hours: ${c.hours}` : '']
    .filter(Boolean)
    .join(', ');
}

/** The notice for `level` of `inc` at `now`; `targets` are the affected targets' names. */
export function escalationNotice(
  inc: Pick<Incident, 'id' | 'title' | 'type' | 'severity' | 'status' | 'openedAt'>,
  matrix: EscalationMatrix,
  level: number,
  cause: NoticeCause,
  targets: readonly string[],
  now: number,
): Message {
  const l = matrix.levels[level];
  const unacked = now - inc.openedAt;
  const severity = SEVERITY_OF_INCIDENT[inc.severity];
  const title = `Escalation: ${l.name} is due for "${inc.title}" (${inc.severity})`;
  const why =
    cause.kind === 'due'
      ? `Nobody acknowledged within ${cause.previousMinutes} min.`
      : `Escalated by ${cause.why}.`;
  const lines = [
    `Incident: ${inc.title} (${inc.id})`,
    `Severity: ${inc.severity} ${inc.type}, status ${inc.status}`,
    `Level due: ${level + 1} — ${l.name}. ${why}`,
    `Unacknowledged for: ${duration(unacked)}`,
    targets.length ? `Affected: ${targets.join(', ')}` : '',
    'Contacts:',
    ...(l.contacts.length ? l.contacts.map((c) => `  ${contactLine(c)}`) : ['  none entered']),
    'Acknowledge the incident in Opsdeck to stop the escalation clock.',
  ].filter((s) => s !== '');
  const text = lines.join('\n');
  return {
    title,
    text,
    severity,
    body: {
      source: 'opsdeck',
      kind: 'escalation',
      title,
      text,
      severity,
      incident: {
        id: inc.id,
        title: inc.title,
        type: inc.type,
        severity: inc.severity,
        status: inc.status,
        openedAt: new Date(inc.openedAt).toISOString(),
      },
      level: { index: level + 1, id: l.id, name: l.name },
      cause: cause.kind === 'due' ? 'not-acknowledged' : 'runbook-step',
      unacknowledgedMinutes: Math.floor(unacked / 60_000),
      contacts: l.contacts,
      targets,
    },
    vars: {
      title,
      text,
      severity,
      target: targets.join(', ') || inc.title,
      count: '1',
    },
  };
}

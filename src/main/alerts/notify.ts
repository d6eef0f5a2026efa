// Notifications: one message per target and evaluation (a failing host with twenty alerts
// sends one), to each enabled channel whose minimum severity the group reaches. Delivery
// runs in the background with retries and backoff; every attempt is recorded, and nothing
// here ever blocks evaluation.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type {
  Alert,
  ChannelConfig,
  Delivery,
  NotificationChannel,
  Severity,
} from '../../shared/alerts';
import { assertNever } from '../../shared/result';
import { errorMessage } from '../errors';
import { createLogger } from '../log';

const log = createLogger('alerts.notify');

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** What a desktop notification needs; Electron's Notification is adapted to it in index.ts. */
export type DesktopNotifier = (title: string, body: string) => void;

export interface Notice {
  targetId: string;
  targetName: string;
  /** Alerts that fired or resolved in this evaluation, for this target. */
  alerts: Alert[];
}

export interface NoticeText {
  title: string;
  text: string;
  severity: Severity;
}

function highest(alerts: readonly Alert[]): Severity {
  let best: Severity = 'info';
  for (const a of alerts) if (SEVERITY_RANK[a.severity] > SEVERITY_RANK[best]) best = a.severity;
  return best;
}

/** Title and body of a grouped notice, in plain words. */
export function describeNotice(n: Notice): NoticeText {
  const firing = n.alerts.filter((a) => a.state !== 'resolved');
  const resolved = n.alerts.filter((a) => a.state === 'resolved');
  const parts: string[] = [];
  if (firing.length) parts.push(`${firing.length} firing`);
  if (resolved.length) parts.push(`${resolved.length} resolved`);
  const title = `${n.targetName}: ${parts.join(', ')}`;
  const lines = n.alerts.map((a) => {
    const head = `${a.state === 'resolved' ? 'RESOLVED' : a.severity.toUpperCase()}: ${a.message}`;
    return a.state === 'resolved' || !a.action ? head : `${head}\n  What to do: ${a.action}`;
  });
  return { title, text: lines.join('\n'), severity: highest(firing.length ? firing : n.alerts) };
}

/**
 * What goes out through a channel: an alert notice, or another message that uses the same
 * channels (an incident's escalation, src/main/runbooks/notices.ts).
 */
export interface Message {
  title: string;
  text: string;
  severity: Severity;
  /** The webhook body when the channel has no template. */
  body: Record<string, unknown>;
  /** Values of a webhook template's {{...}} placeholders. */
  vars: Record<string, string>;
}

export function messageOfNotice(n: Notice): Message {
  const t = describeNotice(n);
  return {
    ...t,
    body: {
      source: 'opsdeck',
      target: n.targetName,
      targetId: n.targetId,
      title: t.title,
      text: t.text,
      severity: t.severity,
      alerts: n.alerts,
    },
    vars: {
      title: t.title,
      text: t.text,
      target: n.targetName,
      severity: t.severity,
      count: String(n.alerts.length),
    },
  };
}

/** Substitutes {{title}} {{text}} {{target}} {{severity}} {{count}} as JSON string content. */
export function renderWebhookBody(template: string | undefined, n: Notice): string {
  return renderMessageBody(template, messageOfNotice(n));
}

export function renderMessageBody(template: string | undefined, m: Message): string {
  if (!template) return JSON.stringify(m.body);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in m.vars ? JSON.stringify(m.vars[name]).slice(1, -1) : whole,
  );
}

export interface SendContext {
  /** The channel's secret in clear (SMTP password), when it has one. */
  secret: string | null;
  desktop: DesktopNotifier | null;
  timeoutMs: number;
}

/**
 * Incoming-webhook URLs often carry their token in the path (Slack, Teams): the stored secret
 * replaces `{{secret}}` in the URL, so the token is kept encrypted; without that placeholder
 * it is sent as a bearer token.
 */
export function webhookRequest(
  url: string,
  secret: string | null,
): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!secret) return { url, headers };
  const marker = /\{\{\s*secret\s*\}\}|%7B%7Bsecret%7D%7D/i;
  if (marker.test(url)) return { url: url.replace(marker, encodeURIComponent(secret)), headers };
  return { url, headers: { ...headers, authorization: `Bearer ${secret}` } };
}

async function sendWebhook(
  cfg: Extract<ChannelConfig, { kind: 'webhook' }>,
  m: Message,
  ctx: SendContext,
): Promise<void> {
  const req = webhookRequest(cfg.url, ctx.secret);
  const res = await fetch(req.url, {
    method: 'POST',
    headers: req.headers,
    body: renderMessageBody(cfg.template, m),
    signal: AbortSignal.timeout(ctx.timeoutMs),
    redirect: 'error',
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
}

async function sendEmail(
  cfg: Extract<ChannelConfig, { kind: 'email' }>,
  t: Message,
  ctx: SendContext,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    auth: cfg.user ? { user: cfg.user, pass: ctx.secret ?? '' } : undefined,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
  });
  try {
    await transport.sendMail({
      from: cfg.from,
      to: cfg.to,
      subject: `[Opsdeck ${t.severity}] ${t.title}`,
      text: t.text,
    });
  } finally {
    transport.close();
  }
}

export async function send(cfg: ChannelConfig, n: Notice, ctx: SendContext): Promise<void> {
  return sendMessage(cfg, messageOfNotice(n), ctx);
}

export async function sendMessage(cfg: ChannelConfig, m: Message, ctx: SendContext): Promise<void> {
  switch (cfg.kind) {
    case 'desktop': {
      if (!ctx.desktop)
        throw new Error(
          'this Opsdeck runs in browser mode: the browser tab shows desktop notifications',
        );
      ctx.desktop(m.title, m.text);
      return;
    }
    case 'webhook':
      return sendWebhook(cfg, m, ctx);
    case 'email':
      return sendEmail(cfg, m, ctx);
    default:
      return assertNever(cfg, 'channel kind');
  }
}

export interface NotifierDeps {
  channels(): NotificationChannel[];
  secret(channelId: string): string | null;
  record(d: Delivery): void;
  desktop: DesktopNotifier | null;
  now?: () => number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
  attempts?: number;
  timeoutMs?: number;
}

export class Notifier {
  private readonly inflight = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(private readonly deps: NotifierDeps) {}

  /** Queues one notice per channel that wants it; returns at once. */
  notify(n: Notice): void {
    if (n.alerts.length === 0) return;
    const sev = highest(n.alerts);
    for (const ch of this.deps.channels()) {
      if (!ch.enabled || SEVERITY_RANK[sev] < SEVERITY_RANK[ch.minSeverity]) continue;
      // Browser mode has no desktop notifier: the renderer shows Web Notifications from the
      // `alert` event instead, so there is nothing to deliver (or to record as failed).
      if (ch.config.kind === 'desktop' && !this.deps.desktop) continue;
      this.track(
        this.deliver(
          ch,
          messageOfNotice(n),
          n.alerts.map((a) => a.id),
          this.deps.record,
        ),
      );
    }
  }

  /** Sends one notice now and waits for the outcome (testChannel). */
  async deliverNow(ch: NotificationChannel, n: Notice): Promise<Delivery> {
    return this.deliver(
      ch,
      messageOfNotice(n),
      n.alerts.map((a) => a.id),
      this.deps.record,
      1,
    );
  }

  /**
   * Sends a message that is not an alert notice to one channel, retried like notices;
   * `record` sees every attempt. Resolves with the last attempt.
   */
  deliverMessage(
    ch: NotificationChannel,
    m: Message,
    record: (d: Delivery) => void,
  ): Promise<Delivery> {
    const p = this.deliver(ch, m, [], record);
    this.track(p);
    return p;
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  stop(): void {
    this.stopped = true;
    for (const [t, wake] of this.timers) {
      clearTimeout(t);
      wake();
    }
    this.timers.clear();
  }

  private track(p: Promise<unknown>): void {
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  private async deliver(
    ch: NotificationChannel,
    m: Message,
    alertIds: string[],
    record: (d: Delivery) => void,
    maxAttempts?: number,
  ): Promise<Delivery> {
    const now = this.deps.now ?? Date.now;
    const attempts = maxAttempts ?? this.deps.attempts ?? 5;
    const d: Delivery = {
      id: randomBytes(6).toString('hex'),
      channelId: ch.id,
      alertIds,
      t: now(),
      status: 'retrying',
      attempts: 0,
      error: null,
    };
    const ctx: SendContext = {
      secret: ch.hasSecret ? this.deps.secret(ch.id) : null,
      desktop: this.deps.desktop,
      timeoutMs: this.deps.timeoutMs ?? 10_000,
    };
    for (;;) {
      d.attempts++;
      try {
        await sendMessage(ch.config, m, ctx);
        d.status = 'sent';
        d.error = null;
        record({ ...d });
        return d;
      } catch (err) {
        d.error = `${ch.name}: ${errorMessage(err)}`;
        const last = d.attempts >= attempts || this.stopped;
        d.status = last ? 'failed' : 'retrying';
        record({ ...d });
        if (last) {
          log.warn('notification failed', {
            channel: ch.name,
            attempts: d.attempts,
            error: d.error,
          });
          return d;
        }
        await this.sleep((this.deps.backoffMs ?? 2000) * 2 ** (d.attempts - 1));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref?.();
      this.timers.set(t, resolve);
    });
  }
}

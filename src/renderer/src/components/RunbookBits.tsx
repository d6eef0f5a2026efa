// Small pieces of the runbook and incident pages: level, status and step badges (colour,
// shape and word), step bodies from markdown, the "not in this build" notice, saving an
// exported report and the area's tabs.
import type {
  HtmlExport,
  IncidentSeverity,
  IncidentStatus,
  RunStatus,
  StepStatus,
} from '../../../shared/runbooks';
import { assertNever } from '../../../shared/result';
import { ApiCallError } from '../client';
import { download } from '../export';
import { routeHash } from '../router';
import {
  INCIDENT_STATUS_WORD,
  LEVEL_WORD,
  RUN_STATUS_WORD,
  STEP_STATUS_WORD,
  inlineParts,
  markdownBlocks,
  safeFileName,
  type ListStatus,
} from '../runbooks';

/** The backend answers RunbooksUnavailable until the runbook feature is part of the build. */
export function runbooksUnavailable(err: unknown): string | null {
  return err instanceof ApiCallError && err.name === 'RunbooksUnavailable' ? err.message : null;
}

export function RunbooksUnavailableNotice({ message }: { message: string }): React.ReactElement {
  return (
    <div className="notice notice-info" role="status">
      <span className="notice-icon" aria-hidden="true">
        i
      </span>
      <span>
        {message} Runbooks, runs and incidents appear here once the runbook feature is part of the
        build.
      </span>
    </div>
  );
}

function levelGlyph(l: IncidentSeverity): string {
  switch (l) {
    case 'critical':
      return '✕';
    case 'high':
      return '!';
    case 'medium':
      return '•';
    case 'low':
      return 'i';
    default:
      return assertNever(l, 'level');
  }
}

export function LevelBadge({ level }: { level: IncidentSeverity }): React.ReactElement {
  return (
    <span className={`sev lvl-${level}`}>
      <span className="sev-icon" aria-hidden="true">
        {levelGlyph(level)}
      </span>
      {LEVEL_WORD[level]}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }): React.ReactElement {
  return <span className={`alert-state inc-${status}`}>{INCIDENT_STATUS_WORD[status]}</span>;
}

export function RunStatusBadge({ status }: { status: RunStatus }): React.ReactElement {
  return <span className={`alert-state run-${status}`}>{RUN_STATUS_WORD[status]}</span>;
}

function stepGlyph(s: ListStatus): string {
  switch (s) {
    case 'now':
      return '▶';
    case 'pending':
      return '○';
    case 'running':
      return '…';
    case 'done':
      return '✓';
    case 'failed':
      return '✕';
    case 'skipped':
      return '↷';
    case 'check-failed':
      return '✕';
    case 'warning':
      return '!';
    case 'not-taken':
      return '–';
    default:
      return assertNever(s, 'step status');
  }
}

const LIST_WORD: Record<Exclude<ListStatus, StepStatus>, string> = {
  now: 'now',
  'check-failed': 'check failed',
  warning: 'warning',
  'not-taken': 'not taken',
};

export function StepStatusBadge({ status }: { status: ListStatus }): React.ReactElement {
  return (
    <span className={`step-status step-${status}`}>
      <span aria-hidden="true">{stepGlyph(status)} </span>
      {status in LIST_WORD
        ? LIST_WORD[status as keyof typeof LIST_WORD]
        : STEP_STATUS_WORD[status as StepStatus]}
    </span>
  );
}

export function InlineText({ text }: { text: string }): React.ReactElement {
  return (
    <>
      {inlineParts(text).map((p, i) =>
        p.kind === 'code' ? (
          <code key={i}>{p.text}</code>
        ) : p.kind === 'strong' ? (
          <strong key={i}>{p.text}</strong>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** A step's markdown body as paragraphs, lists and code; never raw HTML. */
export function Markdown({ text }: { text: string }): React.ReactElement {
  return (
    <div className="md">
      {markdownBlocks(text).map((b, i) => {
        switch (b.kind) {
          case 'p':
            return (
              <p key={i}>
                <InlineText text={b.text} />
              </p>
            );
          case 'list':
            return (
              <ul key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>
                    <InlineText text={item} />
                  </li>
                ))}
              </ul>
            );
          case 'code':
            return (
              <pre key={i} className="cmd">
                {b.text}
              </pre>
            );
          default:
            return assertNever(b, 'block');
        }
      })}
    </div>
  );
}

/** Saves an exported report through a Blob and a download link. */
export function saveHtml(exp: HtmlExport, fallback: string): string {
  const name = safeFileName(exp.fileName, fallback);
  download(new Blob([exp.html], { type: 'text/html;charset=utf-8' }), name);
  return name;
}

export type RunbooksView = 'incidents' | 'runbooks' | 'audit';

const TABS: [RunbooksView, string, string][] = [
  ['incidents', 'Incidents', '#/incidents'],
  ['runbooks', 'Runbooks', '#/runbooks'],
  ['audit', 'Audit log', routeHash({ page: 'audit' })],
];

export function RunbookTabs({ view }: { view: RunbooksView }): React.ReactElement {
  return (
    <nav className="tabs" aria-label="Incidents and runbooks">
      {TABS.map(([v, label, href]) => (
        <a key={v} className="tab" href={href} aria-current={v === view ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

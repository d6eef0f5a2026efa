// Pure helpers of the handover page: where a fact links to, the one-line summary of a
// handover, and the words for its status.
import type {
  FactRef,
  Handover,
  HandoverStatus,
  HandoverSummary,
  SectionId,
} from '../../shared/handover';
import { assertNever } from '../../shared/result';
import { routeHash } from './router';

/** The page a fact points at. */
export function factHref(ref: FactRef): string {
  switch (ref.page) {
    case 'incident':
      return routeHash({ page: 'incident', id: ref.id });
    case 'alerts':
      return routeHash({ page: 'alerts', view: 'list' });
    case 'run':
      return routeHash({ page: 'run', id: ref.id });
    case 'target':
      return routeHash({ page: 'target', id: ref.id, range: null, tab: ref.tab });
    case 'checklist':
      return routeHash({ page: 'checklist-run', id: ref.id });
    default:
      return assertNever(ref, 'fact link');
  }
}

export function statusWord(s: HandoverStatus): string {
  switch (s) {
    case 'draft':
      return 'Draft';
    case 'handed-over':
      return 'Handed over, not acknowledged';
    case 'acknowledged':
      return 'Acknowledged';
    default:
      return assertNever(s, 'handover status');
  }
}

const SHORT: Record<SectionId, [string, string]> = {
  incidents: ['open incident', 'open incidents'],
  firing: ['firing alert', 'firing alerts'],
  resolved: ['resolved alert', 'resolved alerts'],
  runs: ['run in progress', 'runs in progress'],
  checklists: ['failed checklist item', 'failed checklist items'],
  maintenance: ['maintenance due', 'maintenance due'],
  backups: ['backup problem', 'backup problems'],
};

/** "2 open incidents · 1 firing alert": the sections that hold something, in order. */
export function countsLine(counts: Partial<Record<SectionId, number>>): string {
  const parts: string[] = [];
  for (const [id, n] of Object.entries(counts) as [SectionId, number][]) {
    if (!n) continue;
    const [one, many] = SHORT[id];
    parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.length ? parts.join(' · ') : 'nothing open';
}

export function countsOf(h: Handover): Partial<Record<SectionId, number>> {
  const out: Partial<Record<SectionId, number>> = {};
  for (const s of h.facts.sections) out[s.id] = s.facts.length;
  return out;
}

/** Who gave it to whom, in a few words. */
export function partiesLine(h: Handover | HandoverSummary): string {
  return h.incoming ? `${h.outgoing} → ${h.incoming}` : `from ${h.outgoing}`;
}

// Words and grouping for the checklist pages (pure: tested without a browser).
import type {
  ChecklistPeriod,
  ChecklistRun,
  FindingOutcome,
  ItemOutcome,
  ItemResult,
  RunOutcome,
  Tick,
} from '../../shared/checklists';

export const OUTCOME_WORD: Record<ItemOutcome | RunOutcome, string> = {
  pass: 'pass',
  fail: 'fail',
  warning: 'warning',
  stale: 'stale',
  skipped: 'not applicable',
  open: 'to do',
};

/** Shape beside the colour, so the badge reads without colour too. */
export const OUTCOME_GLYPH: Record<ItemOutcome | FindingOutcome, string> = {
  pass: '✓',
  fail: '✕',
  warning: '!',
  stale: '?',
  skipped: '–',
  open: '○',
};

export const PERIOD_WORD: Record<ChecklistPeriod, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

export const TICK_WORD: Record<Tick, string> = {
  done: 'Done',
  'not-done': 'Not done',
  'not-applicable': 'Not applicable',
};

/** Items grouped by heading, in the order the file gives them. */
export function groupItems(items: readonly ItemResult[]): [string, ItemResult[]][] {
  const groups = new Map<string, ItemResult[]>();
  for (const i of items) {
    const list = groups.get(i.group) ?? [];
    list.push(i);
    groups.set(i.group, list);
  }
  return [...groups.entries()];
}

/** "3 pass · 1 fail · 2 stale · 1 to do": the counts that are not zero, worst first. */
export function countsText(run: Pick<ChecklistRun, 'counts'>): string {
  const order: ItemOutcome[] = ['fail', 'stale', 'warning', 'open', 'pass', 'skipped'];
  return order
    .filter((o) => run.counts[o] > 0)
    .map((o) => `${run.counts[o]} ${OUTCOME_WORD[o]}`)
    .join(' · ');
}

/** The next manual item still to tick after `itemId` (wrapping), or null. */
export function nextOpenManual(items: readonly ItemResult[], itemId: string): string | null {
  const at = items.findIndex((i) => i.itemId === itemId);
  for (let k = 1; k <= items.length; k++) {
    const i = items[(at + k) % items.length];
    if (i.kind === 'manual' && i.outcome === 'open' && i.itemId !== itemId) return i.itemId;
  }
  return null;
}

// A handover as CSV, the same way reports export theirs: one row per fact, task and note,
// text quoted and made formula-safe by the reports' cell writer. Pure.
import type { Handover } from '../../shared/handover';
import { csvRow, type Cell } from '../reports/csv';

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

export function handoverCsv(h: Handover): string {
  const rows: Cell[][] = [
    ['section', 'level', 'title', 'target', 'when', 'detail'],
    ['handover', h.status, `from ${h.outgoing}`, null, iso(h.handedAt ?? h.createdAt), null],
  ];
  if (h.incoming) rows.push(['acknowledged', null, h.incoming, null, iso(h.ackAt), h.ackNote]);
  if (h.notes.trim()) rows.push(['notes', null, null, null, null, h.notes]);
  for (const t of h.tasks) rows.push(['task', t.done ? 'done' : 'open', t.text, null, null, null]);
  for (const s of h.facts.sections) {
    for (const f of s.facts) {
      rows.push([s.title, f.level, f.title, f.targetName, iso(f.at), f.detail]);
    }
  }
  return rows.map(csvRow).join('\r\n') + '\r\n';
}

// Shift handover: a draft composed from the local data (incidents, alerts, runs, checklists,
// maintenance, backups) plus the outgoing operator's notes and tasks, handed over and then
// acknowledged by the incoming operator. No node imports here: the renderer compiles this.
import { z } from 'zod';
import { id, method, none } from './contract-kit';
import { lineText, proseText } from './text';
import { EXPORT_FORMATS, type FileExport } from './export';

export const HANDOVER_STATUSES = ['draft', 'handed-over', 'acknowledged'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/** Default length of a shift: "recently" for alerts, "next shift" for maintenance. */
export const DEFAULT_SHIFT_HOURS = 12;

/** What a fact points at; the renderer turns it into a link. */
export type FactRef =
  | { page: 'incident'; id: string }
  | { page: 'alerts'; targetId: string }
  | { page: 'run'; id: string }
  | { page: 'target'; id: string; tab: string | null }
  | { page: 'checklist'; id: string };

export type FactLevel = 'critical' | 'warning' | 'info';

/** One line of a section: what, where, since when, and where to look. */
export interface HandoverFact {
  /** Stable within its section (incident id, alert id, run id, schedule id …). */
  key: string;
  level: FactLevel;
  title: string;
  /** Plain words: state, by whom, what is next. */
  detail: string;
  targetName: string | null;
  /** The time the fact is about (opened, fired, resolved, started, due), or null. */
  at: number | null;
  ref: FactRef;
}

export const SECTION_IDS = [
  'incidents',
  'firing',
  'resolved',
  'runs',
  'checklists',
  'maintenance',
  'backups',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface HandoverSection {
  id: SectionId;
  title: string;
  /** Shown when the section has no facts. */
  empty: string;
  facts: HandoverFact[];
}

/** The composed part: a snapshot of the data at compose (or hand-over) time. */
export interface HandoverFacts {
  composedAt: number;
  shiftHours: number;
  /** Start of the shift looked back on (composedAt − shift). */
  from: number;
  /** End of the next shift looked ahead to (composedAt + shift). */
  until: number;
  sections: HandoverSection[];
}

export interface HandoverTask {
  text: string;
  done: boolean;
}

export interface Handover {
  id: string;
  status: HandoverStatus;
  createdAt: number;
  updatedAt: number;
  /** Outgoing operator (the OS user unless edited). */
  outgoing: string;
  notes: string;
  tasks: HandoverTask[];
  facts: HandoverFacts;
  handedAt: number | null;
  incoming: string | null;
  ackAt: number | null;
  ackNote: string;
}

export interface HandoverSummary {
  id: string;
  status: HandoverStatus;
  createdAt: number;
  handedAt: number | null;
  ackAt: number | null;
  outgoing: string;
  incoming: string | null;
  /** Fact count per section. */
  counts: Partial<Record<SectionId, number>>;
  /** Start of the notes, for the history list. */
  excerpt: string;
}

/** What the page opens with: the draft being written and the newest handover waiting. */
export interface HandoverCurrent {
  draft: Handover | null;
  /** Handed over, not acknowledged yet (the newest one). */
  waiting: Handover | null;
  /** The name a new draft would carry. */
  operator: string;
}

// ---------------------------------------------------------------------------------------
// The contract's slice (spread into `contract` in api.ts)

const personName = lineText(100).refine((s) => s.trim().length > 0, 'a name must not be blank');
const shiftHours = z.number().int().min(1).max(72);
export const taskSchema = z
  .object({ text: proseText(2000).min(1), done: z.boolean().default(false) })
  .strict();

export const handoverMethods = {
  /** The draft being written and the newest handover waiting for acknowledgement. */
  handoverCurrent: method<HandoverCurrent>()(none),
  /** Composes a new draft, or recomposes the facts of draft `id` (refresh). */
  handoverCompose: method<Handover>()(
    z.object({ id: id.optional(), shiftHours: shiftHours.optional() }).strict(),
  ),
  /** Edits a draft's operator name, notes and tasks; refused once handed over. */
  handoverSave: method<Handover>()(
    z
      .object({
        id,
        outgoing: personName.optional(),
        notes: proseText(50_000).optional(),
        tasks: z.array(taskSchema).max(200).optional(),
      })
      .strict(),
  ),
  /** Recomposes the facts one last time and freezes them: the handover is given. */
  handoverHandOver: method<Handover>()(z.object({ id }).strict()),
  /** The incoming operator takes the shift: name and time; read-only from then on. */
  handoverAck: method<Handover>()(
    z.object({ id, by: personName, note: proseText(2000).default('') }).strict(),
  ),
  handoverGet: method<Handover>()(z.object({ id }).strict()),
  /** Newest first; `query` searches notes, tasks, names and facts. */
  handoverList: method<HandoverSummary[]>()(
    z
      .object({
        query: z.string().max(200).default(''),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  handoverExport: method<FileExport>()(
    z.object({ id, format: z.enum(EXPORT_FORMATS).default('html') }).strict(),
  ),
};

export type HandoverMethodName = keyof typeof handoverMethods;

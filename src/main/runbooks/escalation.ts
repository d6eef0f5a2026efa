// The escalation clock, pure: which level holds an incident and when the next one is due.
// Each level has its time frame to acknowledge; when it passes unacknowledged the next
// level becomes due. Acknowledgement stops the clock; the last level has no successor.
import type { EscalationMatrix, EscalationState } from '../../shared/runbooks';

/** Placeholder contacts only: the operator enters real ones in settings. */
export const DEFAULT_MATRIX: EscalationMatrix = {
  levels: [
    {
      id: 'on-call',
      name: 'On-call engineer',
      withinMinutes: 15,
      contacts: [
        {
          name: 'On-call engineer (placeholder)',
          role: 'First responder',
          phone: '+00 000 000 000',
          email: 'oncall@example.invalid',
          hours: '24/7',
        },
      ],
    },
    {
      id: 'team-lead',
      name: 'Team lead',
      withinMinutes: 30,
      contacts: [
        {
          name: 'Team lead (placeholder)',
          role: 'Operations lead',
          phone: '+00 000 000 001',
          email: 'lead@example.invalid',
          hours: 'Mon-Fri 08-18, else by phone',
        },
      ],
    },
    {
      id: 'security',
      name: 'Security officer',
      withinMinutes: 30,
      contacts: [
        {
          name: 'Security officer (placeholder)',
          role: 'Security',
          phone: '+00 000 000 002',
          email: 'security@example.invalid',
          hours: '24/7',
        },
      ],
    },
    {
      id: 'management',
      name: 'Management',
      withinMinutes: 60,
      contacts: [
        {
          name: 'Head of operations (placeholder)',
          role: 'Management',
          phone: '+00 000 000 003',
          email: 'head-ops@example.invalid',
          hours: 'by phone',
        },
      ],
    },
  ],
};

const MINUTE = 60_000;

function dueAfter(matrix: EscalationMatrix, level: number, since: number): number | null {
  if (level >= matrix.levels.length - 1) return null;
  return since + matrix.levels[level].withinMinutes * MINUTE;
}

export function startEscalation(matrix: EscalationMatrix, openedAt: number): EscalationState {
  return { level: 0, since: openedAt, nextDueAt: dueAfter(matrix, 0, openedAt) };
}

/** Moves the clock to `now`: each passed time frame makes the next level due, in order. */
export function advanceEscalation(
  matrix: EscalationMatrix,
  state: EscalationState,
  now: number,
): { state: EscalationState; reached: number[] } {
  const reached: number[] = [];
  let s = state;
  while (s.nextDueAt !== null && s.nextDueAt <= now) {
    const level = Math.min(s.level + 1, matrix.levels.length - 1);
    s = { level, since: s.nextDueAt, nextDueAt: dueAfter(matrix, level, s.nextDueAt) };
    reached.push(level);
  }
  return { state: s, reached };
}

/** Jumps to a named level (an escalate step), never down; the clock restarts there. */
export function escalateTo(
  matrix: EscalationMatrix,
  state: EscalationState,
  levelId: string,
  now: number,
  acked: boolean,
): EscalationState | null {
  const level = matrix.levels.findIndex((l) => l.id === levelId);
  if (level < 0) return null;
  const to = Math.max(level, state.level);
  return { level: to, since: now, nextDueAt: acked ? null : dueAfter(matrix, to, now) };
}

export function stopClock(state: EscalationState): EscalationState {
  return { ...state, nextDueAt: null };
}

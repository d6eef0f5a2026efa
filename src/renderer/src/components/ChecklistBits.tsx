// Outcome badges of checklist items and runs: colour, shape and word.
import type { FindingOutcome, ItemOutcome, RunOutcome } from '../../../shared/checklists';
import { OUTCOME_GLYPH, OUTCOME_WORD } from '../checklists';

export function OutcomeBadge({
  outcome,
  small,
}: {
  outcome: ItemOutcome | RunOutcome | FindingOutcome;
  small?: boolean;
}): React.ReactElement {
  return (
    <span className={`cl-badge cl-${outcome}${small ? ' cl-small' : ''}`}>
      <span aria-hidden="true" className="cl-glyph">
        {OUTCOME_GLYPH[outcome]}
      </span>
      {OUTCOME_WORD[outcome]}
    </span>
  );
}

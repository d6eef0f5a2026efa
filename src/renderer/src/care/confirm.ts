// When a change may be confirmed. Pure: the confirmation dialog asks this on every keystroke.

export interface ConfirmNeeds {
  /** The target's name, typed back for ACCESS EXCLUSIVE work. */
  targetName: string;
  typeName: boolean;
  /** Problems of the plan that stop the change unless overridden. */
  blockers: string[];
}

export interface ConfirmInput {
  typed: string;
  override: boolean;
}

/** Null when the change may go ahead; otherwise what is still missing, in words. */
export function confirmMissing(needs: ConfirmNeeds, input: ConfirmInput): string | null {
  if (needs.blockers.length > 0 && !input.override)
    return 'The plan has a blocking problem: tick the override to run it anyway.';
  if (needs.typeName && input.typed.trim() !== needs.targetName)
    return `Type the target's name, ${needs.targetName}, to confirm.`;
  return null;
}

// Health shown with a colour, a shape and a word: never colour alone.
import { assertNever } from '../../../shared/result';
import type { TargetHealth } from '../../../shared/types';
import { HEALTH_WORD } from '../figures';

function glyph(health: TargetHealth): string {
  switch (health) {
    case 'ok':
      return '✓';
    case 'degraded':
      return '!';
    case 'unreachable':
      return '✕';
    case 'pending':
      return '…';
    case 'disabled':
      return '–';
    default:
      return assertNever(health, 'health');
  }
}

export function HealthBadge({
  health,
  compact = false,
}: {
  health: TargetHealth;
  compact?: boolean;
}): React.ReactElement {
  return (
    <span
      className={`health health-${health}${compact ? ' compact' : ''}`}
      title={HEALTH_WORD[health]}
    >
      <span className="health-icon" aria-hidden="true">
        {glyph(health)}
      </span>
      {compact ? (
        <span className="sr-only">{HEALTH_WORD[health]}</span>
      ) : (
        <span>{HEALTH_WORD[health]}</span>
      )}
    </span>
  );
}

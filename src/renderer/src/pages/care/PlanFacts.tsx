// The plan of a maintenance run as the confirmation dialog shows it: checks with their
// verdict in words, the disk a rewrite needs against what is free, and when the plan expires.
import type { MaintenancePlan, PlanCheckStatus } from '../../../../shared/care';
import { assertNever } from '../../../../shared/result';
import { ToneWord, type Tone } from '../../components/CareBits';
import { formatBytes, formatClock } from '../../format';

function checkTone(s: PlanCheckStatus): [Tone, string] {
  switch (s) {
    case 'ok':
      return ['ok', 'ok'];
    case 'warning':
      return ['warn', 'warning'];
    case 'blocking':
      return ['bad', 'blocking'];
    case 'unknown':
      return ['unknown', 'unknown'];
    default:
      return assertNever(s, 'plan check status');
  }
}

export function PlanFacts({ plan }: { plan: MaintenancePlan }): React.ReactElement {
  // The backend's disk check says the same in its own words when it has one.
  const ownDisk = plan.rewriteBytes !== null && !plan.checks.some((c) => c.name === 'disk');
  return (
    <section aria-label="Plan">
      <p className="label">Plan</p>
      <ul className="plan-checks">
        {plan.rewriteBytes !== null && !ownDisk && (
          <li>
            Rewrites {formatBytes(plan.rewriteBytes)}
            {plan.freeDiskBytes !== null && `; ${formatBytes(plan.freeDiskBytes)} free on the host`}
          </li>
        )}
        {plan.rewriteBytes !== null && ownDisk && (
          <li>
            <ToneWord
              tone={
                plan.freeDiskBytes === null
                  ? 'unknown'
                  : plan.freeDiskBytes > plan.rewriteBytes * 1.2
                    ? 'ok'
                    : 'bad'
              }
            >
              disk
            </ToneWord>{' '}
            rewrites {formatBytes(plan.rewriteBytes)}; free on the host{' '}
            {plan.freeDiskBytes === null ? 'unknown' : formatBytes(plan.freeDiskBytes)}
          </li>
        )}
        {plan.checks.map((c) => {
          const [tone, word] = checkTone(c.status);
          return (
            <li key={c.name}>
              <ToneWord tone={tone}>{word}</ToneWord> {c.message}
            </li>
          );
        })}
      </ul>
      <p className="muted small">Plan valid until {formatClock(plan.expiresAt)}.</p>
    </section>
  );
}

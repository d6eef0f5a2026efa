// RPO and RTO of one database target on the fleet: green or red with the words that say why.
import type { ObjectiveStatus } from '../../../shared/care';
import { rpoWords, rtoWords, verdictOf } from '../care/logic';
import '../care.css';
import { ToneWord } from './CareBits';

/** True once there is something to judge: objectives set or a verified backup. */
export function objectiveShown(o: ObjectiveStatus | undefined): o is ObjectiveStatus {
  return o !== undefined && (o.rpoHours !== null || o.newestVerifiedAt !== null);
}

export function ObjectiveBadges({ objective }: { objective: ObjectiveStatus }): React.ReactElement {
  const rpo = rpoWords(objective);
  const rto = rtoWords(objective);
  return (
    <div className="objective-badges" aria-label={`Recovery objectives of ${objective.targetName}`}>
      <span title={rpo.text}>
        <ToneWord tone={rpo.tone}>{verdictOf(rpo)}</ToneWord>
      </span>{' '}
      <span title={rto.text}>
        <ToneWord tone={rto.tone}>{verdictOf(rto)}</ToneWord>
      </span>
      <span className="sr-only">
        {rpo.text}. {rto.text}.
      </span>
    </div>
  );
}

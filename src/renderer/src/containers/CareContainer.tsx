// The non-overview tabs of a database target: PostgreSQL or Redis care.
import type { Target, TargetStatus } from '../../../shared/types';
import '../care.css';
import { DownLine, TargetDownContext } from '../components/DownLine';
import { useNow } from '../hooks';
import { downSince } from '../offline';
import { PgCareContainer } from './PgCareContainer';
import { RedisCareContainer } from './RedisCareContainer';

export function CareContainer(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement | null {
  const now = useNow(15_000);
  // A target that does not answer is said once here; the tabs below show their last answers.
  return (
    <TargetDownContext.Provider value={downSince(props.status)}>
      <DownLine
        status={props.status}
        now={now}
        name={props.target.name}
        meanwhile="Live readings show their last answer; stored runs and backups read as usual."
      />
      <CareTabs {...props} />
    </TargetDownContext.Provider>
  );
}

function CareTabs(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement | null {
  switch (props.target.config.kind) {
    case 'postgres':
      return <PgCareContainer {...props} />;
    case 'redis':
      return <RedisCareContainer {...props} />;
    default:
      return null;
  }
}

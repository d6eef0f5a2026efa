// The non-overview tabs of a database target: PostgreSQL or Redis care.
import type { Target, TargetStatus } from '../../../shared/types';
import '../care.css';
import { PgCareContainer } from './PgCareContainer';
import { RedisCareContainer } from './RedisCareContainer';

export function CareContainer(props: {
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

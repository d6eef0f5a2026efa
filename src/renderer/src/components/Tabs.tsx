// A row of tabs as links (each tab has its own address), current one marked for screen readers.
import type { CareTab } from '../care/tabs';

export function Tabs(props: {
  label: string;
  tabs: CareTab[];
  current: string;
  hrefOf: (id: string) => string;
}): React.ReactElement {
  return (
    <nav className="tabs care-tabs" aria-label={props.label}>
      {props.tabs.map((t) => (
        <a
          key={t.id}
          className="tab"
          href={props.hrefOf(t.id)}
          aria-current={t.id === props.current ? 'page' : undefined}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}

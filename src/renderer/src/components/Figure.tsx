// One figure: label, formatted value and, past a threshold, a coloured word.
import type { KeyFigure } from '../figures';
import { toneWord } from '../figures';
import { formatValue } from '../format';

export function Figure({ figure }: { figure: KeyFigure }): React.ReactElement {
  const tone = figure.tone;
  return (
    <div className={`figure${tone ? ` tone-${tone}` : ''}`}>
      <div className="figure-label">{figure.label}</div>
      <div className="figure-value">
        {formatValue(figure.value, figure.unit)}
        {tone && <span className="tone-word">{toneWord(tone)}</span>}
      </div>
      {figure.detail && <div className="figure-detail">{figure.detail}</div>}
    </div>
  );
}

/** A plain fact tile for snapshot values and live figures. */
export function Tile(props: {
  label: string;
  value: string;
  tone?: 'warn' | 'bad' | null;
  detail?: string;
}): React.ReactElement {
  return (
    <div className={`figure${props.tone ? ` tone-${props.tone}` : ''}`}>
      <div className="figure-label">{props.label}</div>
      <div className="figure-value">
        {props.value}
        {props.tone && <span className="tone-word">{toneWord(props.tone)}</span>}
      </div>
      {props.detail && <div className="figure-detail">{props.detail}</div>}
    </div>
  );
}

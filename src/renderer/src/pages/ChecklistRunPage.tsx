// One checklist run: items grouped under their headings, each with its outcome (colour,
// shape and word), what was found on which target, and what to do. Manual items are ticked
// with buttons or from the keyboard (Enter: done, N: not done, A: not applicable) and take a
// note. An open run can be left and resumed; finishing it records who and when.
import { useEffect, useRef, useState } from 'react';
import type { ChecklistRun, ItemResult, Tick } from '../../../shared/checklists';
import { OutcomeBadge } from '../components/ChecklistBits';
import { countsText, groupItems, nextOpenManual, PERIOD_WORD, TICK_WORD } from '../checklists';
import { formatAgo, formatWhen } from '../format';
import { routeHash } from '../router';

export interface ChecklistRunPageProps {
  run: ChecklistRun | undefined;
  error: string | null;
  busy: boolean;
  now: number;
  onTick: (itemId: string, tick: Tick | null) => void;
  onNote: (itemId: string, note: string) => void;
  onRecheck: () => void;
  onFinish: (note: string) => void;
}

const KEY_TICK: Record<string, Tick> = { Enter: 'done', n: 'not-done', a: 'not-applicable' };

export function ChecklistRunPage(props: ChecklistRunPageProps): React.ReactElement {
  const { run } = props;
  const [focusId, setFocusId] = useState<string | null>(null);
  const refs = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    if (focusId) refs.current.get(focusId)?.focus();
  }, [focusId]);

  if (!run) {
    return (
      <section className="page">
        <p>
          <a href={routeHash({ page: 'checklists' })}>← Checklists</a>
        </p>
        {props.error ? (
          <p className="error" role="alert">
            {props.error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }
  const open = run.status === 'open';

  function tick(item: ItemResult, t: Tick | null): void {
    props.onTick(item.itemId, t);
    if (t !== null && run) setFocusId(nextOpenManual(run.items, item.itemId));
  }

  function onKey(e: React.KeyboardEvent, item: ItemResult): void {
    if (e.target !== e.currentTarget || !open || item.kind !== 'manual') return;
    const t = KEY_TICK[e.key];
    if (!t || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    tick(item, t);
  }

  return (
    <section className="page checklist-run">
      <p>
        <a href={routeHash({ page: 'checklists' })}>← Checklists</a>
      </p>
      <header className="page-head">
        <h1>
          {run.title} <OutcomeBadge outcome={run.outcome} />
        </h1>
        <div className="toolbar">
          {open && (
            <button type="button" onClick={props.onRecheck} disabled={props.busy}>
              Check automatic items again
            </button>
          )}
        </div>
      </header>
      <p className="cl-run-meta">
        {PERIOD_WORD[run.period]} · started {formatWhen(run.startedAt, props.now)} by{' '}
        {run.startedBy} ·{' '}
        {open
          ? 'open: leave it and come back, ticks are saved'
          : `finished ${run.finishedAt ? formatWhen(run.finishedAt, props.now) : ''} by ${run.finishedBy ?? ''}`}
      </p>
      <p className="cl-counts" aria-live="polite">
        {countsText(run)}
      </p>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {open && (
        <p className="muted cl-keys">
          Keyboard: on a manual item, <kbd>Enter</kbd> done, <kbd>N</kbd> not done, <kbd>A</kbd> not
          applicable; <kbd>Tab</kbd> to the next.
        </p>
      )}
      {groupItems(run.items).map(([group, items]) => (
        <section key={group} className="cl-group" aria-label={group}>
          <h2>{group}</h2>
          <ul className="cl-items">
            {items.map((item) => (
              <li
                key={item.itemId}
                ref={(el) => {
                  if (el) refs.current.set(item.itemId, el);
                  else refs.current.delete(item.itemId);
                }}
                className={`cl-item cl-edge-${item.outcome}`}
                tabIndex={item.kind === 'manual' && open ? 0 : undefined}
                aria-label={`${item.title}: ${item.outcome}`}
                onKeyDown={(e) => onKey(e, item)}
              >
                <Item
                  item={item}
                  open={open}
                  now={props.now}
                  busy={props.busy}
                  onTick={(t) => tick(item, t)}
                  onNote={(n) => props.onNote(item.itemId, n)}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {open ? (
        <FinishForm busy={props.busy} openItems={run.counts.open} onFinish={props.onFinish} />
      ) : (
        run.note && (
          <section className="panel">
            <h2>Closing note</h2>
            <p className="cl-note-text">{run.note}</p>
          </section>
        )
      )}
    </section>
  );
}

function Item(props: {
  item: ItemResult;
  open: boolean;
  now: number;
  busy: boolean;
  onTick: (t: Tick | null) => void;
  onNote: (note: string) => void;
}): React.ReactElement {
  const { item } = props;
  const manual = item.kind === 'manual';
  return (
    <>
      <div className="cl-item-head">
        <OutcomeBadge outcome={item.outcome} />
        <span className="cl-item-title">{item.title}</span>
        <span className="cl-kind muted">{manual ? 'manual' : 'automatic'}</span>
      </div>
      {item.findings.length <= 1 && <p className="cl-summary">{item.summary}</p>}
      {item.findings.length > 1 && (
        <ul className="cl-findings">
          {item.findings.map((f, i) => (
            <li key={i}>
              <OutcomeBadge outcome={f.outcome} small />{' '}
              {f.targetName && <strong>{f.targetName}</strong>} {f.text}
            </li>
          ))}
        </ul>
      )}
      {item.action && (
        <p className="cl-action">
          <strong>What to do:</strong> {item.action}
        </p>
      )}
      {!manual && item.evaluatedAt !== null && (
        <p className="muted cl-when">
          Checked {formatAgo(item.evaluatedAt, props.now)}
          {item.dataAt !== null
            ? `; oldest data used from ${formatAgo(item.dataAt, props.now)}`
            : ''}
        </p>
      )}
      {manual && props.open && (
        <div className="cl-ticks" role="group" aria-label={`Tick ${item.title}`}>
          {(['done', 'not-done', 'not-applicable'] as Tick[]).map((t) => (
            <button
              key={t}
              type="button"
              aria-pressed={item.tick === t}
              disabled={props.busy}
              onClick={() => props.onTick(item.tick === t ? null : t)}
            >
              {TICK_WORD[t]}
            </button>
          ))}
        </div>
      )}
      <NoteField item={item} open={props.open} onNote={props.onNote} />
    </>
  );
}

function NoteField(props: {
  item: ItemResult;
  open: boolean;
  onNote: (note: string) => void;
}): React.ReactElement | null {
  const [text, setText] = useState(props.item.note);
  useEffect(() => setText(props.item.note), [props.item.note]);
  if (!props.open) {
    return props.item.note ? <p className="cl-note-text">Note: {props.item.note}</p> : null;
  }
  return (
    <label className="cl-note">
      <span>Note</span>
      <input
        type="text"
        value={text}
        maxLength={4000}
        placeholder="optional: what you saw, who you asked"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text !== props.item.note) props.onNote(text);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (text !== props.item.note) props.onNote(text);
          }
        }}
      />
    </label>
  );
}

function FinishForm(props: {
  busy: boolean;
  openItems: number;
  onFinish: (note: string) => void;
}): React.ReactElement {
  const [note, setNote] = useState('');
  return (
    <form
      className="panel cl-finish"
      aria-label="Finish the run"
      onSubmit={(e) => {
        e.preventDefault();
        props.onFinish(note);
      }}
    >
      <h2>Finish</h2>
      {props.openItems > 0 && (
        <p className="cl-warn-text">
          {props.openItems} manual item{props.openItems === 1 ? '' : 's'} not ticked yet: they stay
          "to do" in the record.
        </p>
      )}
      <label className="cl-note">
        <span>Closing note</span>
        <input
          type="text"
          value={note}
          maxLength={4000}
          placeholder="optional: what was fixed, what was handed on"
          onChange={(e) => setNote(e.target.value)}
        />
      </label>{' '}
      <button type="submit" className="primary" disabled={props.busy}>
        Finish run
      </button>
    </form>
  );
}

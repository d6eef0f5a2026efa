// Page shortcuts: single keys when no text field has focus.
import { useEffect, useRef } from 'react';
import { navigate, type Route } from '../router';
import { Dialog } from './Dialog';

export const SHORTCUTS: [string, string][] = [
  ['F', 'Fleet overview'],
  ['A', 'Alerts'],
  ['I', 'Incidents'],
  ['R', 'Runbooks'],
  ['T', 'Targets'],
  ['S', 'Settings'],
  ['/', 'Filter the fleet'],
  ['1 … 6', 'Chart range 15 min … 30 d (target page)'],
  ['L', 'Live on/off (target page)'],
  ['Enter', 'Run or tick the current step (run page)'],
  ['N', 'Add a note (run page)'],
  ['?', 'This list'],
  ['Esc', 'Close a dialog'],
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function useShortcuts({ route, onHelp }: { route: Route; onHelp: () => void }): void {
  const ref = useRef({ route, onHelp });
  ref.current = { route, onHelp };
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const action = actionFor(e.key, ref.current.route);
      if (action === 'help') ref.current.onHelp();
      else if (action) navigate(action);
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function actionFor(key: string, route: Route): Route | 'help' | null {
  switch (key.toLowerCase()) {
    case 'f':
      return { page: 'fleet' };
    case 'a':
      return { page: 'alerts', view: 'list' };
    case 't':
      return { page: 'targets', edit: null };
    case 'i':
      return { page: 'incidents' };
    case 'r':
      return { page: 'runbooks' };
    case 's':
      return { page: 'settings' };
    case '?':
      return 'help';
    default:
      void route;
      return null;
  }
}

export function ShortcutsDialog({ onClose }: { onClose: () => void }): React.ReactElement {
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={onClose}
      onSubmit={onClose}
      actions={
        <button type="submit" className="primary" data-autofocus>
          Close
        </button>
      }
    >
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

/** Keys a page handles itself (same guards as the global ones). */
export function usePageKeys(keys: Record<string, () => void>): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const fn = ref.current[e.key.toLowerCase()];
      if (!fn) return;
      e.preventDefault();
      fn();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

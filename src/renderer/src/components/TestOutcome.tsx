// The answer of a connection test, in plain words, with the host key button if one came.
import type { HostKeyPrompt, TestResult } from '../../../shared/types';
import { formatMs } from '../format';

export interface TestState {
  busy: boolean;
  result: TestResult | null;
  error: string | null;
}

export function TestOutcome({
  test,
  onReview,
}: {
  test: TestState;
  onReview: (p: HostKeyPrompt) => void;
}): React.ReactElement | null {
  if (test.error) {
    return (
      <p className="notice notice-bad" role="alert">
        <span className="notice-icon" aria-hidden="true">
          ✕
        </span>
        <span>Test could not run: {test.error}</span>
      </p>
    );
  }
  const r = test.result;
  if (!r) return null;
  // A new key waiting for the operator is a question, not a failure; a changed key is.
  const askingForKey = !r.ok && r.hostKey !== null && r.hostKey.knownFingerprint === null;
  const tone = r.ok ? 'notice-ok' : askingForKey ? 'notice-warn' : 'notice-bad';
  const headline = r.ok
    ? 'Connection works'
    : askingForKey
      ? 'Host key waiting for your decision'
      : 'Connection failed';
  return (
    <div className={`notice ${tone}`} role="status">
      <span className="notice-icon" aria-hidden="true">
        {r.ok ? '✓' : askingForKey ? '?' : '✕'}
      </span>
      <span>
        <strong>{headline}</strong> ({formatMs(r.durationMs)}): {r.message}
      </span>
      {r.hostKey && (
        <button type="button" onClick={() => onReview(r.hostKey!)}>
          {r.hostKey.knownFingerprint ? 'Details' : 'Review key'}
        </button>
      )}
    </div>
  );
}

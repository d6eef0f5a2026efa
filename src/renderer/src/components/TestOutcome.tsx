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
  return (
    <div className={r.ok ? 'notice notice-ok' : 'notice notice-bad'} role="status">
      <span className="notice-icon" aria-hidden="true">
        {r.ok ? '✓' : '✕'}
      </span>
      <span>
        <strong>{r.ok ? 'Connection works' : 'Connection failed'}</strong> ({formatMs(r.durationMs)}
        ): {r.message}
      </span>
      {r.hostKey && (
        <button type="button" onClick={() => onReview(r.hostKey!)}>
          {r.hostKey.knownFingerprint ? 'Details' : 'Review key'}
        </button>
      )}
    </div>
  );
}

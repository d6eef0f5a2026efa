// One logger per subsystem, with fields. Secrets are redacted by key before anything is
// written. Info is for state changes; debug for each call.

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass|secret|token|key(?!Path|Type)|auth(?!Method)|credential|private/i;

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(subsystem: string, fields?: Fields): Logger;
}

let threshold: Level = (process.env.OPSDECK_LOG_LEVEL as Level) || 'info';
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Replace the output, e.g. with a file writer or a test collector. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v != null ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export function createLogger(subsystem: string, base: Fields = {}): Logger {
  const write = (level: Level, msg: string, fields?: Fields): void => {
    if (ORDER[level] < ORDER[threshold]) return;
    const record = { t: new Date().toISOString(), level, sub: subsystem, msg, ...base, ...fields };
    sink(JSON.stringify(redact(record)));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (sub, f) => createLogger(`${subsystem}.${sub}`, { ...base, ...f }),
  };
}

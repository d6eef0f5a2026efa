// Runs one command, SQL statement or Redis command of a step against its target, streaming
// its output into a capped buffer (the cut is marked) and recording it in the audit log.
import { StringDecoder } from 'node:string_decoder';
import type { Target } from '../../shared/types';
import { errorMessage } from '../errors';
import type { Connections } from '../monitor/connections';
import type { CommandRunner, ExecRunner } from '../targets/types';
import { leadingNumber, type Reading } from './checks';
import { showSql } from './render';

/** Output kept up to `cap` bytes; beyond it the rest is counted and the cut marked. */
export class CappedOutput {
  private parts: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  push(s: string): string {
    if (!s) return '';
    const n = Buffer.byteLength(s);
    if (this.bytes + n <= this.cap) {
      this.parts.push(s);
      this.bytes += n;
      return s;
    }
    const room = this.cap - this.bytes;
    const kept =
      room > 0
        ? Buffer.from(s)
            .subarray(0, room)
            .toString('utf8')
            .replace(/\uFFFD$/, '')
        : '';
    if (kept) this.parts.push(kept);
    this.bytes += Buffer.byteLength(kept);
    this.dropped += n - Buffer.byteLength(kept);
    return kept;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    const body = this.parts.join('');
    return this.truncated
      ? `${body}\n[output cut at ${this.cap} bytes; ${this.dropped} more bytes not kept]`
      : body;
  }
}

export interface ExecContext {
  connections: Connections;
  capBytes: number;
  signal?: AbortSignal;
  onChunk?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  audit: (targetId: string, action: string, detail: string, result: string) => void;
  /** e.g. "run 1a2b, step disk-usage": where the audit entry came from. */
  origin: string;
}

export interface ExecResult extends Reading {
  truncated: boolean;
  error: string | null;
}

function isExec(r: CommandRunner): r is ExecRunner {
  return typeof (r as Partial<ExecRunner>).exec === 'function';
}

export async function runShell(
  ctx: ExecContext,
  target: Target,
  command: string,
  timeoutMs: number,
): Promise<ExecResult> {
  const out = new CappedOutput(ctx.capBytes);
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let stdoutHead = '';
  const take = (stream: 'stdout' | 'stderr', s: string): void => {
    if (stream === 'stdout' && stdoutHead.length < 256) stdoutHead += s.slice(0, 256);
    const kept = out.push(s);
    if (kept) ctx.onChunk?.(stream, kept);
  };
  try {
    const runner = ctx.connections.runner(target);
    let code: number | null;
    if (isExec(runner)) {
      const r = await runner.exec(command, {
        timeoutMs,
        signal: ctx.signal,
        collect: false,
        onData: (chunk, stream) => take(stream, decoders[stream].write(chunk)),
      });
      take('stdout', decoders.stdout.end());
      take('stderr', decoders.stderr.end());
      code = r.code;
    } else {
      const r = await runner.run(command, { timeoutMs });
      take('stdout', r.stdout);
      take('stderr', r.stderr);
      code = r.code;
    }
    const result = code === null ? 'killed or timed out' : `exit ${code}`;
    ctx.audit(target.id, `runbook command (${ctx.origin})`, command, result);
    return {
      exitCode: code,
      output: out.text(),
      value: leadingNumber(stdoutHead),
      rows: null,
      truncated: out.truncated,
      error:
        code === null
          ? `The command did not finish within ${timeoutMs / 1000} s or was stopped.`
          : null,
    };
  } catch (err) {
    ctx.audit(
      target.id,
      `runbook command (${ctx.origin})`,
      command,
      `failed: ${errorMessage(err)}`,
    );
    return failed(out, errorMessage(err));
  }
}

function failed(out: CappedOutput, error: string): ExecResult {
  return {
    exitCode: null,
    output: out.text(),
    value: null,
    rows: null,
    truncated: out.truncated,
    error,
  };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `{${v.map(cell).join(',')}}`;
  if (isInterval(v)) return intervalText(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

type Interval = Partial<Record<'years' | 'months' | 'days' | 'hours' | 'minutes', number>> & {
  seconds?: number;
  milliseconds?: number;
};

/** pg hands an interval over as an object of its parts (postgres-interval). */
function isInterval(v: unknown): v is Interval {
  return typeof v === 'object' && v !== null && v.constructor?.name === 'PostgresInterval';
}

/** An interval as psql prints it: "1 day 02:03:04.5", "00:00:02.463741". */
export function intervalText(v: Interval): string {
  const plural = (n: number, word: string, many: string): string =>
    `${n} ${Math.abs(n) === 1 ? word : many}`;
  const parts: string[] = [];
  if (v.years) parts.push(plural(v.years, 'year', 'years'));
  if (v.months) parts.push(plural(v.months, 'mon', 'mons'));
  if (v.days) parts.push(plural(v.days, 'day', 'days'));
  const micros = Math.round((v.seconds ?? 0) * 1e6 + (v.milliseconds ?? 0) * 1e3);
  const clock = (v.hours ?? 0) * 3_600_000_000 + (v.minutes ?? 0) * 60_000_000 + micros;
  if (clock !== 0 || parts.length === 0) {
    const abs = Math.abs(clock);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const h = Math.floor(abs / 3_600_000_000);
    const m = Math.floor(abs / 60_000_000) % 60;
    const s = Math.floor(abs / 1_000_000) % 60;
    const frac = abs % 1_000_000;
    const tail = frac ? `.${String(frac).padStart(6, '0').replace(/0+$/, '')}` : '';
    parts.push(`${clock < 0 ? '-' : ''}${pad(h)}:${pad(m)}:${pad(s)}${tail}`);
  }
  return parts.join(' ');
}

/** Rows as a plain text table: header, then one line per row, columns split by " | ". */
export function formatRows(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const lines = [cols.join(' | '), ...rows.map((r) => cols.map((c) => cell(r[c])).join(' | '))];
  return `${lines.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
}

function firstNumber(rows: readonly Record<string, unknown>[]): number | null {
  if (rows.length === 0) return null;
  const v = Object.values(rows[0])[0];
  const n =
    typeof v === 'number' ? v : typeof v === 'string' || typeof v === 'bigint' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

export async function runSql(
  ctx: ExecContext,
  target: Target,
  sql: string,
  params: string[],
): Promise<ExecResult> {
  const out = new CappedOutput(ctx.capBytes);
  const shown = showSql(sql, params);
  try {
    const r = await ctx.connections.sql(target).query<Record<string, unknown>>(sql, params);
    const text = out.push(formatRows(r.rows));
    if (text) ctx.onChunk?.('stdout', text);
    ctx.audit(target.id, `runbook sql (${ctx.origin})`, shown, `${r.rows.length} rows`);
    return {
      exitCode: 0,
      output: out.text(),
      value: firstNumber(r.rows),
      rows: r.rows.length,
      truncated: out.truncated,
      error: null,
    };
  } catch (err) {
    ctx.audit(target.id, `runbook sql (${ctx.origin})`, shown, `failed: ${errorMessage(err)}`);
    return failed(out, errorMessage(err));
  }
}

/** A Redis reply as text, nested arrays indented. */
export function formatReply(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return `${indent}(nil)`;
  if (Buffer.isBuffer(v)) return `${indent}${v.toString('utf8')}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return `${indent}(empty list)`;
    return v.map((x, i) => `${indent}${i + 1})\n${formatReply(x, indent + '  ')}`).join('\n');
  }
  return `${indent}${String(v)}`;
}

export async function runRedis(
  ctx: ExecContext,
  target: Target,
  argv: string[],
  shown: string,
): Promise<ExecResult> {
  const out = new CappedOutput(ctx.capBytes);
  try {
    const reply = await ctx.connections.redis(target).command(argv[0], ...argv.slice(1));
    const text = out.push(formatReply(reply));
    if (text) ctx.onChunk?.('stdout', text);
    ctx.audit(target.id, `runbook redis (${ctx.origin})`, shown, 'ok');
    const value = typeof reply === 'number' ? reply : leadingNumber(String(reply ?? ''));
    return {
      exitCode: 0,
      output: out.text(),
      value,
      rows: null,
      truncated: out.truncated,
      error: null,
    };
  } catch (err) {
    ctx.audit(target.id, `runbook redis (${ctx.origin})`, shown, `failed: ${errorMessage(err)}`);
    return failed(out, errorMessage(err));
  }
}

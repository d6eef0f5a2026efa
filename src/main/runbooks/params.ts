// Parameter values: typed, defaulted and validated before anything is filled in.
import type { Parameter, ParamValue, RunbookDoc } from '../../shared/runbooks';
import { assertNever } from '../../shared/result';
import { ValidationError } from '../errors';
import type { Values } from './render';

/** The value as its type wants it, or a reason it is not acceptable. */
export function coerceParam(
  p: Parameter,
  raw: ParamValue,
): { value: ParamValue } | { error: string } {
  switch (p.type) {
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isFinite(n) || String(raw).trim() === '') return { error: 'is not a number' };
      if (p.type === 'integer' && !Number.isInteger(n)) return { error: 'is not a whole number' };
      if (p.min !== undefined && n < p.min) return { error: `is below the minimum ${p.min}` };
      if (p.max !== undefined && n > p.max) return { error: `is above the maximum ${p.max}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return { error: 'is not true or false' };
    }
    case 'string':
    case 'path':
    case 'identifier':
    case 'url':
    case 'choice':
      return textParam(p, String(raw));
    default:
      return assertNever(p.type, 'parameter type');
  }
}

function textParam(p: Parameter, s: string): { value: string } | { error: string } {
  if (s.includes('\0')) return { error: 'holds a NUL byte' };
  if (p.type === 'path' && !s.startsWith('/')) return { error: 'is not an absolute path' };
  if (p.type === 'identifier' && (s.length === 0 || Buffer.byteLength(s) > 63)) {
    return { error: 'is not a SQL name of 1 to 63 bytes' };
  }
  if (p.type === 'url' && !/^https?:\/\/[^\s]+$/.test(s))
    return { error: 'is not an http(s) address' };
  if (p.type === 'choice' && !(p.choices ?? []).includes(s)) {
    return { error: `is not one of ${(p.choices ?? []).join(', ')}` };
  }
  if (p.pattern !== undefined && !new RegExp(`^(?:${p.pattern})$`).test(s)) {
    return { error: `does not match ${p.pattern}` };
  }
  if (p.min !== undefined && s.length < p.min) return { error: `is shorter than ${p.min}` };
  if (p.max !== undefined && s.length > p.max) return { error: `is longer than ${p.max}` };
  return { value: s };
}

/** A default that does not fit its own parameter, found when the file loads. */
export function paramDefaultProblem(p: Parameter): string | null {
  if (p.pattern !== undefined) {
    try {
      new RegExp(p.pattern);
    } catch {
      return `the pattern of "${p.name}" is not a valid regular expression`;
    }
  }
  if (p.type === 'choice' && !(p.choices ?? []).length) return `"${p.name}" needs choices`;
  if (p.default === undefined) return null;
  const r = coerceParam(p, p.default);
  return 'error' in r ? `the default of "${p.name}" ${r.error}` : null;
}

/** Values for every parameter: given ones checked, defaults filled; all problems at once. */
export function resolveParams(rb: RunbookDoc, given: Record<string, ParamValue>): Values {
  const out: Values = {};
  const problems: string[] = [];
  const known = new Set(rb.parameters.map((p) => p.name));
  for (const k of Object.keys(given)) {
    if (!known.has(k)) problems.push(`"${k}" is not a parameter of this runbook`);
  }
  for (const p of rb.parameters) {
    const raw = given[p.name] ?? p.default;
    if (raw === undefined) {
      if (p.required) problems.push(`"${p.label ?? p.name}" is required`);
      continue;
    }
    const r = coerceParam(p, raw);
    if ('error' in r) problems.push(`"${p.label ?? p.name}" ${r.error}`);
    else out[p.name] = r.value;
  }
  if (problems.length) {
    throw new ValidationError(
      `The parameters of "${rb.title}" need fixing before it can run: ${problems.join('; ')}.`,
    );
  }
  return out;
}

// Message templates: {{target}}, {{value}}, {{metric}}, {{threshold}}, {{labels.NAME}},
// {{projected}}. Values are formatted with their metric's unit; unknown placeholders are
// left visible so a typo shows instead of vanishing.
import { metricInfo, type Unit } from '../../shared/metrics';
import { assertNever } from '../../shared/result';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function trim(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let x = Math.abs(n);
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${trim(x, x >= 100 ? 0 : 1)} ${units[i]}`;
}

function seconds(n: number): string {
  const a = Math.abs(n);
  if (a < 120) return `${trim(n, 1)} s`;
  if (a < 7200) return `${trim(n / 60, 1)} min`;
  if (a < 172_800) return `${trim(n / 3600, 1)} h`;
  return `${trim(n / 86_400, 1)} d`;
}

export function formatValue(value: number | null, unit: Unit | undefined): string {
  if (value === null || !Number.isFinite(value)) return 'no data';
  if (!unit) return trim(value, 2);
  switch (unit) {
    case 'percent':
      return `${trim(value, 1)} %`;
    case 'bytes':
      return bytes(value);
    case 'bytes_per_s':
      return `${bytes(value)}/s`;
    case 'per_s':
      return `${trim(value, 2)}/s`;
    case 'ms':
      return `${trim(value, 1)} ms`;
    case 'seconds':
      return seconds(value);
    case 'count':
      return trim(value, 0);
    case 'celsius':
      return `${trim(value, 1)} °C`;
    case 'ratio':
      return trim(value, 2);
    case 'bool':
      return value >= 0.5 ? 'yes' : 'no';
    default:
      return assertNever(unit, 'unit');
  }
}

export interface TemplateVars {
  target: string;
  metric: string;
  value: number | null;
  /** Set for rates: the value is a change per hour. */
  perHour?: boolean;
  threshold: number | null;
  labels: Record<string, string>;
  projectedAt?: number;
}

export function render(template: string, vars: TemplateVars): string {
  const unit = metricInfo(vars.metric)?.unit;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'target') return vars.target;
    if (name === 'metric') return vars.metric;
    if (name === 'value') return formatValue(vars.value, unit) + (vars.perHour ? ' per hour' : '');
    if (name === 'threshold') return formatValue(vars.threshold, unit);
    if (name === 'projected') {
      return vars.projectedAt ? new Date(vars.projectedAt).toISOString().slice(0, 16) + 'Z' : '';
    }
    if (name.startsWith('labels.')) return vars.labels[name.slice(7)] ?? whole;
    return whole;
  });
}

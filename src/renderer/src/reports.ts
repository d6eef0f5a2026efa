// Reports in the renderer: words for periods.
import type { ReportPeriod } from '../../shared/reports';

export const PERIOD_WORD: Record<ReportPeriod, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

// Capacity planning (issue 6): the trend of each filesystem, memory, CPU, database size and
// Redis memory, projected forward with its uncertainty. Types and the contract's slice; the
// renderer compiles this file, so it holds no node imports.
import { z } from 'zod';
import { id, method } from './contract-kit';
import type { SeriesRef } from './types';

/** Fit windows the operator may pick, in days. */
export const CAPACITY_WINDOWS = [7, 30, 90] as const;
export type CapacityWindow = (typeof CAPACITY_WINDOWS)[number];
export const DEFAULT_CAPACITY_WINDOW: CapacityWindow = 30;

/** Days ahead at which every forecast gives a projected value. */
export const PROJECTION_DAYS = [30, 90, 180] as const;

/** How far ahead a crossing date is still stated; a linear trend says nothing beyond. */
export const CAPACITY_HORIZON_DAYS = 365;

export const CAPACITY_RESOURCES = [
  'filesystem',
  'memory',
  'cpu',
  'pg-database',
  'redis-memory',
] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];

/**
 * - insufficient-data: too few daily peaks in the window to fit a trend.
 * - at-limit: the latest daily peak is already at or over the limit.
 * - reaches-limit: the fitted trend reaches the limit within the horizon (a date is given).
 * - shrinking: the trend goes down, beyond its uncertainty.
 * - ok: steady, or growing too slowly to reach the limit within the horizon.
 * - no-limit: no honest limit is known (a database size alone, Redis without maxmemory):
 *   projections only, no date.
 */
export const CAPACITY_STATUSES = [
  'insufficient-data',
  'at-limit',
  'reaches-limit',
  'shrinking',
  'ok',
  'no-limit',
] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

export type CapacityUnit = 'percent' | 'bytes';

export interface CapacityLimit {
  value: number;
  /** What the limit is, in words: "90 % of the filesystem", "maxmemory (2.0 GiB)". */
  source: string;
}

export interface CapacityFit {
  /** Change per day, in the forecast's unit. */
  slopePerDay: number;
  /** Standard error of slopePerDay. */
  slopeStdErr: number;
  /** Scatter of the daily peaks around the line (residual standard deviation). */
  residualStdDev: number;
  /** Daily peaks the fit used. */
  points: number;
  windowDays: number;
  /** First and last day (start, ms) of the peaks used. */
  from: number;
  to: number;
}

export interface CapacityProjection {
  days: number;
  /** Fitted value that many days after `now`. */
  value: number;
  /** The uncertainty band there (fitted line ± 2 standard errors of the line). */
  low: number;
  high: number;
}

export interface CapacityForecast {
  /** Stable key of this forecast within its target: resource and series key. */
  key: string;
  targetId: string;
  targetName: string;
  group: string;
  resource: CapacityResource;
  /** What on the target: a mount point, a database name, "memory", "CPU". */
  label: string;
  /** The stored series the daily peaks come from. */
  series: SeriesRef;
  unit: CapacityUnit;
  /** Latest daily peak and the day it belongs to; null without data. */
  current: number | null;
  currentAt: number | null;
  limit: CapacityLimit | null;
  fit: CapacityFit | null;
  /** At 30, 90 and 180 days from now; empty without a fit. */
  projected: CapacityProjection[];
  /** When the fitted line reaches the limit (ms), within the horizon; else null. */
  limitReachedAt: number | null;
  /**
   * When the uncertainty band reaches the limit: earliest by its upper edge, latest by its
   * lower edge (null when the lower edge does not reach it within the horizon: it may never).
   */
  limitInterval: { earliest: number; latest: number | null } | null;
  /** Days from now to limitReachedAt (0 when already at the limit); null without a date. */
  daysToLimit: number | null;
  /**
   * When the daily peaks jumped to a new level (a volume grown, logs purged): the fit uses
   * only the peaks from then on. Null or absent when there was no jump in the window.
   */
  levelShiftAt?: number | null;
  status: CapacityStatus;
  /** Plain words: what happens when, and what to do. */
  recommendation: string;
  /** The figures behind the recommendation, one short line each. */
  figures: string[];
}

export interface CapacityPoint {
  t: number;
  v: number;
}

/** A point of the fitted line with its band, from the window's start to the horizon. */
export interface CapacityLinePoint {
  t: number;
  v: number;
  low: number;
  high: number;
}

export interface CapacitySeries {
  forecast: CapacityForecast;
  /** Daily peaks (day start, peak value) in the window. */
  peaks: CapacityPoint[];
  /** Fitted line and band; empty without a fit. */
  line: CapacityLinePoint[];
  /** Last time the line reaches (ms). */
  horizon: number;
}

// ---------------------------------------------------------------------------------------
// Contract slice

const windowDays = z
  .number()
  .int()
  .refine(
    (n) => (CAPACITY_WINDOWS as readonly number[]).includes(n),
    'the window is 7, 30 or 90 days',
  )
  .default(DEFAULT_CAPACITY_WINDOW);

export const capacityMethods = {
  /** Every forecast, soonest limit first, then those without a date. */
  capacity: method<CapacityForecast[]>()(
    z.object({ windowDays, group: z.string().max(100).optional() }).strict(),
  ),
  /** Daily peaks, fitted line and band of one forecast, for its chart; null when gone. */
  capacitySeries: method<CapacitySeries | null>()(
    z.object({ targetId: id, key: z.string().min(1).max(2000), windowDays }).strict(),
  ),
};
export type CapacityMethodName = keyof typeof capacityMethods;

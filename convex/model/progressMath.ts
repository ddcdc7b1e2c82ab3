/**
 * Progress-monitoring mathematics for IEP goals (domain.md "Progress monitoring mathematics",
 * D13). Pure functions: no Convex imports, no clock, no I/O.
 *
 * Conventions
 * - x is weeks since the goal's baseline date (days / 7), dates parsed as UTC calendar dates.
 * - Points are sorted by date (stable: two observations on the same day keep their input order
 *   and both count; the later one in the input is the "latest"). The input array is not changed.
 * - "Better" depends on the goal's direction: higher for `increase`, lower for `decrease`
 *   (behaviours to reduce), which inverts "above" and "below".
 *
 * Decisions this module makes where domain.md leaves room (see analyzeTrend):
 * - `fourPointRule` reports "above" when all four most recent points are on the *better* side of
 *   the aim line and "below" when all four are on the *worse* side, whatever the direction; a
 *   point exactly on the line is neither, so it makes the rule "mixed".
 * - `fourPointRule`, `ols`, `tukey` and the projection are reported for display as soon as there
 *   are enough points to compute them, but with insufficient data (fewer than 6 points or less
 *   than 3 weeks between the first and the last point) the decision is "insufficient_data".
 * - Mastery criteria met → "goal_met", before every other rule and even with insufficient data:
 *   it is the team's explicit criterion, not a statistical inference. Without mastery criteria a
 *   goal is never "goal_met" (domain.md: computed, not guessed).
 * - The trend rule uses the OLS slope (the default trend); Tukey is reported for comparison.
 */
import { toDayNumber } from "./calendarDate";

export type Direction = "increase" | "decrease";

export interface ProgressPoint {
  date: string; // YYYY-MM-DD
  value: number;
}

export interface MasteryCriteria {
  threshold: number;
  consecutiveSessions: number;
}

export interface GoalMathInput {
  baselineDate: string;
  baselineValue: number;
  targetDate: string;
  targetValue: number;
  direction: Direction;
  points: ProgressPoint[];
  mastery?: MasteryCriteria;
}

export type FourPointVerdict = "above" | "below" | "mixed";
export type TrendDecision = "raise_goal" | "change_instruction" | "continue" | "goal_met" | "insufficient_data";

export interface TrendAnalysis {
  dataPoints: number;
  weeksOfData: number;
  sufficientData: boolean;
  ols: { slopePerWeek: number; intercept: number } | null;
  tukey: { slopePerWeek: number } | null;
  aimLine: { slopePerWeek: number; startDate: string; startValue: number; goalDate: string; goalValue: number };
  projectedValueAtGoalDate: number | null;
  fourPointRule: FourPointVerdict | null;
  decision: TrendDecision;
}

/** Minimum amounts of data (domain.md). */
export const MIN_POINTS_OLS = 3;
export const MIN_POINTS_TUKEY = 6;
export const MIN_POINTS_FOR_DECISION = 6;
export const MIN_WEEKS_FOR_DECISION = 3;
export const FOUR_POINT_WINDOW = 4;

/** A measurement placed on the chart: x in weeks since the baseline date. */
export interface ChartPoint {
  x: number;
  y: number;
}

/** Points as (weeks since baseline, value), sorted by date; validates dates and values. */
export function toChartPoints(baselineDate: string, points: ProgressPoint[]): ChartPoint[] {
  const baselineDay = toDayNumber(baselineDate);
  const placed = points.map((point, index) => {
    if (!Number.isFinite(point.value)) {
      throw new RangeError(`Progress point ${index} (${point.date}) has a non-finite value`);
    }
    return { x: (toDayNumber(point.date) - baselineDay) / 7, y: point.value, index };
  });
  // Array.prototype.sort is stable, and the index makes the tie-break explicit anyway.
  placed.sort((a, b) => a.x - b.x || a.index - b.index);
  return placed.map(({ x, y }) => ({ x, y }));
}

/** Ordinary least squares: m = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²), b = (Σy − mΣx) / n. */
export function olsFit(points: ChartPoint[]): { slopePerWeek: number; intercept: number } | null {
  const n = points.length;
  if (n < MIN_POINTS_OLS) return null;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumXX = 0;
  for (const { x, y } of points) {
    sumX += x;
    sumY += y;
    sumXY += x * y;
    sumXX += x * x;
  }
  const denominator = n * sumXX - sumX * sumX;
  // All points on the same day: no line through them has a defined slope.
  if (Math.abs(denominator) < 1e-12 * Math.max(1, n * sumXX)) return null;
  const slope = (n * sumXY - sumX * sumY) / denominator;
  return { slopePerWeek: slope, intercept: (sumY - slope * sumX) / n };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Tukey's three-group slope: medians of the first and last ⌊n/3⌋ points (sorted by x), slope
 * (medY_last − medY_first) / (medX_last − medX_first). Null below 6 points or when both groups
 * have the same median x.
 */
export function tukeySlope(points: ChartPoint[]): { slopePerWeek: number } | null {
  const n = points.length;
  if (n < MIN_POINTS_TUKEY) return null;
  const third = Math.floor(n / 3);
  const first = points.slice(0, third);
  const last = points.slice(n - third);
  const run = median(last.map((p) => p.x)) - median(first.map((p) => p.x));
  if (run === 0) return null;
  return { slopePerWeek: (median(last.map((p) => p.y)) - median(first.map((p) => p.y))) / run };
}

/** Is `a` better than `b` for a goal in this direction (strictly)? */
function isBetter(direction: Direction, a: number, b: number): boolean {
  return direction === "increase" ? a > b : a < b;
}

/** Tolerance for "exactly on the line" that absorbs floating-point noise only. */
function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

interface AimLine {
  slopePerWeek: number;
  goalWeeks: number;
  valueAt(x: number): number;
}

/**
 * The aim line from (0, B) to (tG, G). When the target date equals the baseline date the slope
 * is undefined; the line is then flat at the goal value (slope 0), which still lets the
 * four-point rule compare the level.
 */
function aimLineOf(input: GoalMathInput): AimLine {
  const goalWeeks = (toDayNumber(input.targetDate) - toDayNumber(input.baselineDate)) / 7;
  if (goalWeeks === 0) {
    return { slopePerWeek: 0, goalWeeks, valueAt: () => input.targetValue };
  }
  const slope = (input.targetValue - input.baselineValue) / goalWeeks;
  return { slopePerWeek: slope, goalWeeks, valueAt: (x) => input.baselineValue + slope * x };
}

/** Four-point rule on the 4 most recent points; null with fewer than 4 points. */
export function fourPointRule(points: ChartPoint[], aim: (x: number) => number, direction: Direction): FourPointVerdict | null {
  if (points.length < FOUR_POINT_WINDOW) return null;
  const recent = points.slice(points.length - FOUR_POINT_WINDOW);
  let better = 0;
  let worse = 0;
  for (const { x, y } of recent) {
    const expected = aim(x);
    if (nearlyEqual(y, expected)) continue;
    if (isBetter(direction, y, expected)) better += 1;
    else worse += 1;
  }
  if (better === FOUR_POINT_WINDOW) return "above";
  if (worse === FOUR_POINT_WINDOW) return "below";
  return "mixed";
}

/**
 * One decision from the two rules (with sufficient data, mastery not met).
 *
 * Precedence: the two rules must agree before the verdict moves away from "continue", because
 * four-point decisions alone flag too many students (domain.md):
 * - all four points better than the aim line and a trend at least as steep as the aim line
 *   (in the goal's direction) → "raise_goal";
 * - all four points worse and a trend no better than the aim line → "change_instruction";
 * - four-point rule mixed → the trend rule decides: worse than the aim slope →
 *   "change_instruction", otherwise "continue" (on track);
 * - the rules disagree (e.g. all four above but flattening, or all four below but catching up)
 *   → "continue" and collect more data.
 */
export function combineRules(
  fourPoint: FourPointVerdict,
  trendSlope: number,
  aimSlope: number,
  direction: Direction,
): "raise_goal" | "change_instruction" | "continue" {
  const trendEqual = nearlyEqual(trendSlope, aimSlope);
  const trendBetter = !trendEqual && isBetter(direction, trendSlope, aimSlope);
  const trendWorse = !trendEqual && !trendBetter;
  if (fourPoint === "above") return trendWorse ? "continue" : "raise_goal";
  if (fourPoint === "below") return trendBetter ? "continue" : "change_instruction";
  return trendWorse ? "change_instruction" : "continue";
}

/**
 * Mastery: the last `consecutiveSessions` points (by date) are all at or beyond `threshold` in the
 * goal's direction (≥ for increase, ≤ for decrease). False without criteria, with fewer points
 * than sessions, or with a session count that is not a positive integer.
 */
export function masteryMet(input: GoalMathInput): boolean {
  const criteria = input.mastery;
  if (!criteria) return false;
  const sessions = criteria.consecutiveSessions;
  if (!Number.isInteger(sessions) || sessions < 1) return false;
  const points = toChartPoints(input.baselineDate, input.points);
  if (points.length < sessions) return false;
  return points
    .slice(points.length - sessions)
    .every(({ y }) => y === criteria.threshold || isBetter(input.direction, y, criteria.threshold));
}

/**
 * Percent of the way from baseline to target of the latest point, clamped to 0–100; null without
 * points. Measured in the goal's direction, so a behaviour to reduce from 10 to 2 that is now at
 * 4 is 75% of the way. If the target is not beyond the baseline in the goal's direction (G == B,
 * or a mis-entered target), the goal is "hold at least G": 100 when the latest point is at or
 * beyond G, else 0.
 */
export function progressToTarget(input: GoalMathInput): number | null {
  const points = toChartPoints(input.baselineDate, input.points);
  if (points.length === 0) return null;
  const latest = points[points.length - 1].y;
  const sign = input.direction === "increase" ? 1 : -1;
  const needed = sign * (input.targetValue - input.baselineValue);
  const gained = sign * (latest - input.baselineValue);
  if (needed <= 0) {
    return sign * (latest - input.targetValue) >= 0 ? 100 : 0;
  }
  return Math.min(100, Math.max(0, (gained / needed) * 100));
}

export function analyzeTrend(input: GoalMathInput): TrendAnalysis {
  const points = toChartPoints(input.baselineDate, input.points);
  const aim = aimLineOf(input);
  const n = points.length;
  const weeksOfData = n === 0 ? 0 : points[n - 1].x - points[0].x;
  const sufficientData = n >= MIN_POINTS_FOR_DECISION && weeksOfData >= MIN_WEEKS_FOR_DECISION;
  const ols = olsFit(points);
  const tukey = tukeySlope(points);
  const fourPoint = fourPointRule(points, aim.valueAt, input.direction);

  let decision: TrendDecision;
  if (masteryMet(input)) decision = "goal_met";
  else if (!sufficientData || ols === null || fourPoint === null) decision = "insufficient_data";
  else decision = combineRules(fourPoint, ols.slopePerWeek, aim.slopePerWeek, input.direction);

  return {
    dataPoints: n,
    weeksOfData,
    sufficientData,
    ols,
    tukey,
    aimLine: {
      slopePerWeek: aim.slopePerWeek,
      startDate: input.baselineDate,
      startValue: input.baselineValue,
      goalDate: input.targetDate,
      goalValue: input.targetValue,
    },
    projectedValueAtGoalDate: ols === null ? null : ols.intercept + ols.slopePerWeek * aim.goalWeeks,
    fourPointRule: fourPoint,
    decision,
  };
}

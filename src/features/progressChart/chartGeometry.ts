// From a goal's numbers to SVG coordinates. Pure: the chart component draws what this returns and
// the tests check it. x is weeks since the baseline date (progressMath.ts's convention), so the
// trend line is exactly the OLS fit the server's decision uses.
import { fromDayNumber, toDayNumber } from "../../../convex/model/calendarDate";
import { olsFit, toChartPoints } from "../../../convex/model/progressMath";

export interface ChartInput {
  baselineDate: string;
  baselineValue: number;
  targetDate: string;
  targetValue: number;
  points: { date: string; value: number }[];
  /** Dates where instruction changed (goal revisions): drawn as vertical markers. */
  phaseChanges: string[];
}

export interface Line {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Tick {
  position: number;
  value: number;
  label: string;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  points: { cx: number; cy: number; date: string; value: number }[];
  aimLine: Line;
  trendLine: Line | null;
  trend: { slopePerWeek: number; intercept: number } | null;
  targetLine: Line;
  phaseLines: (Line & { date: string })[];
  xTicks: Tick[];
  yTicks: Tick[];
  xOfWeeks: (weeks: number) => number;
  yOfValue: (value: number) => number;
}

export const CHART_SIZE = { width: 720, height: 360, margin: { left: 56, right: 20, top: 16, bottom: 40 } };

/** 1, 2 or 5 × a power of ten: round steps for axis ticks. */
export function niceStep(span: number, wantedTicks: number): number {
  if (!(span > 0)) return 1;
  const raw = span / wantedTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

export function weeksBetween(from: string, to: string): number {
  return (toDayNumber(to) - toDayNumber(from)) / 7;
}

export function computeChartGeometry(input: ChartInput, size = CHART_SIZE): ChartGeometry {
  const { width, height, margin } = size;
  const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom };
  const placed = toChartPoints(input.baselineDate, input.points);
  const sortedDates = [...input.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const targetWeeks = weeksBetween(input.baselineDate, input.targetDate);
  const phaseWeeks = input.phaseChanges.map((date) => weeksBetween(input.baselineDate, date));

  const xMax = Math.max(targetWeeks, ...placed.map((p) => p.x), ...phaseWeeks, 1);
  const xMin = Math.min(0, ...placed.map((p) => p.x));
  const values = [input.baselineValue, input.targetValue, ...placed.map((p) => p.y)];
  const rawMin = Math.min(0, ...values);
  const rawMax = Math.max(...values);
  const yStep = niceStep(rawMax - rawMin || 1, 5);
  const yMin = Math.floor(rawMin / yStep) * yStep;
  const yMax = Math.max(Math.ceil((rawMax * 1.05) / yStep) * yStep, yMin + yStep);

  const xOfWeeks = (weeks: number) => plot.left + ((weeks - xMin) / (xMax - xMin)) * (plot.right - plot.left);
  const yOfValue = (value: number) => plot.bottom - ((value - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

  const trend = olsFit(placed);
  const firstX = placed.length ? placed[0].x : 0;
  const lastX = placed.length ? placed[placed.length - 1].x : 0;

  const xStep = niceStep(xMax - xMin, 6);
  const xTicks: Tick[] = [];
  for (let w = Math.ceil(xMin / xStep) * xStep; w <= xMax + 1e-9; w += xStep) {
    xTicks.push({ position: xOfWeeks(w), value: w, label: fromDayNumber(toDayNumber(input.baselineDate) + Math.round(w * 7)) });
  }
  const yTicks: Tick[] = [];
  for (let v = yMin; v <= yMax + 1e-9; v += yStep) yTicks.push({ position: yOfValue(v), value: v, label: String(+v.toFixed(6)) });

  return {
    width,
    height,
    plot,
    points: placed.map((p, i) => ({ cx: xOfWeeks(p.x), cy: yOfValue(p.y), date: sortedDates[i].date, value: p.y })),
    aimLine: { x1: xOfWeeks(0), y1: yOfValue(input.baselineValue), x2: xOfWeeks(targetWeeks), y2: yOfValue(input.targetValue) },
    trend,
    trendLine:
      trend && lastX > firstX
        ? { x1: xOfWeeks(firstX), y1: yOfValue(trend.intercept + trend.slopePerWeek * firstX), x2: xOfWeeks(lastX), y2: yOfValue(trend.intercept + trend.slopePerWeek * lastX) }
        : null,
    targetLine: { x1: plot.left, y1: yOfValue(input.targetValue), x2: plot.right, y2: yOfValue(input.targetValue) },
    phaseLines: input.phaseChanges.map((date, i) => ({ date, x1: xOfWeeks(phaseWeeks[i]), x2: xOfWeeks(phaseWeeks[i]), y1: plot.top, y2: plot.bottom })),
    xTicks,
    yTicks,
    xOfWeeks,
    yOfValue,
  };
}

/** The aim line's value on a date: straight from (baseline date, value) to (target date, target). */
export function aimValueAt(input: Pick<ChartInput, "baselineDate" | "baselineValue" | "targetDate" | "targetValue">, date: string): number {
  const total = weeksBetween(input.baselineDate, input.targetDate);
  if (total <= 0) return input.targetValue;
  return input.baselineValue + ((input.targetValue - input.baselineValue) * weeksBetween(input.baselineDate, date)) / total;
}

/** Which phase a date falls in: 1 before the first change, 2 after it, and so on. */
export function phaseOf(phaseChanges: string[], date: string): number {
  return 1 + [...phaseChanges].sort().filter((change) => change <= date).length;
}

import { describe, expect, it } from "vitest";
import { addDays } from "./calendarDate";
import {
  analyzeTrend,
  combineRules,
  masteryMet,
  progressToTarget,
  type GoalMathInput,
  type ProgressPoint,
} from "./progressMath";

// Baseline Monday 2025-01-06; target 10 weeks later (Jan 6 + 25 days = Jan 31, + 28 = Feb 28,
// + 17 = Mar 17: 70 days = 10 weeks).
const BASELINE = "2025-01-06";
const TARGET = "2025-03-17";

/** Points at whole weeks after the baseline: values[i] is measured at week i. */
function weekly(values: number[], startWeek = 0): ProgressPoint[] {
  return values.map((value, i) => ({ date: addDays(BASELINE, (startWeek + i) * 7), value }));
}

function goal(partial: Partial<GoalMathInput>): GoalMathInput {
  return {
    baselineDate: BASELINE,
    baselineValue: 10,
    targetDate: TARGET,
    targetValue: 30,
    direction: "increase",
    points: [],
    ...partial,
  };
}

describe("OLS trend", () => {
  it("fits (0,10),(1,12),(2,15)", () => {
    // Σx=3, Σy=37, Σxy=0+12+30=42, Σx²=5, n=3
    // m = (3·42 − 3·37) / (3·5 − 3²) = (126 − 111) / 6 = 2.5
    // b = (37 − 2.5·3) / 3 = 29.5 / 3 = 9.8333…
    const result = analyzeTrend(goal({ points: weekly([10, 12, 15]) }));
    expect(result.ols?.slopePerWeek).toBeCloseTo(2.5, 12);
    expect(result.ols?.intercept).toBeCloseTo(29.5 / 3, 12);
    // projection at tG = 10 weeks: 9.8333 + 2.5·10 = 34.8333
    expect(result.projectedValueAtGoalDate).toBeCloseTo(29.5 / 3 + 25, 12);
    expect(result.tukey).toBeNull(); // needs 6 points
    expect(result.decision).toBe("insufficient_data");
  });

  it("needs 3 points", () => {
    const result = analyzeTrend(goal({ points: weekly([10, 12]) }));
    expect(result.ols).toBeNull();
    expect(result.projectedValueAtGoalDate).toBeNull();
  });

  it("keeps both observations of a duplicated date", () => {
    // x: 0,1,1,2  y: 10,12,14,15
    // Σx=4, Σy=51, Σxy=0+12+14+30=56, Σx²=0+1+1+4=6, n=4
    // m = (4·56 − 4·51) / (4·6 − 16) = 20 / 8 = 2.5; b = (51 − 10) / 4 = 10.25
    const points = [
      { date: "2025-01-06", value: 10 },
      { date: "2025-01-13", value: 12 },
      { date: "2025-01-13", value: 14 },
      { date: "2025-01-20", value: 15 },
    ];
    const result = analyzeTrend(goal({ points }));
    expect(result.dataPoints).toBe(4);
    expect(result.ols?.slopePerWeek).toBeCloseTo(2.5, 12);
    expect(result.ols?.intercept).toBeCloseTo(10.25, 12);
  });

  it("has no slope when every point is on the same day", () => {
    const points = Array.from({ length: 6 }, (_, i) => ({ date: "2025-02-03", value: 10 + i }));
    const result = analyzeTrend(goal({ points }));
    expect(result.ols).toBeNull();
    expect(result.tukey).toBeNull();
    expect(result.weeksOfData).toBe(0);
    expect(result.sufficientData).toBe(false);
    expect(result.decision).toBe("insufficient_data");
  });

  it("uses fractional weeks (days / 7)", () => {
    // x = 0, 3/7, 10/7 with y = 0, 3, 10: a perfect line of slope 7 per week
    const points = [
      { date: "2025-01-06", value: 0 },
      { date: "2025-01-09", value: 3 },
      { date: "2025-01-16", value: 10 },
    ];
    expect(analyzeTrend(goal({ points })).ols?.slopePerWeek).toBeCloseTo(7, 10);
  });
});

describe("Tukey three-group trend", () => {
  it("uses the medians of the first and last ⌊n/3⌋ points", () => {
    // n=6, ⌊6/3⌋=2. First x{0,1} y{10,14}: medians 0.5, 12. Last x{4,5} y{16,20}: 4.5, 18.
    // slope = (18 − 12) / (4.5 − 0.5) = 1.5
    const result = analyzeTrend(goal({ points: weekly([10, 14, 11, 18, 16, 20]) }));
    expect(result.tukey?.slopePerWeek).toBeCloseTo(1.5, 12);
  });

  it("ignores the middle when n is not a multiple of 3", () => {
    // n=7, ⌊7/3⌋=2. First x{0,1} y{5,9}: 0.5, 7. Last x{5,6} y{12,11}: 5.5, 11.5.
    // slope = (11.5 − 7) / 5 = 0.9 (the middle points 7, 8, 10 do not count)
    const result = analyzeTrend(goal({ points: weekly([5, 9, 7, 8, 10, 12, 11]) }));
    expect(result.tukey?.slopePerWeek).toBeCloseTo(0.9, 12);
  });
});

describe("decisions", () => {
  it("mixed four-point rule and a trend flatter than the aim line → change instruction", () => {
    // Aim line 10 → 30 over 10 weeks: 10 + 2x. Points y = 10,14,11,18,16,20 at x = 0..5.
    // Last four vs aim: (2,11)<14 worse, (3,18)>16 better, (4,16)<18 worse, (5,20)=20 on the line
    // → mixed. OLS: Σx=15, Σy=89, Σxy=0+14+22+54+64+100=254, Σx²=55, n=6
    // m = (6·254 − 15·89) / (6·55 − 225) = (1524 − 1335) / 105 = 1.8 < 2 → worse.
    // b = (89 − 27) / 6 = 10.3333; projection 10.3333 + 18 = 28.3333.
    const result = analyzeTrend(goal({ points: weekly([10, 14, 11, 18, 16, 20]) }));
    expect(result.dataPoints).toBe(6);
    expect(result.weeksOfData).toBe(5);
    expect(result.sufficientData).toBe(true);
    expect(result.aimLine).toEqual({ slopePerWeek: 2, startDate: BASELINE, startValue: 10, goalDate: TARGET, goalValue: 30 });
    expect(result.ols?.slopePerWeek).toBeCloseTo(1.8, 12);
    expect(result.projectedValueAtGoalDate).toBeCloseTo(62 / 6 + 18, 12);
    expect(result.fourPointRule).toBe("mixed");
    expect(result.decision).toBe("change_instruction");
  });

  it("all four above and a steeper trend → raise the goal", () => {
    // Aim 10 + 2x: 14,16,18,20 at x=2..5; points 17,20,22,25 are all above.
    // OLS: Σy=111, Σxy=0+15+34+60+88+125=322; m = (1932 − 1665) / 105 = 2.5429 > 2.
    const result = analyzeTrend(goal({ points: weekly([12, 15, 17, 20, 22, 25]) }));
    expect(result.fourPointRule).toBe("above");
    expect(result.ols?.slopePerWeek).toBeCloseTo(267 / 105, 12);
    expect(result.decision).toBe("raise_goal");
  });

  it("all four above but the trend is flattening → continue (the rules disagree)", () => {
    // Aim 10 + 2x. Points 20,21,21,22,22,23: last four 21>14, 22>16, 22>18, 23>20 → above.
    // OLS: Σy=129, Σxy=0+21+42+66+88+115=332; m = (1992 − 1935) / 105 = 0.5429 < 2 → worse.
    const result = analyzeTrend(goal({ points: weekly([20, 21, 21, 22, 22, 23]) }));
    expect(result.fourPointRule).toBe("above");
    expect(result.ols?.slopePerWeek).toBeCloseTo(57 / 105, 12);
    expect(result.decision).toBe("continue");
  });

  it("mixed four-point rule and a steeper trend → continue", () => {
    // Aim 10 + 2x. Points 8,10,13,17,17,21 at x=0..5: last four 13<14, 17>16, 17<18, 21>20 → mixed.
    // OLS: Σy=86, Σxy=0+10+26+51+68+105=260; m = (1560 − 1290) / 105 = 2.5714 > 2 → better.
    const result = analyzeTrend(goal({ points: weekly([8, 10, 13, 17, 17, 21]) }));
    expect(result.fourPointRule).toBe("mixed");
    expect(result.ols?.slopePerWeek).toBeCloseTo(270 / 105, 12);
    expect(result.decision).toBe("continue");
  });

  it("decreasing behaviour: all four below the aim line is better → raise the goal", () => {
    // Reduce from 20 to 0 over 10 weeks: aim 20 − 2x. Points 19 − 2x at x = 0..5 are all 1 under
    // the line (better). OLS: Σy=84, Σxy=0+17+30+39+44+45=175; m = (1050 − 1260) / 105 = −2,
    // exactly the aim slope: "at least as good" → raise_goal.
    const input = goal({ baselineValue: 20, targetValue: 0, direction: "decrease", points: weekly([19, 17, 15, 13, 11, 9]) });
    const result = analyzeTrend(input);
    expect(result.aimLine.slopePerWeek).toBe(-2);
    expect(result.ols?.slopePerWeek).toBeCloseTo(-2, 12);
    expect(result.fourPointRule).toBe("above");
    expect(result.decision).toBe("raise_goal");
  });

  it("decreasing behaviour that barely falls → change instruction", () => {
    // Aim 20 − 2x: 16,14,12,10 at x=2..5; points 19,19,18,18 are all higher = worse → "below".
    // OLS: Σy=114, Σxy=0+20+38+57+72+90=277; m = (1662 − 1710) / 105 = −0.457 (worse than −2).
    const input = goal({ baselineValue: 20, targetValue: 0, direction: "decrease", points: weekly([20, 20, 19, 19, 18, 18]) });
    const result = analyzeTrend(input);
    expect(result.fourPointRule).toBe("below");
    expect(result.ols?.slopePerWeek).toBeCloseTo(-48 / 105, 12);
    expect(result.decision).toBe("change_instruction");
  });

  it("the same numbers mean the opposite for an increasing goal", () => {
    // Increase 20 → 40 (aim 20 + 2x: 24..30 at x=2..5) with points 19 − 2x: all below → change.
    const result = analyzeTrend(goal({ baselineValue: 20, targetValue: 40, points: weekly([19, 17, 15, 13, 11, 9]) }));
    expect(result.fourPointRule).toBe("below");
    expect(result.decision).toBe("change_instruction");
  });

  it("combineRules precedence table", () => {
    expect(combineRules("above", 3, 2, "increase")).toBe("raise_goal");
    expect(combineRules("above", 2, 2, "increase")).toBe("raise_goal");
    expect(combineRules("above", 1, 2, "increase")).toBe("continue");
    expect(combineRules("below", 1, 2, "increase")).toBe("change_instruction");
    expect(combineRules("below", 2, 2, "increase")).toBe("change_instruction");
    expect(combineRules("below", 3, 2, "increase")).toBe("continue");
    expect(combineRules("mixed", 1, 2, "increase")).toBe("change_instruction");
    expect(combineRules("mixed", 2, 2, "increase")).toBe("continue");
    expect(combineRules("mixed", 3, 2, "increase")).toBe("continue");
    // decrease: a more negative slope is better
    expect(combineRules("above", -3, -2, "decrease")).toBe("raise_goal");
    expect(combineRules("mixed", -1, -2, "decrease")).toBe("change_instruction");
  });
});

describe("data sufficiency", () => {
  it("5 points are not enough, but the four-point rule is still reported", () => {
    // Aim 10 + 2x; last four 17,20,22,25 at x=1..4 vs 12,14,16,18 → above.
    const result = analyzeTrend(goal({ points: weekly([12, 17, 20, 22, 25]) }));
    expect(result.sufficientData).toBe(false);
    expect(result.fourPointRule).toBe("above");
    expect(result.decision).toBe("insufficient_data");
  });

  it("6 points within less than 3 weeks are not enough", () => {
    // days 0,4,8,12,16,20 → 20/7 = 2.857 weeks
    const points = [0, 4, 8, 12, 16, 20].map((d, i) => ({ date: addDays(BASELINE, d), value: 10 + 5 * i }));
    const result = analyzeTrend(goal({ points }));
    expect(result.weeksOfData).toBeCloseTo(20 / 7, 12);
    expect(result.sufficientData).toBe(false);
    expect(result.decision).toBe("insufficient_data");
  });

  it("6 points spanning exactly 3 weeks are enough", () => {
    // days 0,4,8,12,16,21 → 3 weeks; values rise 5 per point, far steeper than the aim line.
    const points = [0, 4, 8, 12, 16, 21].map((d, i) => ({ date: addDays(BASELINE, d), value: 12 + 5 * i }));
    const result = analyzeTrend(goal({ points }));
    expect(result.weeksOfData).toBe(3);
    expect(result.sufficientData).toBe(true);
    expect(result.decision).toBe("raise_goal");
  });

  it("weeks of data is measured between the first and the last point, not from the baseline", () => {
    // days 70, 72, …, 80 after the baseline: 10 weeks from baseline, but only 10 days of data
    const points = [70, 72, 74, 76, 78, 80].map((d) => ({ date: addDays(BASELINE, d), value: 30 }));
    const result = analyzeTrend(goal({ points }));
    expect(result.weeksOfData).toBeCloseTo(10 / 7, 12);
    expect(result.sufficientData).toBe(false);
  });

  it("no points at all", () => {
    const result = analyzeTrend(goal({ points: [] }));
    expect(result).toMatchObject({
      dataPoints: 0,
      weeksOfData: 0,
      sufficientData: false,
      ols: null,
      tukey: null,
      projectedValueAtGoalDate: null,
      fourPointRule: null,
      decision: "insufficient_data",
    });
  });
});

describe("input handling", () => {
  it("sorts unsorted points by date without changing the input", () => {
    const sorted = weekly([10, 14, 11, 18, 16, 20]);
    const shuffled = [sorted[3], sorted[0], sorted[5], sorted[1], sorted[4], sorted[2]];
    const copy = shuffled.map((p) => ({ ...p }));
    expect(analyzeTrend(goal({ points: shuffled }))).toEqual(analyzeTrend(goal({ points: sorted })));
    expect(shuffled).toEqual(copy);
    // latest by date is 20 → (20 − 10) / (30 − 10) = 50%
    expect(progressToTarget(goal({ points: shuffled }))).toBe(50);
  });

  it("a target on the baseline date gives a flat aim line at the goal value", () => {
    // Aim is y = 30 everywhere; points 31..36 are all above.
    const result = analyzeTrend(goal({ targetDate: BASELINE, points: weekly([31, 32, 33, 34, 35, 36]) }));
    expect(result.aimLine.slopePerWeek).toBe(0);
    expect(result.fourPointRule).toBe("above");
    // projection at x = 0 is the OLS intercept: slope 1, intercept 31
    expect(result.projectedValueAtGoalDate).toBeCloseTo(31, 12);
  });

  it("G == B gives a flat aim line at the baseline", () => {
    const result = analyzeTrend(goal({ targetValue: 10, points: weekly([9, 9, 9, 9]) }));
    expect(result.aimLine.slopePerWeek).toBe(0);
    expect(result.fourPointRule).toBe("below");
  });

  it("points on the aim line make the four-point rule mixed", () => {
    // Aim 10 + 2x; points exactly on it at x=0..3
    expect(analyzeTrend(goal({ points: weekly([10, 12, 14, 16]) })).fourPointRule).toBe("mixed");
  });

  it("rejects invalid dates and values", () => {
    expect(() => analyzeTrend(goal({ points: [{ date: "2025-02-30", value: 1 }] }))).toThrow(RangeError);
    expect(() => analyzeTrend(goal({ points: [{ date: "2025-1-6", value: 1 }] }))).toThrow(RangeError);
    expect(() => analyzeTrend(goal({ points: [{ date: "2025-01-07", value: Number.NaN }] }))).toThrow(RangeError);
  });
});

describe("progressToTarget", () => {
  it("is the share of the distance from baseline to target, clamped", () => {
    // (25 − 10) / (30 − 10) = 75%
    expect(progressToTarget(goal({ points: weekly([12, 25]) }))).toBe(75);
    expect(progressToTarget(goal({ points: weekly([35]) }))).toBe(100);
    expect(progressToTarget(goal({ points: weekly([5]) }))).toBe(0);
  });

  it("is direction-aware for behaviours to reduce", () => {
    // From 10 down to 2, now 4: (10 − 4) / (10 − 2) = 6/8 = 75%
    const reduce = { baselineValue: 10, targetValue: 2, direction: "decrease" as const };
    expect(progressToTarget(goal({ ...reduce, points: weekly([4]) }))).toBe(75);
    expect(progressToTarget(goal({ ...reduce, points: weekly([12]) }))).toBe(0);
    expect(progressToTarget(goal({ ...reduce, points: weekly([1]) }))).toBe(100);
  });

  it("uses the later of two observations on the latest date (input order)", () => {
    const points = [
      { date: "2025-01-20", value: 15 },
      { date: "2025-01-20", value: 13 },
      { date: "2025-01-13", value: 29 },
    ];
    // latest = 13: (13 − 10) / 20 = 15%
    expect(progressToTarget(goal({ points }))).toBe(15);
  });

  it("with G == B, holding the level is 100% and falling back is 0%", () => {
    expect(progressToTarget(goal({ targetValue: 10, points: weekly([10]) }))).toBe(100);
    expect(progressToTarget(goal({ targetValue: 10, points: weekly([9]) }))).toBe(0);
    expect(progressToTarget(goal({ targetValue: 10, direction: "decrease", points: weekly([9]) }))).toBe(100);
  });

  it("is null without data", () => {
    expect(progressToTarget(goal({ points: [] }))).toBeNull();
  });
});

describe("mastery", () => {
  const mastery = { threshold: 90, consecutiveSessions: 3 };

  it("needs the last N sessions all at or above the threshold", () => {
    expect(masteryMet(goal({ mastery, points: weekly([70, 92, 90, 95]) }))).toBe(true);
    expect(masteryMet(goal({ mastery, points: weekly([92, 95, 89, 95]) }))).toBe(false);
    expect(masteryMet(goal({ mastery, points: weekly([95, 95, 95, 80]) }))).toBe(false);
    expect(masteryMet(goal({ mastery, points: weekly([95, 95]) }))).toBe(false);
  });

  it("reads the last sessions by date, not input order", () => {
    const points = weekly([92, 90, 95, 60]);
    // the 60 is the latest by date even when given first
    expect(masteryMet(goal({ mastery, points: [points[3], points[0], points[1], points[2]] }))).toBe(false);
    const early = [{ ...points[3], date: "2024-12-30" }, points[0], points[1], points[2]];
    expect(masteryMet(goal({ mastery, points: [early[1], early[0], early[3], early[2]] }))).toBe(true);
  });

  it("inverts for behaviours to reduce", () => {
    const reduce = { baselineValue: 10, targetValue: 2, direction: "decrease" as const, mastery: { threshold: 2, consecutiveSessions: 3 } };
    expect(masteryMet(goal({ ...reduce, points: weekly([5, 2, 1, 0]) }))).toBe(true);
    expect(masteryMet(goal({ ...reduce, points: weekly([1, 3, 1, 0]) }))).toBe(false);
  });

  it("is false without criteria or with a nonsensical session count", () => {
    expect(masteryMet(goal({ points: weekly([100, 100, 100]) }))).toBe(false);
    expect(masteryMet(goal({ mastery: { threshold: 90, consecutiveSessions: 0 }, points: weekly([100]) }))).toBe(false);
  });

  it("'goal met' takes priority over every other verdict, even with little data", () => {
    const result = analyzeTrend(goal({ mastery, points: weekly([91, 93, 95]) }));
    expect(result.sufficientData).toBe(false);
    expect(result.decision).toBe("goal_met");
    // with sufficient data and an otherwise 'change instruction' picture
    // (aim 10 + 9x → last four all below, OLS 1.8 < 9: change_instruction without mastery)
    const points = weekly([10, 14, 11, 18, 16, 20]);
    expect(analyzeTrend(goal({ targetValue: 100, points })).decision).toBe("change_instruction");
    const flat = analyzeTrend(goal({ targetValue: 100, mastery: { threshold: 16, consecutiveSessions: 2 }, points }));
    expect(flat.decision).toBe("goal_met");
  });
});

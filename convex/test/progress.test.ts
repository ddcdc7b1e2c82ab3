// getGoalProgress returns the specification's shape with progressMath's TrendAnalysis; raw
// observations are never overwritten (corrections are linked new records); goals are archived,
// not edited, once data exist; mastery is computed from criteria (D13).
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { addDays } from "../model/dates";
import { analyzeTrend, progressToTarget } from "../model/progressMath";
import { as, buildWorld, outcome, type World } from "./world.testing";

const observation = (w: World, daysAgo: number, value: number) => ({
  recordedDate: addDays(w.today, -daysAgo),
  measurementValue: value,
  measurementUnit: "WCPM",
  masteryLevel: "developing" as const,
  settingType: "resource room",
  independenceLevel: "independent",
});

test("getGoalProgress: the spec's shape, with the trend analysis of progressMath.ts", async () => {
  const w = await buildWorld();
  const provider = as(w, "teamSpecialist");
  for (const [daysAgo, value] of [[15, 88], [10, 90], [5, 93]] as const) {
    await provider.mutation(api.progress.record, { goalId: w.activeGoal, ...observation(w, daysAgo, value) });
  }
  const result = await as(w, "student").query(api.progress.getGoalProgress, { goalId: w.activeGoal });
  expect(result).not.toBeNull();
  const values = result!.progressData.map((p) => p.measurementValue);
  expect(values).toEqual([70, 78, 85, 88, 90, 93]); // date order (index by_goal)
  const input = {
    baselineDate: addDays(w.today, -90),
    baselineValue: 60,
    targetDate: addDays(w.today, 270),
    targetValue: 110,
    direction: "increase" as const,
    points: result!.progressData.map((p) => ({ date: p.recordedDate, value: p.measurementValue })),
  };
  expect(result!.trendAnalysis).toEqual(analyzeTrend(input));
  expect(result!.trendAnalysis.dataPoints).toBe(6);
  expect(result!.summary).toMatchObject({ totalDataPoints: 6, progressToTarget: progressToTarget(input) });
  expect(result!.summary.latestMeasurement?.measurementValue).toBe(93);

  const ranged = await as(w, "parent").query(api.progress.getGoalProgress, {
    goalId: w.activeGoal,
    startDate: addDays(w.today, -45),
    endDate: addDays(w.today, -8),
  });
  expect(ranged!.progressData.map((p) => p.measurementValue)).toEqual([78, 85, 88, 90]);
});

test("a correction is a new linked record; the original is kept and replaced in the series", async () => {
  const w = await buildWorld();
  const provider = as(w, "teamSpecialist");
  const original = w.progress[1]; // 78, 40 days ago
  const correctionId = await provider.mutation(api.progress.correct, {
    progressId: original,
    reason: "Scored the wrong passage",
    ...observation(w, 40, 74),
  });
  const result = await provider.query(api.progress.getGoalProgress, { goalId: w.activeGoal });
  expect(result!.progressData.map((p) => p.measurementValue)).toEqual([70, 74, 85]);
  const stored = await w.t.run(async (ctx) => ctx.db.get("progressData", original));
  expect(stored?.measurementValue).toBe(78); // never overwritten
  const history = await provider.query(api.progress.getCorrectionHistory, { progressId: original });
  expect(history.map((h) => h._id)).toEqual([original, correctionId]);
  expect(
    await outcome(provider.mutation(api.progress.correct, { progressId: original, reason: "again", ...observation(w, 40, 75) })),
  ).toBe("CONFLICT");
});

test("a goal with data is revised (archived + linked successor), not edited", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  const args = {
    domain: "academic" as const,
    description: "Reads grade-level passages at 120 WCPM",
    baselineData: { measurement: "WCPM", date: addDays(w.today, -90), value: 60, context: "cold read" },
    targetCriteria: { measurement: "WCPM", target: 120, timeframe: "1 year", accuracy: "95%", conditions: "text" },
    direction: "increase" as const,
    evaluationMethod: "CBM",
    frequency: "weekly",
    responsibleProvider: w.users.teamSpecialist._id,
  };
  expect(await outcome(cm.mutation(api.goals.update, { goalId: w.activeGoal, ...args }))).toBe("CONFLICT");
  const successor = await cm.mutation(api.goals.revise, { goalId: w.activeGoal, ...args });
  const [old, next] = await w.t.run(async (ctx) => [await ctx.db.get("goals", w.activeGoal), await ctx.db.get("goals", successor)]);
  expect(old).toMatchObject({ isActive: false });
  expect(next).toMatchObject({ isActive: true, replacesGoalId: w.activeGoal, goalNumber: old!.goalNumber });
  expect(next?.targetDate).toBe(addDays(w.today, 270)); // D13: defaults to the IEP's expiration
  expect(
    await outcome(as(w, "teamSpecialist").mutation(api.progress.record, { goalId: w.activeGoal, ...observation(w, 1, 99) })),
  ).toBe("CONFLICT");
});

test("mastery with criteria is computed from the data (D13)", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  await w.t.run(async (ctx) => ctx.db.patch("goals", w.activeGoal, { masteryCriteria: { threshold: 100, consecutiveSessions: 2 } }));
  expect(await outcome(cm.mutation(api.goals.recordMastery, { goalId: w.activeGoal, masteryDate: w.today }))).toBe(
    "CONFLICT",
  );
  await cm.mutation(api.progress.record, { goalId: w.activeGoal, ...observation(w, 2, 101) });
  await cm.mutation(api.progress.record, { goalId: w.activeGoal, ...observation(w, 1, 104) });
  await cm.mutation(api.goals.recordMastery, { goalId: w.activeGoal, masteryDate: w.today });
  const goal = await w.t.run(async (ctx) => ctx.db.get("goals", w.activeGoal));
  expect(goal?.masteryDate).toBe(w.today);
  const analysis = await cm.query(api.progress.getGoalProgress, { goalId: w.activeGoal });
  expect(analysis!.trendAnalysis.decision).toBe("goal_met");
});

// Progress observations as the mathematics sees them. Raw observations are never overwritten
// (domain.md): a correction is a new record whose correctsId names the record it replaces, so the
// effective series is every record that no other record corrects.
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { GoalMathInput } from "./progressMath";

export interface DateRange {
  startDate?: string;
  endDate?: string;
}

/** A goal's effective observations in date order, within the optional range (D4: by index). */
export async function effectiveProgress(
  ctx: QueryCtx,
  goalId: Id<"goals">,
  range: DateRange = {},
): Promise<Doc<"progressData">[]> {
  const records = await ctx.db
    .query("progressData")
    .withIndex("by_goal", (q) => {
      const byGoal = q.eq("goalId", goalId);
      if (range.startDate !== undefined && range.endDate !== undefined) {
        return byGoal.gte("recordedDate", range.startDate).lte("recordedDate", range.endDate);
      }
      if (range.startDate !== undefined) return byGoal.gte("recordedDate", range.startDate);
      if (range.endDate !== undefined) return byGoal.lte("recordedDate", range.endDate);
      return byGoal;
    })
    .collect();
  if (range.startDate === undefined && range.endDate === undefined) {
    // The whole history: every correction is among `records` (progress.correct keeps the goal),
    // so the corrected ones are known without a lookup per observation.
    const corrected = new Set(records.flatMap((r) => (r.correctsId !== undefined ? [r.correctsId] : [])));
    return records.filter((r) => !corrected.has(r._id));
  }
  // A date range: a correction may carry a date outside it, so ask the index per observation.
  const effective: Doc<"progressData">[] = [];
  for (const record of records) {
    const correction = await ctx.db
      .query("progressData")
      .withIndex("by_corrects", (q) => q.eq("correctsId", record._id))
      .first();
    if (!correction) effective.push(record);
  }
  return effective;
}

/** The GoalMathInput of progressMath.ts for a goal (D13 fields; x in weeks since baseline). */
export function goalMathInput(goal: Doc<"goals">, records: Doc<"progressData">[]): GoalMathInput {
  return {
    baselineDate: goal.baselineData.date,
    baselineValue: goal.baselineData.value,
    targetDate: goal.targetDate,
    targetValue: goal.targetCriteria.target,
    direction: goal.direction,
    points: records.map((r) => ({ date: r.recordedDate, value: r.measurementValue })),
    ...(goal.masteryCriteria ? { mastery: goal.masteryCriteria } : {}),
  };
}

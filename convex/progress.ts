// Progress monitoring: the specification's getGoalProgress (D2) with the trend analysis of
// progressMath.ts, and recording and correcting observations — never overwriting them.
import { v } from "convex/values";
import { conflict, forbidden, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { canRecordProgress, requireStudentRead } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate, requireOptionalIsoDate, todayIso, addDays } from "./model/dates";
import { analyzeTrend, progressToTarget } from "./model/progressMath";
import { effectiveProgress, goalMathInput } from "./model/progressRecords";
import { masteryLevel } from "./model/validators";

/**
 * Spec: a goal's observations in a date range, the trend analysis (x in weeks since the baseline
 * date, progressMath.ts) and a summary. Corrected observations are replaced by their corrections.
 * Readers of the student's progress, the student included (D7). Null if the goal is gone.
 */
export const getGoalProgress = authedQuery({
  args: {
    goalId: v.id("goals"),
    startDate: v.optional(v.string()),
    endDate: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const goal = await ctx.db.get("goals", args.goalId);
    if (!goal) return null;
    const iep = await ctx.db.get("ieps", goal.iepId);
    if (!iep) return null;
    await requireStudentRead(ctx, ctx.user, iep.studentId, "progress");
    requireOptionalIsoDate(args.startDate, "Start date");
    requireOptionalIsoDate(args.endDate, "End date");
    const progressData = await effectiveProgress(ctx, goal._id, args);
    const input = goalMathInput(goal, progressData);
    return {
      goal,
      progressData,
      trendAnalysis: analyzeTrend(input),
      summary: {
        totalDataPoints: progressData.length,
        latestMeasurement: progressData.length > 0 ? progressData[progressData.length - 1] : null,
        progressToTarget: progressToTarget(input),
      },
    };
  },
});

const observation = {
  recordedDate: v.string(),
  measurementValue: v.number(),
  measurementUnit: v.string(),
  observationNotes: v.optional(v.string()),
  context: v.optional(v.string()),
  masteryLevel,
  sessionDuration: v.optional(v.number()),
  settingType: v.string(),
  promptLevel: v.optional(v.string()),
  independenceLevel: v.string(),
};

function validateObservation(args: { recordedDate: string; measurementValue: number; sessionDuration?: number }) {
  requireIsoDate(args.recordedDate, "Recorded date");
  // A day of slack for time zones ahead of UTC.
  if (args.recordedDate > addDays(todayIso(), 1)) invalid("Progress cannot be recorded for a future date.");
  if (!Number.isFinite(args.measurementValue)) invalid("The measurement must be a number.");
  if (args.sessionDuration !== undefined && !(args.sessionDuration >= 0)) {
    invalid("The session duration cannot be negative.");
  }
}

/** The goal's responsible provider on the team, the case manager or an admin (D7). */
export const record = authedMutation({
  args: { goalId: v.id("goals"), ...observation },
  returns: v.id("progressData"),
  handler: async (ctx, args) => {
    const goal = await ctx.db.get("goals", args.goalId);
    if (!goal) return notFound("The goal");
    const { relation } = await requireStudentRead(ctx, ctx.user, goal.studentId, "goals");
    if (!canRecordProgress(relation, ctx.user, goal)) {
      forbidden("Only the goal's responsible provider, the case manager or an administrator records progress.");
    }
    if (!goal.isActive) conflict("This goal is archived; record progress on the goal that replaced it.");
    validateObservation(args);
    const id = await ctx.db.insert("progressData", {
      ...args,
      studentId: goal.studentId,
      organizationId: goal.organizationId,
      recordedBy: ctx.user._id,
    });
    await writeAudit(ctx, {
      organizationId: goal.organizationId,
      studentId: goal.studentId,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "progressData",
      targetId: id,
    });
    return id;
  },
});

/**
 * Corrects an observation by a new, linked record (domain.md: never overwrite). The original stays
 * for the record; getGoalProgress shows the correction in its place. Same people as `record`.
 */
export const correct = authedMutation({
  args: { progressId: v.id("progressData"), reason: v.string(), ...observation },
  returns: v.id("progressData"),
  handler: async (ctx, args) => {
    const original = await ctx.db.get("progressData", args.progressId);
    if (!original) return notFound("The observation");
    const goal = await ctx.db.get("goals", original.goalId);
    if (!goal) return notFound("The goal");
    const { relation } = await requireStudentRead(ctx, ctx.user, goal.studentId, "goals");
    if (!canRecordProgress(relation, ctx.user, goal)) {
      forbidden("Only the goal's responsible provider, the case manager or an administrator corrects progress.");
    }
    if (!args.reason.trim()) invalid("Say why the observation is corrected.");
    const already = await ctx.db
      .query("progressData")
      .withIndex("by_corrects", (q) => q.eq("correctsId", original._id))
      .first();
    if (already) conflict("This observation was already corrected; correct the latest correction instead.");
    validateObservation(args);
    const { progressId, reason, ...fields } = args;
    const id = await ctx.db.insert("progressData", {
      ...fields,
      goalId: original.goalId,
      studentId: original.studentId,
      organizationId: original.organizationId,
      recordedBy: ctx.user._id,
      correctsId: progressId,
      correctionReason: reason.trim(),
    });
    await writeAudit(ctx, {
      organizationId: original.organizationId,
      studentId: original.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "progressData",
      targetId: id,
      details: `corrects ${progressId}: ${reason.trim()}`,
    });
    return id;
  },
});

/** Readers of progress: the whole history of one observation (original and corrections). */
export const getCorrectionHistory = authedQuery({
  args: { progressId: v.id("progressData") },
  handler: async (ctx, args) => {
    const record = await ctx.db.get("progressData", args.progressId);
    if (!record) return notFound("The observation");
    await requireStudentRead(ctx, ctx.user, record.studentId, "progress");
    const chain = [record];
    for (let current = record; ; ) {
      const next = await ctx.db
        .query("progressData")
        .withIndex("by_corrects", (q) => q.eq("correctsId", current._id))
        .first();
      if (!next) break;
      chain.push(next);
      current = next;
    }
    return chain;
  },
});

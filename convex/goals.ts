// Goals (D13): create and edit on an IEP being written; once data exists, a change archives the
// old goal and creates a linked new one (domain.md: graphs show phase changes); mastery is
// computed from the structured criteria, not guessed.
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { QueryCtx } from "./_generated/server";
import { conflict, forbidden, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery, type AuthedMutationCtx } from "./lib/functions";
import { canEditIep, canRecordProgress, requireStudentRead } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate, requireOptionalIsoDate } from "./model/dates";
import { voidApprovalsAfterChange } from "./model/iepContent";
import { effectiveProgress, goalMathInput } from "./model/progressRecords";
import { masteryMet } from "./model/progressMath";
import { goalDomain } from "./model/validators";

const goalFields = {
  domain: goalDomain,
  description: v.string(),
  baselineData: v.object({
    measurement: v.string(),
    date: v.string(),
    value: v.number(),
    context: v.string(),
  }),
  targetCriteria: v.object({
    measurement: v.string(),
    target: v.number(),
    timeframe: v.string(),
    accuracy: v.string(),
    conditions: v.string(),
  }),
  direction: v.union(v.literal("increase"), v.literal("decrease")),
  targetDate: v.optional(v.string()), // D13: defaults to the IEP's expiration date
  masteryCriteria: v.optional(v.object({ threshold: v.number(), consecutiveSessions: v.number() })),
  evaluationMethod: v.string(),
  frequency: v.string(),
  responsibleProvider: v.id("users"),
  notes: v.optional(v.string()),
};

interface GoalInput {
  baselineData: { date: string };
  targetDate?: string;
  masteryCriteria?: { threshold: number; consecutiveSessions: number };
  description: string;
  responsibleProvider: Id<"users">;
}

async function validateGoal(ctx: QueryCtx, iep: Doc<"ieps">, input: GoalInput) {
  if (!input.description.trim()) invalid("Describe the goal.");
  requireIsoDate(input.baselineData.date, "Baseline date");
  const targetDate = requireOptionalIsoDate(input.targetDate, "Target date") ?? iep.expirationDate;
  if (targetDate <= input.baselineData.date) invalid("The target date must be after the baseline date.");
  if (input.masteryCriteria) {
    const { consecutiveSessions } = input.masteryCriteria;
    if (!Number.isInteger(consecutiveSessions) || consecutiveSessions < 1) {
      invalid("Mastery needs a whole number of consecutive sessions, at least 1.");
    }
  }
  const provider = await ctx.db.get("users", input.responsibleProvider);
  if (!provider || provider.organizationId !== iep.organizationId || !provider.isActive) {
    notFound("The responsible provider");
  }
  if (provider!.role !== "teacher" && provider!.role !== "specialist") {
    invalid("The responsible provider must be a teacher or a specialist.");
  }
  return targetDate;
}

/** Loads a goal, its IEP, and the caller's relation, refusing readers of nothing. */
async function loadGoal(ctx: AuthedMutationCtx, goalId: Id<"goals">) {
  const goal = await ctx.db.get("goals", goalId);
  if (!goal) return notFound("The goal");
  const iep = await ctx.db.get("ieps", goal.iepId);
  if (!iep) return notFound("The goal's IEP");
  const { student, relation } = await requireStudentRead(ctx, ctx.user, goal.studentId, "goals");
  return { goal, iep, student, relation };
}

async function hasProgress(ctx: QueryCtx, goalId: Id<"goals">) {
  return (
    (await ctx.db
      .query("progressData")
      .withIndex("by_goal", (q) => q.eq("goalId", goalId))
      .first()) !== null
  );
}

/** Readers of the student's goals (students included, D7): active goals, or all with archived. */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students"), includeArchived: v.optional(v.boolean()) },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "goals");
    if (args.includeArchived) {
      return await ctx.db
        .query("goals")
        .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
        .collect();
    }
    return await ctx.db
      .query("goals")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId).eq("isActive", true))
      .collect();
  },
});

/** Editors of a draft or in-review IEP (D7) add a goal; the IEP's approvals are voided (D11). */
export const create = authedMutation({
  args: { iepId: v.id("ieps"), ...goalFields },
  returns: v.id("goals"),
  handler: async (ctx, args) => {
    const iep = await ctx.db.get("ieps", args.iepId);
    if (!iep) return notFound("The IEP");
    const { relation } = await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
    if (!canEditIep(relation, ctx.user, iep)) forbidden("Only editors of this IEP can add goals.");
    if (iep.status !== "draft" && iep.status !== "in_review") {
      conflict(`Goals are added while an IEP is written; this one is ${iep.status}. Amend it instead.`);
    }
    const targetDate = await validateGoal(ctx, iep, args);
    const existing = await ctx.db
      .query("goals")
      .withIndex("by_iep", (q) => q.eq("iepId", iep._id))
      .collect();
    const goalNumber = existing.reduce((max, g) => Math.max(max, g.goalNumber), 0) + 1;
    const { iepId, ...fields } = args;
    const goalId = await ctx.db.insert("goals", {
      ...fields,
      iepId,
      studentId: iep.studentId,
      organizationId: iep.organizationId,
      goalNumber,
      targetDate,
      isActive: true,
    });
    await voidApprovalsAfterChange(ctx, iep);
    await writeAudit(ctx, {
      organizationId: iep.organizationId,
      studentId: iep.studentId,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "goals",
      targetId: goalId,
    });
    return goalId;
  },
});

/** Editors: change a goal in place while its IEP is written and no data was recorded on it. */
export const update = authedMutation({
  args: { goalId: v.id("goals"), ...goalFields },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { goal, iep, relation } = await loadGoal(ctx, args.goalId);
    if (!canEditIep(relation, ctx.user, iep)) forbidden("Only editors of this IEP can change its goals.");
    if ((iep.status !== "draft" && iep.status !== "in_review") || !goal.isActive) {
      conflict("This goal is in effect or archived; revise it instead (the old goal is kept).");
    }
    if (await hasProgress(ctx, goal._id)) {
      conflict("Progress was recorded on this goal; revise it instead so graphs show the change.");
    }
    const targetDate = await validateGoal(ctx, iep, args);
    const { goalId, ...fields } = args;
    await ctx.db.replace("goals", goalId, {
      ...fields,
      iepId: goal.iepId,
      studentId: goal.studentId,
      organizationId: goal.organizationId,
      goalNumber: goal.goalNumber,
      targetDate,
      isActive: true,
      ...(goal.replacesGoalId ? { replacesGoalId: goal.replacesGoalId } : {}),
    });
    await voidApprovalsAfterChange(ctx, iep);
    await writeAudit(ctx, {
      organizationId: goal.organizationId,
      studentId: goal.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "goals",
      targetId: goalId,
    });
    return null;
  },
});

/** Editors: archive the goal and create its successor, linked, under the same number. */
export const revise = authedMutation({
  args: { goalId: v.id("goals"), ...goalFields },
  returns: v.id("goals"),
  handler: async (ctx, args) => {
    const { goal, iep, relation } = await loadGoal(ctx, args.goalId);
    if (!canEditIep(relation, ctx.user, iep)) forbidden("Only editors of this IEP can revise its goals.");
    if (!goal.isActive) conflict("This goal is already archived.");
    if (iep.status === "expired" || iep.status === "superseded") conflict(`This IEP is ${iep.status}.`);
    const targetDate = await validateGoal(ctx, iep, args);
    const { goalId, ...fields } = args;
    await ctx.db.patch("goals", goalId, { isActive: false, archivedAt: Date.now() });
    const newId = await ctx.db.insert("goals", {
      ...fields,
      iepId: goal.iepId,
      studentId: goal.studentId,
      organizationId: goal.organizationId,
      goalNumber: goal.goalNumber,
      targetDate,
      isActive: true,
      replacesGoalId: goal._id,
    });
    if (iep.status !== "active") await voidApprovalsAfterChange(ctx, iep);
    await writeAudit(ctx, {
      organizationId: goal.organizationId,
      studentId: goal.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "goals",
      targetId: newId,
      details: `revises ${goal._id}`,
    });
    return newId;
  },
});

/** Editors: archive a goal (kept with its data). */
export const archive = authedMutation({
  args: { goalId: v.id("goals"), reason: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { goal, iep, relation } = await loadGoal(ctx, args.goalId);
    if (!canEditIep(relation, ctx.user, iep)) forbidden("Only editors of this IEP can archive its goals.");
    if (!goal.isActive) return null;
    await ctx.db.patch("goals", goal._id, {
      isActive: false,
      archivedAt: Date.now(),
      ...(args.reason ? { notes: [goal.notes, `Archived: ${args.reason}`].filter(Boolean).join("\n") } : {}),
    });
    if (iep.status === "draft" || iep.status === "in_review") await voidApprovalsAfterChange(ctx, iep);
    await writeAudit(ctx, {
      organizationId: goal.organizationId,
      studentId: goal.studentId,
      actorId: ctx.user._id,
      action: "status_change",
      targetTable: "goals",
      targetId: goal._id,
      details: args.reason ? `archived: ${args.reason}` : "archived",
    });
    return null;
  },
});

/**
 * Those who record progress on the goal (D7) mark it mastered. With structured criteria (D13) the
 * data must meet them; without, the team's judgement is recorded as given.
 */
export const recordMastery = authedMutation({
  args: { goalId: v.id("goals"), masteryDate: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { goal, relation } = await loadGoal(ctx, args.goalId);
    if (!canRecordProgress(relation, ctx.user, goal)) {
      forbidden("Only the goal's provider, the case manager or an administrator can record mastery.");
    }
    requireIsoDate(args.masteryDate, "Mastery date");
    if (goal.masteryCriteria) {
      const points = await effectiveProgress(ctx, goal._id);
      const upTo = points.filter((p) => p.recordedDate <= args.masteryDate);
      if (!masteryMet(goalMathInput(goal, upTo))) {
        conflict(
          `The data do not yet meet the mastery criteria (${goal.masteryCriteria.threshold} in ` +
            `${goal.masteryCriteria.consecutiveSessions} consecutive sessions).`,
        );
      }
    }
    await ctx.db.patch("goals", goal._id, { masteryDate: args.masteryDate });
    await writeAudit(ctx, {
      organizationId: goal.organizationId,
      studentId: goal.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "goals",
      targetId: goal._id,
      details: `mastered ${args.masteryDate}`,
    });
    return null;
  },
});

// Evaluations (domain.md: the initial-evaluation, initial-IEP and reevaluation clocks start here).
import { v } from "convex/values";
import { invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireStudentRead, requireStudentWrite } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireOptionalIsoDate } from "./model/dates";

const evaluationDates = {
  consentDate: v.optional(v.string()),
  completedDate: v.optional(v.string()),
  eligibilityDate: v.optional(v.string()),
};

function validateDates(d: { consentDate?: string; completedDate?: string; eligibilityDate?: string }) {
  requireOptionalIsoDate(d.consentDate, "Consent date");
  requireOptionalIsoDate(d.completedDate, "Completion date");
  requireOptionalIsoDate(d.eligibilityDate, "Eligibility date");
  if (d.consentDate && d.completedDate && d.completedDate < d.consentDate) {
    invalid("An evaluation cannot be completed before consent was given.");
  }
}

/** Staff who work with the student, and parents: the student's evaluations. */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "profile");
    return await ctx.db
      .query("evaluations")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .collect();
  },
});

/** Admin or case manager: open an initial evaluation or a reevaluation. */
export const create = authedMutation({
  args: {
    studentId: v.id("students"),
    kind: v.union(v.literal("initial"), v.literal("reevaluation")),
    ...evaluationDates,
    notes: v.optional(v.string()),
  },
  returns: v.id("evaluations"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "manageEvaluations");
    validateDates(args);
    const id = await ctx.db.insert("evaluations", {
      ...args,
      organizationId: student.organizationId,
      waived: false,
      createdBy: ctx.user._id,
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "evaluations",
      targetId: id,
      details: args.kind,
    });
    return id;
  },
});

/** Admin or case manager: completion, eligibility, or a reevaluation waived by agreement (300.303(b)). */
export const update = authedMutation({
  args: { evaluationId: v.id("evaluations"), ...evaluationDates, waived: v.optional(v.boolean()), notes: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const evaluation = await ctx.db.get("evaluations", args.evaluationId);
    if (!evaluation) return notFound("The evaluation");
    await requireStudentWrite(ctx, ctx.user, evaluation.studentId, "manageEvaluations");
    const { evaluationId, ...fields } = args;
    validateDates({ ...evaluation, ...fields });
    if (fields.waived && evaluation.kind !== "reevaluation") invalid("Only a reevaluation can be waived.");
    await ctx.db.patch("evaluations", evaluationId, fields);
    await writeAudit(ctx, {
      organizationId: evaluation.organizationId,
      studentId: evaluation.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "evaluations",
      targetId: evaluationId,
      details: Object.keys(fields).join(", "),
    });
    return null;
  },
});

/** A parent holding educational rights gives consent (or staff record a paper consent). */
export const recordConsent = authedMutation({
  args: { evaluationId: v.id("evaluations"), consentDate: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const evaluation = await ctx.db.get("evaluations", args.evaluationId);
    if (!evaluation) return notFound("The evaluation");
    // canWrite("recordConsent") admits a guardian only when they hold the educational rights.
    await requireStudentWrite(ctx, ctx.user, evaluation.studentId, "recordConsent");
    validateDates({ ...evaluation, consentDate: args.consentDate });
    await ctx.db.patch("evaluations", evaluation._id, { consentDate: args.consentDate });
    await writeAudit(ctx, {
      organizationId: evaluation.organizationId,
      studentId: evaluation.studentId,
      actorId: ctx.user._id,
      action: "signature",
      targetTable: "evaluations",
      targetId: evaluation._id,
      details: `consent ${args.consentDate}`,
    });
    return null;
  },
});

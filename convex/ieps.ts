// IEPs: the specification's getActiveIEP, getIEPWithGoals and createIEP (D2, D9), and the
// lifecycle of D10/D11: edit a draft, submit for review, approve with a signature bound to the
// content, activation superseding the previous IEP, amendment, and the daily expiry job.
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { internal } from "./_generated/api";
import { internalMutation, type QueryCtx } from "./_generated/server";
import { conflict, forbidden, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery, type AuthedQueryCtx } from "./lib/functions";
import {
  canEditIep,
  relationToStudent,
  requireStudentRead,
  requireStudentWrite,
  signerRoleFor,
  type Relation,
} from "./model/access";
import { writeAudit } from "./model/audit";
import { todayIso } from "./model/dates";
import { computeIepContentHash, voidApprovalsAfterChange } from "./model/iepContent";
import {
  activateIep,
  expireIep,
  findActiveIep,
  hasRequiredApprovals,
  nextVersion,
  validateIepDates,
} from "./model/iepLifecycle";
import { accommodation, modification, serviceHours, transitionPlan } from "./model/validators";

const EDITABLE: ReadonlySet<Doc<"ieps">["status"]> = new Set(["draft", "in_review"]);

async function reviewCycleDays(ctx: QueryCtx, organizationId: Id<"organizations">) {
  const organization = await ctx.db.get("organizations", organizationId);
  if (!organization) return notFound("The organization");
  return organization.settings.complianceSettings.iepReviewCycle;
}

/** Loads an IEP the caller may edit: draft or in review, and canEditIep (D7). */
async function loadEditableIep(ctx: AuthedQueryCtx, iepId: Id<"ieps">) {
  const iep = await ctx.db.get("ieps", iepId);
  if (!iep) return notFound("The IEP");
  const { student, relation } = await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
  if (!canEditIep(relation, ctx.user, iep)) {
    forbidden("Only the case manager, an administrator or a member of this IEP's team can edit it.");
  }
  if (!EDITABLE.has(iep.status)) {
    conflict(`This IEP is ${iep.status}; change an active IEP by amending it.`);
  }
  return { iep, student, relation };
}

/** Spec: the student's IEP in effect, or null. Readers of the student's IEPs. */
export const getActiveIEP = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "ieps");
    return await findActiveIep(ctx, args.studentId);
  },
});

/** Spec: an IEP with its goals (archived ones included, for phase changes), or null. */
export const getIEPWithGoals = authedQuery({
  args: { iepId: v.id("ieps") },
  handler: async (ctx, args) => {
    const iep = await ctx.db.get("ieps", args.iepId);
    if (!iep) return null;
    await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
    const goals = await ctx.db
      .query("goals")
      .withIndex("by_iep", (q) => q.eq("iepId", args.iepId))
      .collect();
    return { ...iep, goals };
  },
});

/** Readers of the student's IEPs: every version, newest first. */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "ieps");
    return await ctx.db
      .query("ieps")
      .withIndex("by_student_version", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .collect();
  },
});

/** Readers: the SHA-256 a signature would bind to now (D11), for the signing screen. */
export const getContentHash = authedQuery({
  args: { iepId: v.id("ieps") },
  returns: v.string(),
  handler: async (ctx, args) => {
    const iep = await ctx.db.get("ieps", args.iepId);
    if (!iep) return notFound("The IEP");
    await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
    return await computeIepContentHash(ctx, iep);
  },
});

/**
 * Spec (D9, D10): starts a draft. The active IEP stays in effect until the draft is approved.
 * Admin, the case manager, or a member of the student's team; the student must be enrolled.
 */
export const createIEP = authedMutation({
  args: {
    studentId: v.id("students"),
    effectiveDate: v.string(),
    expirationDate: v.string(),
    meetingDate: v.string(),
    placement: v.string(),
    serviceHours,
  },
  returns: v.id("ieps"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "createIep");
    if (student.enrollmentStatus !== "active") {
      invalid("The student is not enrolled; re-enrol them before starting an IEP.");
    }
    const cycle = await reviewCycleDays(ctx, student.organizationId);
    const nextReviewDate = validateIepDates(args, cycle);
    const teamMembers = [ctx.user._id];
    if (student.caseManagerId !== ctx.user._id) teamMembers.push(student.caseManagerId);
    const iepId = await ctx.db.insert("ieps", {
      studentId: student._id,
      organizationId: student.organizationId,
      effectiveDate: args.effectiveDate,
      expirationDate: args.expirationDate,
      meetingDate: args.meetingDate,
      nextReviewDate,
      placement: args.placement,
      serviceHours: args.serviceHours,
      accommodations: [],
      modifications: [],
      status: "draft",
      version: await nextVersion(ctx, student._id),
      createdBy: ctx.user._id,
      teamMembers,
      approvals: [],
    });
    if (student.iepStatus !== "active") await ctx.db.patch("students", student._id, { iepStatus: "pending" });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "ieps",
      targetId: iepId,
    });
    return iepId;
  },
});

async function requireParticipants(
  ctx: AuthedQueryCtx,
  student: Doc<"students">,
  userIds: Id<"users">[],
) {
  for (const userId of userIds) {
    const member = await ctx.db.get("users", userId);
    if (!member || member.organizationId !== student.organizationId) return notFound("A team member");
    const relation: Relation = await relationToStudent(ctx, member, student);
    if (relation.kind === "none" || relation.kind === "self") {
      invalid(`${member.firstName} ${member.lastName} is not on this student's team; add them to the team first.`);
    }
  }
}

/** Editors (D7): change a draft's sections. A change voids approvals and returns it to draft (D11). */
export const updateDraft = authedMutation({
  args: {
    iepId: v.id("ieps"),
    effectiveDate: v.optional(v.string()),
    expirationDate: v.optional(v.string()),
    meetingDate: v.optional(v.string()),
    placement: v.optional(v.string()),
    serviceHours: v.optional(serviceHours),
    accommodations: v.optional(v.array(accommodation)),
    modifications: v.optional(v.array(modification)),
    // null removes the plan.
    transitionPlan: v.optional(v.union(transitionPlan, v.null())),
    teamMembers: v.optional(v.array(v.id("users"))),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { iep, student } = await loadEditableIep(ctx, args.iepId);
    const { iepId, transitionPlan: plan, ...fields } = args;
    const dates = {
      effectiveDate: fields.effectiveDate ?? iep.effectiveDate,
      expirationDate: fields.expirationDate ?? iep.expirationDate,
      meetingDate: fields.meetingDate ?? iep.meetingDate,
    };
    const nextReviewDate = validateIepDates(dates, await reviewCycleDays(ctx, iep.organizationId));
    if (fields.teamMembers !== undefined) await requireParticipants(ctx, student, fields.teamMembers);
    const patch: Partial<Doc<"ieps">> = { ...dates, nextReviewDate };
    if (fields.placement !== undefined) patch.placement = fields.placement;
    if (fields.serviceHours !== undefined) patch.serviceHours = fields.serviceHours;
    if (fields.accommodations !== undefined) patch.accommodations = fields.accommodations;
    if (fields.modifications !== undefined) patch.modifications = fields.modifications;
    if (fields.teamMembers !== undefined) patch.teamMembers = [...new Set(fields.teamMembers)];
    if (plan !== undefined) patch.transitionPlan = plan ?? undefined;
    await ctx.db.patch("ieps", iepId, patch);
    await voidApprovalsAfterChange(ctx, iep);
    await writeAudit(ctx, {
      organizationId: iep.organizationId,
      studentId: iep.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "ieps",
      targetId: iepId,
      details: Object.keys(args).filter((k) => k !== "iepId").join(", "),
    });
    return null;
  },
});

/** Editors: a complete draft goes to the team for signatures (draft → in_review, D10). */
export const submitForReview = authedMutation({
  args: { iepId: v.id("ieps") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { iep } = await loadEditableIep(ctx, args.iepId);
    if (iep.status !== "draft") conflict("This IEP is already in review.");
    const goals = await ctx.db
      .query("goals")
      .withIndex("by_iep", (q) => q.eq("iepId", iep._id))
      .collect();
    if (!goals.some((g) => g.isActive)) invalid("An IEP needs at least one measurable annual goal before review (300.320(a)(2)).");
    await ctx.db.patch("ieps", iep._id, { status: "in_review" });
    await writeAudit(ctx, {
      organizationId: iep.organizationId,
      studentId: iep.studentId,
      actorId: ctx.user._id,
      action: "status_change",
      targetTable: "ieps",
      targetId: iep._id,
      details: "draft → in_review",
    });
    return null;
  },
});

function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * The case manager, an admin (district representative) or a parent holding educational rights
 * signs an IEP in review (D10, D11). The signature is the signer's typed full name; the approval
 * binds to the content's SHA-256 — pass the hash the signer saw as `contentHash` and a change
 * made meanwhile is refused. When all three have signed, the IEP becomes active.
 */
export const approve = authedMutation({
  args: { iepId: v.id("ieps"), signature: v.string(), contentHash: v.optional(v.string()) },
  returns: v.object({ status: v.string(), contentHash: v.string() }),
  handler: async (ctx, args) => {
    const iep = await ctx.db.get("ieps", args.iepId);
    if (!iep) return notFound("The IEP");
    const { relation } = await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
    const role = signerRoleFor(relation);
    if (!role) {
      forbidden("Only the case manager, an administrator or a parent with educational rights signs an IEP.");
    }
    if (iep.status !== "in_review") conflict("Only an IEP in review can be signed.");
    const expected = normalizeName(`${ctx.user.firstName} ${ctx.user.lastName}`);
    if (normalizeName(args.signature) !== expected) {
      invalid(`Type your full name, ${ctx.user.firstName} ${ctx.user.lastName}, to sign.`);
    }
    const contentHash = await computeIepContentHash(ctx, iep);
    if (args.contentHash !== undefined && args.contentHash !== contentHash) {
      conflict("The IEP changed after you opened it. Review the current version before signing.");
    }
    if (iep.approvals.some((a) => a.role === role)) conflict("This IEP already carries that signature.");
    const approvals = [
      ...iep.approvals,
      { userId: ctx.user._id, role: role!, approvedAt: Date.now(), signature: args.signature.trim(), contentHash },
    ];
    await ctx.db.patch("ieps", iep._id, { approvals });
    await writeAudit(ctx, {
      organizationId: iep.organizationId,
      studentId: iep.studentId,
      actorId: ctx.user._id,
      action: "signature",
      targetTable: "ieps",
      targetId: iep._id,
      details: `${role} sha256:${contentHash}`,
    });
    const signed = { ...iep, approvals };
    if (hasRequiredApprovals(signed)) {
      await activateIep(ctx, signed, ctx.user._id);
      return { status: "active", contentHash };
    }
    return { status: iep.status, contentHash };
  },
});

/** D10: an amendment is a new draft version copied from the active IEP, goals included. */
export const amend = authedMutation({
  args: { iepId: v.id("ieps") },
  returns: v.id("ieps"),
  handler: async (ctx, args) => {
    const active = await ctx.db.get("ieps", args.iepId);
    if (!active) return notFound("The IEP");
    const { relation } = await requireStudentWrite(ctx, ctx.user, active.studentId, "createIep");
    if (!canEditIep(relation, ctx.user, active)) {
      forbidden("Only the case manager, an administrator or a member of this IEP's team can amend it.");
    }
    if (active.status !== "active") conflict("Only the IEP in effect can be amended.");
    const copy = {
      studentId: active.studentId,
      organizationId: active.organizationId,
      effectiveDate: active.effectiveDate,
      expirationDate: active.expirationDate,
      meetingDate: active.meetingDate,
      nextReviewDate: active.nextReviewDate,
      placement: active.placement,
      serviceHours: active.serviceHours,
      accommodations: active.accommodations,
      modifications: active.modifications,
      ...(active.transitionPlan ? { transitionPlan: active.transitionPlan } : {}),
      teamMembers: active.teamMembers,
    };
    const amendmentId = await ctx.db.insert("ieps", {
      ...copy,
      status: "draft",
      version: await nextVersion(ctx, active.studentId),
      createdBy: ctx.user._id,
      approvals: [],
      amendsIepId: active._id,
    });
    const goals = await ctx.db
      .query("goals")
      .withIndex("by_iep", (q) => q.eq("iepId", active._id))
      .collect();
    for (const goal of goals.filter((g) => g.isActive)) {
      const { _id, _creationTime, ...fields } = goal;
      await ctx.db.insert("goals", { ...fields, iepId: amendmentId });
    }
    await writeAudit(ctx, {
      organizationId: active.organizationId,
      studentId: active.studentId,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "ieps",
      targetId: amendmentId,
      details: `amendment of version ${active.version}`,
    });
    return amendmentId;
  },
});

const EXPIRY_BATCH = 200;

/** D10: the daily job — active IEPs past their expiration date become expired. */
export const expireOverdue = internalMutation({
  args: { today: v.optional(v.string()) },
  returns: v.number(),
  handler: async (ctx, args) => {
    const today = args.today ?? todayIso();
    const due = await ctx.db
      .query("ieps")
      .withIndex("by_status", (q) => q.eq("status", "active").lt("expirationDate", today))
      .take(EXPIRY_BATCH);
    for (const iep of due) await expireIep(ctx, iep);
    if (due.length === EXPIRY_BATCH) {
      await ctx.scheduler.runAfter(0, internal.ieps.expireOverdue, { today });
    }
    return due.length;
  },
});

// Parent records requests (300.613, FERPA 99.10): due before any IEP meeting and within 45 days.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { conflict, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireStudentRead, requireStudentWrite } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate, todayIso } from "./model/dates";

/** Readers of the profile (staff who work with the student, parents). */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "profile");
    return await ctx.db
      .query("recordsRequests")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .paginate(args.paginationOpts);
  },
});

/** A parent (or the case manager or an admin on their behalf) asks to inspect the records. */
export const create = authedMutation({
  args: { studentId: v.id("students"), description: v.string(), requestedDate: v.optional(v.string()) },
  returns: v.id("recordsRequests"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "requestRecords");
    if (!args.description.trim()) invalid("Say which records are requested.");
    const requestedDate = args.requestedDate ? requireIsoDate(args.requestedDate, "Request date") : todayIso();
    const id = await ctx.db.insert("recordsRequests", {
      studentId: student._id,
      organizationId: student.organizationId,
      requestedBy: ctx.user._id,
      requestedDate,
      description: args.description.trim(),
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "recordsRequests",
      targetId: id,
    });
    return id;
  },
});

/** Admin or case manager: the records were provided (recorded as a disclosure to the parent). */
export const fulfill = authedMutation({
  args: { requestId: v.id("recordsRequests"), fulfilledDate: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const request = await ctx.db.get("recordsRequests", args.requestId);
    if (!request) return notFound("The records request");
    await requireStudentWrite(ctx, ctx.user, request.studentId, "fulfillRecordsRequest");
    requireIsoDate(args.fulfilledDate, "Fulfilled date");
    if (request.fulfilledDate) conflict("This request was already fulfilled.");
    if (args.fulfilledDate < request.requestedDate) invalid("A request cannot be fulfilled before it was made.");
    await ctx.db.patch("recordsRequests", request._id, { fulfilledDate: args.fulfilledDate });
    await writeAudit(ctx, {
      organizationId: request.organizationId,
      studentId: request.studentId,
      actorId: ctx.user._id,
      action: "disclosure",
      targetTable: "recordsRequests",
      targetId: request._id,
      details: `records provided to the requesting parent ${args.fulfilledDate}`,
    });
    return null;
  },
});

// Progress reports to parents, due at each reporting-period end (300.320(a)(3)(ii), D8).
import { v } from "convex/values";
import { conflict, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireStudentRead, requireStudentWrite } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate } from "./model/dates";
import { findActiveIep } from "./model/iepLifecycle";

/** Readers of the student's progress except the student: the reports issued. */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "ieps");
    return await ctx.db
      .query("progressReports")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .collect();
  },
});

/** Admin or case manager: a report on the active IEP's goals was issued (D16: recorded). */
export const issue = authedMutation({
  args: { studentId: v.id("students"), reportDate: v.string(), storageId: v.optional(v.id("_storage")) },
  returns: v.id("progressReports"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "issueProgressReport");
    requireIsoDate(args.reportDate, "Report date");
    const iep = await findActiveIep(ctx, student._id);
    if (!iep) conflict("The student has no IEP in effect to report on.");
    if (args.storageId !== undefined && !(await ctx.db.system.get("_storage", args.storageId))) {
      notFound("The report file");
    }
    const id = await ctx.db.insert("progressReports", {
      studentId: student._id,
      organizationId: student.organizationId,
      iepId: iep!._id,
      reportDate: args.reportDate,
      issuedBy: ctx.user._id,
      ...(args.storageId !== undefined ? { storageId: args.storageId } : {}),
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "report",
      targetTable: "progressReports",
      targetId: id,
    });
    return id;
  },
});

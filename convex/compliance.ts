// The compliance dashboard (domain.md): every IDEA clock per student, for one student, for a case
// manager's caseload and for a whole organization, a page at a time, each row with its worst
// status (overdue / due within 30 days / due within 60 days / on track).
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { forbidden, notFound } from "./lib/errors";
import { authedQuery } from "./lib/functions";
import { requireAdmin, requireStaff, requireStudentRead } from "./model/access";
import { complianceRowFor, countByStatus } from "./model/complianceInput";

/** Staff who work with the student: every clock of one student. */
export const getStudentClocks = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    const { student } = await requireStudentRead(ctx, ctx.user, args.studentId, "compliance");
    const organization = await ctx.db.get("organizations", student.organizationId);
    if (!organization) return notFound("The organization");
    return await complianceRowFor(ctx, student, organization);
  },
});

/** A teacher's or specialist's own caseload; an admin may name any case manager of theirs. */
export const caseloadDashboard = authedQuery({
  args: { paginationOpts: paginationOptsValidator, caseManagerId: v.optional(v.id("users")) },
  handler: async (ctx, args) => {
    requireStaff(ctx.user);
    const caseManagerId = args.caseManagerId ?? ctx.user._id;
    if (caseManagerId !== ctx.user._id) {
      requireAdmin(ctx.user);
      const manager = await ctx.db.get("users", caseManagerId);
      if (!manager || manager.organizationId !== ctx.user.organizationId) return notFound("The case manager");
    }
    const organization = await ctx.db.get("organizations", ctx.user.organizationId);
    if (!organization) return notFound("Your organization");
    const page = await ctx.db
      .query("students")
      .withIndex("by_case_manager", (q) => q.eq("caseManagerId", caseManagerId))
      .paginate(args.paginationOpts);
    const rows = [];
    for (const student of page.page) {
      if (student.organizationId !== organization._id) continue;
      if (student.enrollmentStatus !== "active") continue;
      rows.push(await complianceRowFor(ctx, student, organization));
    }
    return { ...page, page: rows, counts: countByStatus(rows) };
  },
});

/** Admin: every enrolled student of the organization, a page at a time. */
export const organizationDashboard = authedQuery({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const organization = await ctx.db.get("organizations", ctx.user.organizationId);
    if (!organization) return forbidden("Your organization is not available.");
    const page = await ctx.db
      .query("students")
      .withIndex("by_status", (q) => q.eq("organizationId", organization._id).eq("enrollmentStatus", "active"))
      .paginate(args.paginationOpts);
    const rows = [];
    for (const student of page.page) rows.push(await complianceRowFor(ctx, student, organization));
    return { ...page, page: rows, counts: countByStatus(rows) };
  },
});

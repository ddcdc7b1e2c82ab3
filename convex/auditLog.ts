// D16 readers: a student's access log (admins, the case manager, and the student's parents —
// FERPA lets parents see who accessed their child's records) and the organization's log (admins).
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { authedQuery } from "./lib/functions";
import { requireAdmin, requireStudentRead } from "./model/access";

export const listForStudent = authedQuery({
  args: { studentId: v.id("students"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "auditLog");
    return await ctx.db
      .query("auditLog")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .paginate(args.paginationOpts);
  },
});

export const listForOrganization = authedQuery({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    return await ctx.db
      .query("auditLog")
      .withIndex("by_organization", (q) => q.eq("organizationId", ctx.user.organizationId))
      .order("desc")
      .paginate(args.paginationOpts);
  },
});

// D16 / FERPA 99.32: the ledger of disclosures of a student's records to parties outside the
// school — who, when, why — kept as long as the record and readable by the student's parents.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { invalid } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireStudentRead, requireStudentWrite } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate } from "./model/dates";

/** Admin, case manager, parents of the student. */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    await requireStudentRead(ctx, ctx.user, args.studentId, "disclosures");
    return await ctx.db
      .query("disclosures")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .paginate(args.paginationOpts);
  },
});

/** Admin or case manager: record a disclosure (and its audit entry, in the same transaction). */
export const record = authedMutation({
  args: {
    studentId: v.id("students"),
    recipient: v.string(),
    recipientOrganization: v.optional(v.string()),
    purpose: v.string(),
    legitimateInterest: v.string(),
    recordsDisclosed: v.string(),
    disclosedDate: v.string(),
  },
  returns: v.id("disclosures"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "recordDisclosure");
    requireIsoDate(args.disclosedDate, "Disclosure date");
    for (const [field, label] of [
      ["recipient", "the recipient"],
      ["purpose", "the purpose"],
      ["legitimateInterest", "the legitimate interest"],
      ["recordsDisclosed", "which records were disclosed"],
    ] as const) {
      if (!args[field].trim()) invalid(`Say ${label}.`);
    }
    const id = await ctx.db.insert("disclosures", {
      ...args,
      organizationId: student.organizationId,
      recordedBy: ctx.user._id,
      at: Date.now(),
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "disclosure",
      targetTable: "disclosures",
      targetId: id,
      details: `to ${args.recipient}`,
    });
    return id;
  },
});

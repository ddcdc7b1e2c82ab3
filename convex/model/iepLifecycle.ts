// D10: draft → in_review → active → superseded | expired, with at most one active IEP per student
// and the student's iepStatus following in the same transaction.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { invalid } from "../lib/errors";
import { writeAudit } from "./audit";
import { addDays, daysBetween, requireIsoDate } from "./dates";
import type { SignerRole } from "./access";

/** D10: the approvals that activate an IEP. */
export const REQUIRED_SIGNERS: readonly SignerRole[] = ["case_manager", "district_representative", "parent"];

export function hasRequiredApprovals(iep: Doc<"ieps">): boolean {
  return REQUIRED_SIGNERS.every((role) => iep.approvals.some((a) => a.role === role));
}

export async function findActiveIep(ctx: QueryCtx, studentId: Id<"students">) {
  return await ctx.db
    .query("ieps")
    .withIndex("by_student", (q) => q.eq("studentId", studentId).eq("status", "active"))
    .first();
}

/** The next version number: one more than the student's highest (D10). */
export async function nextVersion(ctx: QueryCtx, studentId: Id<"students">): Promise<number> {
  const latest = await ctx.db
    .query("ieps")
    .withIndex("by_student_version", (q) => q.eq("studentId", studentId))
    .order("desc")
    .first();
  return (latest?.version ?? 0) + 1;
}

export async function activateIep(
  ctx: MutationCtx,
  iep: Doc<"ieps">,
  actorId: Id<"users"> | undefined,
): Promise<void> {
  const previous = await findActiveIep(ctx, iep.studentId);
  if (previous && previous._id !== iep._id) {
    await ctx.db.patch("ieps", previous._id, { status: "superseded" });
    await writeAudit(ctx, {
      organizationId: iep.organizationId,
      studentId: iep.studentId,
      actorId,
      action: "status_change",
      targetTable: "ieps",
      targetId: previous._id,
      details: `active → superseded by version ${iep.version}`,
    });
  }
  await ctx.db.patch("ieps", iep._id, { status: "active", activatedAt: Date.now() });
  await ctx.db.patch("students", iep.studentId, { iepStatus: "active" });
  await writeAudit(ctx, {
    organizationId: iep.organizationId,
    studentId: iep.studentId,
    actorId,
    action: "status_change",
    targetTable: "ieps",
    targetId: iep._id,
    details: `${iep.status} → active`,
  });
}

/** The daily job's step for one IEP past its expiration date. */
export async function expireIep(ctx: MutationCtx, iep: Doc<"ieps">): Promise<void> {
  await ctx.db.patch("ieps", iep._id, { status: "expired" });
  const stillActive = await findActiveIep(ctx, iep.studentId);
  if (!stillActive) await ctx.db.patch("students", iep.studentId, { iepStatus: "expired" });
  await writeAudit(ctx, {
    organizationId: iep.organizationId,
    studentId: iep.studentId,
    action: "status_change",
    targetTable: "ieps",
    targetId: iep._id,
    details: `active → expired (expiration date ${iep.expirationDate})`,
  });
}

export interface IepDates {
  effectiveDate: string;
  expirationDate: string;
  meetingDate: string;
}

/**
 * D9: the specification's checks (expiration after effective date; meeting not after effective
 * date) and an effective period of at most `iepReviewCycle` days. Returns nextReviewDate
 * (meeting date + iepReviewCycle days).
 */
export function validateIepDates(dates: IepDates, iepReviewCycle: number): string {
  requireIsoDate(dates.effectiveDate, "Effective date");
  requireIsoDate(dates.expirationDate, "Expiration date");
  requireIsoDate(dates.meetingDate, "Meeting date");
  if (dates.expirationDate <= dates.effectiveDate) {
    invalid("Expiration date must be after effective date.");
  }
  if (dates.meetingDate > dates.effectiveDate) {
    invalid("Meeting date cannot be after effective date.");
  }
  if (daysBetween(dates.effectiveDate, dates.expirationDate) > iepReviewCycle) {
    invalid(`An IEP can be in effect for at most ${iepReviewCycle} days; move the expiration date earlier.`);
  }
  return addDays(dates.meetingDate, iepReviewCycle);
}

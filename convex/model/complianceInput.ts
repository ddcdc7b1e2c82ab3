// Gathers what complianceClocks.ts needs for one student from the tables that hold it
// (students, organizations, ieps, evaluations, recordsRequests, progressReports).
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { computeClocks, worstStatus, type Clock, type ClockInput, type ClockStatus } from "./complianceClocks";
import { todayIso } from "./dates";
import { findActiveIep } from "./iepLifecycle";
import { dateOfBirthOf, toSummary, type StudentSummary } from "./studentRecords";

export async function clockInputFor(
  ctx: QueryCtx,
  student: Doc<"students">,
  organization: Doc<"organizations">,
  today: string = todayIso(organization.settings.timezone),
): Promise<ClockInput> {
  const active = await findActiveIep(ctx, student._id);
  const evaluations = await ctx.db
    .query("evaluations")
    .withIndex("by_student", (q) => q.eq("studentId", student._id))
    .collect();
  const requests = await ctx.db
    .query("recordsRequests")
    .withIndex("by_student", (q) => q.eq("studentId", student._id))
    .collect();
  // A records request is due before the next IEP meeting: the meeting date of an IEP being written.
  const pendingMeetings: string[] = [];
  for (const status of ["draft", "in_review"] as const) {
    const ieps = await ctx.db
      .query("ieps")
      .withIndex("by_student", (q) => q.eq("studentId", student._id).eq("status", status))
      .collect();
    pendingMeetings.push(...ieps.map((i) => i.meetingDate));
  }
  const lastReport = await ctx.db
    .query("progressReports")
    .withIndex("by_student", (q) => q.eq("studentId", student._id))
    .order("desc")
    .first();
  const { complianceSettings, reportingPeriods } = organization.settings;
  return {
    today,
    dateOfBirth: await dateOfBirthOf(student),
    settings: {
      iepReviewCycle: complianceSettings.iepReviewCycle,
      evaluationCycle: complianceSettings.evaluationCycle,
      transitionAge: complianceSettings.transitionAge,
      reportingPeriods,
      ...(complianceSettings.initialEvaluationDays !== undefined
        ? { initialEvaluationDays: complianceSettings.initialEvaluationDays }
        : {}),
    },
    activeIep: active
      ? {
          meetingDate: active.meetingDate,
          expirationDate: active.expirationDate,
          hasTransitionPlan: active.transitionPlan !== undefined,
        }
      : null,
    evaluations: evaluations.map((e) => ({
      kind: e.kind,
      consentDate: e.consentDate ?? null,
      completedDate: e.completedDate ?? null,
      eligibilityDate: e.eligibilityDate ?? null,
      waived: e.waived,
    })),
    recordsRequests: requests.map((r) => ({
      requestedDate: r.requestedDate,
      fulfilledDate: r.fulfilledDate ?? null,
      nextMeetingDate: pendingMeetings.filter((d) => d >= r.requestedDate).sort()[0] ?? null,
    })),
    lastProgressReportDate: lastReport?.reportDate ?? null,
  };
}

export interface ComplianceRow {
  student: StudentSummary;
  clocks: Clock[];
  worst: ClockStatus;
}

export async function complianceRowFor(
  ctx: QueryCtx,
  student: Doc<"students">,
  organization: Doc<"organizations">,
): Promise<ComplianceRow> {
  const clocks = computeClocks(await clockInputFor(ctx, student, organization));
  return { student: toSummary(student), clocks, worst: worstStatus(clocks) };
}

/** Counts of the dashboard's columns over some rows. */
export function countByStatus(rows: ComplianceRow[]) {
  const counts = { overdue: 0, due_30: 0, due_60: 0, on_track: 0 };
  for (const row of rows) {
    if (row.worst in counts) counts[row.worst as keyof typeof counts] += 1;
  }
  return counts;
}

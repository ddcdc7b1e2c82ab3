// The compliance dashboard wires the stored records into complianceClocks.ts; presence (D12).
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { computeClocks } from "../model/complianceClocks";
import { addDays } from "../model/dates";
import { as, buildWorld, DOB } from "./world.testing";

test("a student's clocks are computeClocks over the stored IEP, evaluations and requests", async () => {
  const w = await buildWorld();
  const row = await as(w, "caseManager").query(api.compliance.getStudentClocks, { studentId: w.student });
  const expected = computeClocks({
    today: w.today,
    dateOfBirth: DOB,
    settings: {
      iepReviewCycle: 365,
      evaluationCycle: 1095,
      transitionAge: 16,
      reportingPeriods: [addDays(w.today, -30), addDays(w.today, 60)],
    },
    activeIep: { meetingDate: addDays(w.today, -95), expirationDate: addDays(w.today, 270), hasTransitionPlan: false },
    evaluations: [{ kind: "reevaluation", consentDate: null, completedDate: null, eligibilityDate: null, waived: false }],
    recordsRequests: [
      // The draft and in-review IEPs' meeting date precedes the request, so no meeting is pending.
      { requestedDate: addDays(w.today, -5), fulfilledDate: null, nextMeetingDate: null },
    ],
    lastProgressReportDate: null,
  });
  expect(row.clocks).toEqual(expected);
  expect(row.student.studentNumber).toBe("A-001");
  // The student is over 16 with no transition plan: that clock is not on track.
  const transition = row.clocks.find((c) => c.kind === "transition_plan");
  expect(transition?.status).toBe("overdue");
  expect(row.worst).toBe("overdue");
});

test("progress reports and fulfilled requests move the clocks", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  const clock = async (kind: string) =>
    (await cm.query(api.compliance.getStudentClocks, { studentId: w.student })).clocks.find((c) => c.kind === kind);
  const before = await clock("records_request");
  expect(before?.status).not.toBe("complete");
  await cm.mutation(api.recordsRequests.fulfill, { requestId: w.recordsRequest, fulfilledDate: w.today });
  expect((await clock("records_request"))?.status).toBe("complete");
  const reportBefore = await clock("progress_report");
  await cm.mutation(api.progressReports.issue, { studentId: w.student, reportDate: w.today });
  const reportAfter = await clock("progress_report");
  expect(reportAfter).not.toEqual(reportBefore);
});

test("dashboards: a caseload and the organization, paginated, with counts", async () => {
  const w = await buildWorld();
  const caseload = await as(w, "caseManager").query(api.compliance.caseloadDashboard, {
    paginationOpts: { numItems: 10, cursor: null },
  });
  expect(caseload.page.map((r) => r.student.studentNumber)).toEqual(["A-001"]);
  expect(caseload.counts.overdue).toBe(1);
  const first = await as(w, "admin").query(api.compliance.organizationDashboard, {
    paginationOpts: { numItems: 1, cursor: null },
  });
  expect(first.page).toHaveLength(1);
  expect(first.isDone).toBe(false);
  const second = await as(w, "admin").query(api.compliance.organizationDashboard, {
    paginationOpts: { numItems: 1, cursor: first.continueCursor },
  });
  const numbers = [...first.page, ...second.page].map((r) => r.student.studentNumber).sort();
  expect(numbers).toEqual(["A-001", "A-002"]);
  // An admin may look at a case manager's caseload; a teacher only at their own.
  const viaAdmin = await as(w, "admin").query(api.compliance.caseloadDashboard, {
    paginationOpts: { numItems: 10, cursor: null },
    caseManagerId: w.users.caseManager._id,
  });
  expect(viaAdmin.page).toHaveLength(1);
});

test("presence: editors of the last 30 seconds, per IEP section (D12)", async () => {
  const w = await buildWorld();
  const documentId = `iep/${w.draftIep}/present_levels`;
  await as(w, "caseManager").mutation(api.collaboration.updateDocumentPresence, { documentId, cursorPosition: 4 });
  await as(w, "teamSpecialist").mutation(api.collaboration.updateDocumentPresence, {
    documentId,
    cursorPosition: 9,
    selection: { start: 9, end: 14 },
  });
  await as(w, "caseManager").mutation(api.collaboration.updateDocumentPresence, { documentId, cursorPosition: 7 });
  let editors = await as(w, "parent").query(api.collaboration.getDocumentEditors, { documentId });
  expect(editors).toHaveLength(2);
  expect(editors.find((e) => e.userId === w.users.caseManager._id)?.cursorPosition).toBe(7);
  // Idle for more than 30 seconds: no longer shown.
  await w.t.run(async (ctx) => {
    const mine = await ctx.db
      .query("editingSessions")
      .withIndex("by_user_document", (q) => q.eq("userId", w.users.teamSpecialist._id).eq("documentId", documentId))
      .unique();
    await ctx.db.patch("editingSessions", mine!._id, { lastActivity: Date.now() - 31_000 });
  });
  editors = await as(w, "parent").query(api.collaboration.getDocumentEditors, { documentId });
  expect(editors.map((e) => e.userName)).toEqual(["CaseManager Tester"]);
  await as(w, "caseManager").mutation(api.collaboration.leaveDocument, { documentId });
  expect(await as(w, "parent").query(api.collaboration.getDocumentEditors, { documentId })).toEqual([]);
});

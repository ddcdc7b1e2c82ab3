// D9–D11: creating drafts, the approval workflow, signatures bound to content, amendment and
// the expiry job.
import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { addDays } from "../model/dates";
import { as, buildWorld, outcome, type World } from "./world.testing";

const draftArgs = (w: World, overrides: Partial<Record<"meetingDate" | "effectiveDate" | "expirationDate", string>> = {}) => ({
  studentId: w.student,
  meetingDate: w.today,
  effectiveDate: addDays(w.today, 1),
  expirationDate: addDays(w.today, 300),
  placement: "Resource room",
  serviceHours: { specialEducation: 4, speechTherapy: 0.5 },
  ...overrides,
});

async function statusOf(w: World, iepId: Id<"ieps">) {
  return await w.t.run(async (ctx) => (await ctx.db.get("ieps", iepId))!.status);
}

test("createIEP fills nextReviewDate and version, and does not supersede the active IEP (D9, D10)", async () => {
  const w = await buildWorld();
  const id = await as(w, "caseManager").mutation(api.ieps.createIEP, draftArgs(w));
  const iep = await w.t.run(async (ctx) => ctx.db.get("ieps", id));
  expect(iep).toMatchObject({ status: "draft", version: 4, nextReviewDate: addDays(w.today, 365) });
  expect(await statusOf(w, w.activeIep)).toBe("active");
  const active = await as(w, "parent").query(api.ieps.getActiveIEP, { studentId: w.student });
  expect(active?._id).toBe(w.activeIep);
});

test("createIEP refuses bad schedules and unenrolled students with INVALID_ARGUMENT (D9)", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  const cases = [
    { expirationDate: w.today, effectiveDate: w.today }, // expiration not after effective
    { meetingDate: addDays(w.today, 5) }, // meeting after effective
    { expirationDate: addDays(w.today, 400) }, // longer than iepReviewCycle
    { meetingDate: "2025-02-30" }, // not a date
  ];
  for (const overrides of cases) {
    expect(await outcome(cm.mutation(api.ieps.createIEP, draftArgs(w, overrides)))).toBe("INVALID_ARGUMENT");
  }
  await cm.mutation(api.students.changeEnrollment, { studentId: w.student, enrollmentStatus: "transferred" });
  expect(await outcome(cm.mutation(api.ieps.createIEP, draftArgs(w)))).toBe("INVALID_ARGUMENT");
});

test("three signatures activate an IEP in review; the previous one is superseded (D10)", async () => {
  const w = await buildWorld();
  const hash = await as(w, "parent").query(api.ieps.getContentHash, { iepId: w.reviewIep });
  const sign = (role: "caseManager" | "admin" | "parent") =>
    as(w, role).mutation(api.ieps.approve, {
      iepId: w.reviewIep,
      signature: `${w.users[role].firstName} ${w.users[role].lastName}`,
      contentHash: hash,
    });
  expect((await sign("caseManager")).status).toBe("in_review");
  expect(await outcome(sign("caseManager"))).toBe("CONFLICT"); // one signature per role
  expect((await sign("admin")).status).toBe("in_review");
  expect((await sign("parent")).status).toBe("active");

  expect(await statusOf(w, w.reviewIep)).toBe("active");
  expect(await statusOf(w, w.activeIep)).toBe("superseded");
  const actives = await w.t.run(async (ctx) =>
    ctx.db.query("ieps").withIndex("by_student", (q) => q.eq("studentId", w.student).eq("status", "active")).collect(),
  );
  expect(actives).toHaveLength(1);
  const student = await w.t.run(async (ctx) => ctx.db.get("students", w.student));
  expect(student?.iepStatus).toBe("active");
  const approvals = await w.t.run(async (ctx) => (await ctx.db.get("ieps", w.reviewIep))!.approvals);
  expect(approvals.map((a) => a.role).sort()).toEqual(["case_manager", "district_representative", "parent"]);
  expect(new Set(approvals.map((a) => a.contentHash))).toEqual(new Set([hash]));
  const signatures = await w.t.run(async (ctx) =>
    (await ctx.db.query("auditLog").collect()).filter((e) => e.action === "signature"),
  );
  expect(signatures).toHaveLength(3);
});

test("a signature binds to content: changes void approvals, stale hashes are refused (D11)", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  const signature = `${w.users.caseManager.firstName} ${w.users.caseManager.lastName}`;
  expect(await outcome(cm.mutation(api.ieps.approve, { iepId: w.reviewIep, signature: "Someone Else" }))).toBe(
    "INVALID_ARGUMENT",
  );
  const before = await cm.query(api.ieps.getContentHash, { iepId: w.reviewIep });
  await cm.mutation(api.ieps.approve, { iepId: w.reviewIep, signature, contentHash: before });

  // A team member edits the IEP: the approval is voided and kept in the history; back to draft.
  await as(w, "teamSpecialist").mutation(api.ieps.updateDraft, { iepId: w.reviewIep, placement: "Co-taught" });
  const edited = await w.t.run(async (ctx) => ctx.db.get("ieps", w.reviewIep));
  expect(edited?.status).toBe("draft");
  expect(edited?.approvals).toEqual([]);
  expect(edited?.voidedApprovals?.map((a) => a.contentHash)).toEqual([before]);
  const after = await cm.query(api.ieps.getContentHash, { iepId: w.reviewIep });
  expect(after).not.toBe(before);

  await cm.mutation(api.ieps.submitForReview, { iepId: w.reviewIep });
  // Signing with the hash of what one saw before the change is refused.
  expect(await outcome(cm.mutation(api.ieps.approve, { iepId: w.reviewIep, signature, contentHash: before }))).toBe(
    "CONFLICT",
  );
  expect((await cm.mutation(api.ieps.approve, { iepId: w.reviewIep, signature, contentHash: after })).contentHash).toBe(
    after,
  );
  // Goals are content too.
  const goals = await cm.query(api.goals.listForStudent, { studentId: w.student });
  const reviewGoal = goals.find((g) => g.iepId === w.reviewIep)!;
  await cm.mutation(api.goals.archive, { goalId: reviewGoal._id, reason: "merged" });
  expect(await statusOf(w, w.reviewIep)).toBe("draft");
});

test("an active IEP is not edited but amended: a new version with copied goals (D10)", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  expect(await outcome(cm.mutation(api.ieps.updateDraft, { iepId: w.activeIep, placement: "x" }))).toBe("CONFLICT");
  const amendment = await cm.mutation(api.ieps.amend, { iepId: w.activeIep });
  const withGoals = await cm.query(api.ieps.getIEPWithGoals, { iepId: amendment });
  expect(withGoals).toMatchObject({ status: "draft", version: 4, amendsIepId: w.activeIep });
  expect(withGoals?.goals).toHaveLength(1);
  expect(await statusOf(w, w.activeIep)).toBe("active");
});

test("submitting for review needs a goal", async () => {
  const w = await buildWorld();
  const cm = as(w, "caseManager");
  const id = await cm.mutation(api.ieps.createIEP, draftArgs(w));
  expect(await outcome(cm.mutation(api.ieps.submitForReview, { iepId: id }))).toBe("INVALID_ARGUMENT");
});

test("the daily job expires IEPs past their expiration date and updates the student (D10)", async () => {
  const w = await buildWorld();
  const expired = await w.t.mutation(internal.ieps.expireOverdue, { today: addDays(w.today, 400) });
  expect(expired).toBe(1);
  expect(await statusOf(w, w.activeIep)).toBe("expired");
  const student = await w.t.run(async (ctx) => ctx.db.get("students", w.student));
  expect(student?.iepStatus).toBe("expired");
  expect(await w.t.mutation(internal.ieps.expireOverdue, { today: addDays(w.today, 400) })).toBe(0);
  // Not before its time.
  const fresh = await buildWorld();
  expect(await fresh.t.mutation(internal.ieps.expireOverdue, {})).toBe(0);
});

// The IEP lifecycle over HTTP on the embedded backend (D9–D11): identities reach
// ctx.auth.getUserIdentity(), encrypted fields round-trip with the deployment's keys (D14), a draft
// goes through review and three bound signatures to active, superseding the previous IEP; edits
// void signatures; progress is recorded and read back; an active IEP is amended, not edited.
import { beforeAll, expect, inject, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { DOB, type AccessWorld } from "../../convex/fixtures/accessWorld";
import { addDays } from "../../convex/model/dates";
import { clientAs } from "./semsBackend";
import { createWorld } from "./worlds";

const backend = inject("semsBackend");
let w: AccessWorld;
beforeAll(async () => {
  w = await createWorld(backend);
});

const as = (role: Parameters<typeof clientAs>[2]) => clientAs(backend, w, role);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    if (data && typeof data === "object" && "code" in data) return String(data.code);
    throw error;
  }
}

const goal = (providerId: string) => ({
  domain: "communication" as const,
  description: "Requests help with a complete sentence",
  baselineData: { measurement: "percent of opportunities", date: w.today, value: 20, context: "classroom" },
  targetCriteria: { measurement: "percent of opportunities", target: 80, timeframe: "1 year", accuracy: "80%", conditions: "unprompted" },
  direction: "increase" as const,
  evaluationMethod: "observation",
  frequency: "weekly",
  responsibleProvider: providerId as never,
});

test("the identity the admin key acts as reaches ctx.auth.getUserIdentity()", async () => {
  const me = await as("caseManager").query(api.users.getCurrentUser, {});
  expect(me?._id).toBe(w.users.caseManager._id);
  expect(me?.email).toBe(w.users.caseManager.email);
  expect(await as("anonymous").query(api.users.getCurrentUser, {})).toBeNull();
  expect(await codeOf(as("anonymous").query(api.students.getStudentsByUser, {}))).toBe("UNAUTHENTICATED");
  expect(await codeOf(as("inactive").query(api.students.getStudentsByUser, {}))).toBe("FORBIDDEN");
});

test("encrypted fields decrypt with the deployment's SEMS_ENCRYPTION_KEYS (D14)", async () => {
  const exported = await as("caseManager").mutation(api.students.exportRecord, { studentId: w.student });
  expect(exported.student.dateOfBirth).toBe(DOB);
});

test("draft → review → three bound signatures → active; the previous IEP is superseded (D9–D11)", async () => {
  const cm = as("caseManager");
  const draft = await cm.mutation(api.ieps.createIEP, {
    studentId: w.student,
    meetingDate: w.today,
    effectiveDate: addDays(w.today, 1),
    expirationDate: addDays(w.today, 300),
    placement: "Resource room",
    serviceHours: { specialEducation: 4, speechTherapy: 0.5 },
  });
  expect(await codeOf(cm.mutation(api.ieps.submitForReview, { iepId: draft }))).toBe("INVALID_ARGUMENT"); // no goal yet
  await cm.mutation(api.goals.create, { iepId: draft, ...goal(w.users.teamSpecialist._id) });
  await cm.mutation(api.ieps.submitForReview, { iepId: draft });

  const seen = await as("parent").query(api.ieps.getContentHash, { iepId: draft });
  const signature = (role: "caseManager" | "admin" | "parent") => `${w.users[role].firstName} ${w.users[role].lastName}`;
  expect((await cm.mutation(api.ieps.approve, { iepId: draft, signature: signature("caseManager"), contentHash: seen })).status).toBe("in_review");
  expect(await codeOf(cm.mutation(api.ieps.approve, { iepId: draft, signature: signature("caseManager"), contentHash: seen }))).toBe("CONFLICT");

  // An edit voids the signature and sends the IEP back to draft; the old hash is then stale.
  await cm.mutation(api.ieps.updateDraft, { iepId: draft, placement: "Co-taught class" });
  const edited = await cm.query(api.ieps.getIEPWithGoals, { iepId: draft });
  expect(edited).toMatchObject({ status: "draft", approvals: [] });
  expect(edited?.voidedApprovals?.map((a) => a.contentHash)).toEqual([seen]);
  await cm.mutation(api.ieps.submitForReview, { iepId: draft });
  expect(await codeOf(cm.mutation(api.ieps.approve, { iepId: draft, signature: signature("caseManager"), contentHash: seen }))).toBe("CONFLICT");

  const hash = await as("parent").query(api.ieps.getContentHash, { iepId: draft });
  expect(hash).not.toBe(seen);
  for (const role of ["caseManager", "admin"] as const) {
    expect((await as(role).mutation(api.ieps.approve, { iepId: draft, signature: signature(role), contentHash: hash })).status).toBe("in_review");
  }
  expect((await as("parent").mutation(api.ieps.approve, { iepId: draft, signature: signature("parent"), contentHash: hash })).status).toBe("active");

  const active = await as("parent").query(api.ieps.getActiveIEP, { studentId: w.student });
  expect(active?._id).toBe(draft);
  const ieps = await cm.query(api.ieps.listForStudent, { studentId: w.student });
  expect(ieps.find((i) => i._id === w.activeIep)?.status).toBe("superseded");
  expect(ieps.filter((i) => i.status === "active").map((i) => i._id)).toEqual([draft]);
  const detail = await cm.query(api.students.getStudentDetail, { studentId: w.student });
  expect(detail?.iepStatus).toBe("active");
  const audit = await cm.query(api.auditLog.listForStudent, { studentId: w.student, paginationOpts: { numItems: 100, cursor: null } });
  expect(audit.page.filter((e) => e.action === "signature" && e.targetId === draft)).toHaveLength(4); // one voided, three that count
});

test("progress is recorded by the team and read by the student; corrections replace the original", async () => {
  const specialist = as("teamSpecialist");
  const observation = {
    recordedDate: w.today,
    measurementValue: 92,
    measurementUnit: "WCPM",
    masteryLevel: "developing" as const,
    settingType: "resource room",
    independenceLevel: "independent",
  };
  const recorded = await specialist.mutation(api.progress.record, { goalId: w.activeGoal, ...observation });
  await specialist.mutation(api.progress.correct, { progressId: recorded, reason: "misread the timer", ...observation, measurementValue: 94 });
  const progress = await as("student").query(api.progress.getGoalProgress, { goalId: w.activeGoal });
  expect(progress?.summary.totalDataPoints).toBe(4); // three seeded, one recorded (its correction replaces it)
  expect(progress?.summary.latestMeasurement?.measurementValue).toBe(94);
  expect(progress?.trendAnalysis).toBeTruthy();
  expect(await codeOf(as("otherStudent").query(api.progress.getGoalProgress, { goalId: w.activeGoal }))).toBe("FORBIDDEN");
});

test("an active IEP is amended, not edited: a new draft version with its goals copied (D10)", async () => {
  const world = await createWorld(backend);
  const cm = clientAs(backend, world, "caseManager");
  expect(await codeOf(cm.mutation(api.ieps.updateDraft, { iepId: world.activeIep, placement: "x" }))).toBe("CONFLICT");
  const amendment = await cm.mutation(api.ieps.amend, { iepId: world.activeIep });
  const withGoals = await cm.query(api.ieps.getIEPWithGoals, { iepId: amendment });
  expect(withGoals).toMatchObject({ status: "draft", version: 4, amendsIepId: world.activeIep });
  expect(withGoals?.goals).toHaveLength(1);
});

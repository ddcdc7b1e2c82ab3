import { describe, expect, it } from "vitest";
import { computeClocks, type ClockStatus } from "../../convex/model/complianceClocks";
import { analyzeTrend } from "../../convex/model/progressMath";
import { isFilePlaceholder, refsIn, SEED_TABLES, type SeedRecord } from "../../convex/model/seedRecords";
import { DISABILITY_CATEGORIES } from "../../scripts/demo/catalog";
import { generateDemoDistrict, DEMO_PASSWORD } from "../../scripts/demo/generate";

const TODAY = "2025-03-03";
const small = [...generateDemoDistrict({ students: 60, today: TODAY }).records()];

function byTable(records: SeedRecord[], table: string) {
  return records.filter((r) => r.table === table);
}
function refOf(value: unknown): string {
  return (value as { ref: string }).ref;
}

describe("demo district generator", () => {
  it("is deterministic for a seed and changes with it", () => {
    const again = [...generateDemoDistrict({ students: 60, today: TODAY }).records()];
    expect(again).toEqual(small);
    const other = [...generateDemoDistrict({ students: 60, today: TODAY, seed: 7 }).records()];
    expect(other).not.toEqual(small);
    // the same district moves with `today`: nothing is tied to the machine's clock
    const later = [...generateDemoDistrict({ students: 60, today: "2026-03-02" }).records()];
    expect(byTable(later, "ieps")[0].fields.meetingDate).not.toBe(byTable(small, "ieps")[0].fields.meetingDate);
  });

  it("writes only seedable tables, with unique refs that point backwards", () => {
    const seen = new Set<string>();
    for (const record of small) {
      expect(SEED_TABLES).toContain(record.table);
      for (const ref of refsIn(record.fields)) expect(seen.has(ref), `${record.table} → ${ref}`).toBe(true);
      if (record.ref) {
        expect(seen.has(record.ref)).toBe(false);
        seen.add(record.ref);
      }
    }
    for (const table of SEED_TABLES) expect(byTable(small, table).length, table).toBeGreaterThan(0);
  });

  it("has the requested number of students, in two organizations", () => {
    const students = byTable(small, "students");
    expect(students).toHaveLength(60);
    const orgs = byTable(small, "organizations");
    expect(orgs).toHaveLength(2);
    // 60 / 20 = 3 students belong to the second organization
    expect(students.filter((s) => refOf(s.fields.organizationId) === orgs[1].ref)).toHaveLength(3);
    expect([...generateDemoDistrict({ students: 5, today: TODAY }).records()].filter((r) => r.table === "organizations")).toHaveLength(1);
  });

  it("covers every disability category, IEP status, goal domain and role", () => {
    const students = byTable(small, "students");
    for (const [category] of DISABILITY_CATEGORIES) {
      expect(students.some((s) => s.fields.primaryDisability === category), category).toBe(true);
    }
    const statuses = new Set(byTable(small, "ieps").map((i) => i.fields.status));
    expect([...statuses].sort()).toEqual(["active", "draft", "expired", "in_review", "superseded"]);
    const domains = new Set(byTable(small, "goals").map((g) => g.fields.domain));
    expect(domains.size).toBe(7);
    const roles = new Set(byTable(small, "users").map((u) => u.fields.role));
    expect([...roles].sort()).toEqual(["admin", "parent", "specialist", "student", "teacher"]);
    expect(byTable(small, "ieps").some((i) => i.fields.transitionPlan !== undefined)).toBe(true);
    const units = new Set(byTable(small, "progressData").map((p) => p.fields.measurementUnit));
    expect(units).toContain("wcpm");
    expect(units).toContain("outbursts per day");
  });

  it("creates the documented demo sign-ins, linked the way the README says", () => {
    const district = generateDemoDistrict({ students: 60, today: TODAY });
    expect(district.password).toBe(DEMO_PASSWORD);
    const users = byTable(small, "users");
    for (const signIn of district.signIns) {
      const user = users.find((u) => u.fields.email === signIn.email);
      expect(user, signIn.email).toBeDefined();
      expect(user?.fields.role).toBe(signIn.role);
      expect(`${user?.fields.firstName} ${user?.fields.lastName}`).toBe(signIn.name);
    }
    const inactive = users.find((u) => u.fields.email === "inactive@demo.sems.test");
    expect(inactive?.fields.isActive).toBe(false);
    const parent = users.find((u) => u.fields.email === "parent@demo.sems.test");
    const children = byTable(small, "guardianships").filter((g) => refOf(g.fields.userId) === parent?.ref);
    expect(children).toHaveLength(2);
    const student = users.find((u) => u.fields.email === "student@demo.sems.test");
    expect(refOf(student?.fields.studentId)).toBe(refOf(children[0].fields.studentId));
    const teacher = users.find((u) => u.fields.email === "teacher@demo.sems.test");
    const caseload = byTable(small, "students").filter((s) => refOf(s.fields.caseManagerId) === teacher?.ref);
    expect(caseload.length).toBeGreaterThanOrEqual(15);
    const specialist = users.find((u) => u.fields.email === "specialist@demo.sems.test");
    expect(byTable(small, "studentTeamMembers").some((t) => refOf(t.fields.userId) === specialist?.ref)).toBe(true);
  });

  it("uses unique lower-case emails in fictional domains", () => {
    const emails = byTable(small, "users").map((u) => u.fields.email as string);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9.]+@(demo|cedar)\.sems\.test$/);
  });

  it("gives documents a file to store and fits the schema's shapes", () => {
    for (const doc of byTable(small, "documents")) {
      expect(isFilePlaceholder(doc.fields.storageId)).toBe(true);
      expect(doc.fields.fileSize).toBeGreaterThan(0);
    }
    for (const iep of byTable(small, "ieps")) {
      expect((iep.fields.expirationDate as string) > (iep.fields.effectiveDate as string)).toBe(true);
      expect((iep.fields.meetingDate as string) <= (iep.fields.effectiveDate as string)).toBe(true);
    }
  });

  it("shows every compliance state across the students, as computeClocks sees them", () => {
    const org = byTable(small, "organizations")[0].fields.settings as { reportingPeriods: string[]; complianceSettings: { iepReviewCycle: number; evaluationCycle: number; transitionAge: number } };
    const statuses = new Map<string, Set<ClockStatus>>();
    for (const student of byTable(small, "students")) {
      const of = (table: string) => small.filter((r) => r.table === table && refOf(r.fields.studentId) === student.ref);
      const active = of("ieps").find((i) => i.fields.status === "active");
      const expired = student.fields.iepStatus === "expired" ? of("ieps").find((i) => i.fields.status === "expired") : undefined;
      const reports = of("progressReports").map((r) => r.fields.reportDate as string).sort();
      const clocks = computeClocks({
        today: TODAY,
        dateOfBirth: student.fields.dateOfBirth as string,
        settings: { ...org.complianceSettings, reportingPeriods: org.reportingPeriods },
        activeIep: active ? { meetingDate: active.fields.meetingDate as string, expirationDate: active.fields.expirationDate as string, hasTransitionPlan: active.fields.transitionPlan !== undefined } : null,
        expiredIep: expired ? { meetingDate: expired.fields.meetingDate as string, expirationDate: expired.fields.expirationDate as string } : null,
        evaluations: of("evaluations").map((e) => ({
          kind: e.fields.kind as "initial" | "reevaluation",
          consentDate: (e.fields.consentDate as string | undefined) ?? null,
          completedDate: (e.fields.completedDate as string | undefined) ?? null,
          eligibilityDate: (e.fields.eligibilityDate as string | undefined) ?? null,
        })),
        recordsRequests: of("recordsRequests").map((r) => ({ requestedDate: r.fields.requestedDate as string, fulfilledDate: (r.fields.fulfilledDate as string | undefined) ?? null, nextMeetingDate: null })),
        lastProgressReportDate: reports.at(-1) ?? null,
      });
      for (const clock of clocks) {
        if (!statuses.has(clock.kind)) statuses.set(clock.kind, new Set());
        statuses.get(clock.kind)?.add(clock.status);
      }
    }
    expect(statuses.get("annual_review")).toContain("due_30");
    expect(statuses.get("annual_review")).toContain("on_track");
    expect(statuses.get("annual_review")).toContain("overdue"); // the expired IEP
    expect(statuses.get("transition_plan")).toContain("overdue");
    expect(statuses.get("transition_plan")).toContain("complete");
    expect(statuses.get("initial_evaluation")).toContain("due_30");
    expect(statuses.get("initial_iep")).toContain("due_30");
    expect(statuses.get("reevaluation")).toContain("overdue");
    expect(statuses.get("progress_report")).toContain("overdue");
    expect(statuses.get("records_request")).toContain("overdue");
    expect(statuses.get("records_request")).toContain("complete");
  });

  it("produces believable progress: every kind of decision occurs", () => {
    const decisions = new Map<string, number>();
    const goals = byTable(small, "goals").filter((g) => g.fields.isActive);
    for (const goal of goals) {
      const points = small
        .filter((r) => r.table === "progressData" && refOf(r.fields.goalId) === goal.ref && r.fields.correctsId === undefined)
        .map((p) => ({ date: p.fields.recordedDate as string, value: p.fields.measurementValue as number }));
      const baseline = goal.fields.baselineData as { date: string; value: number };
      const target = goal.fields.targetCriteria as { target: number };
      const analysis = analyzeTrend({
        baselineDate: baseline.date,
        baselineValue: baseline.value,
        targetDate: goal.fields.targetDate as string,
        targetValue: target.target,
        direction: goal.fields.direction as "increase" | "decrease",
        points,
        mastery: goal.fields.masteryCriteria as { threshold: number; consecutiveSessions: number },
      });
      decisions.set(analysis.decision, (decisions.get(analysis.decision) ?? 0) + 1);
    }
    for (const decision of ["raise_goal", "change_instruction", "continue", "insufficient_data"]) {
      expect(decisions.get(decision) ?? 0, decision).toBeGreaterThan(0);
    }
    // two school years of data: the superseded IEPs' goals have points too
    const oldGoal = byTable(small, "goals").find((g) => !g.fields.isActive);
    expect(small.some((r) => r.table === "progressData" && refOf(r.fields.goalId) === oldGoal?.ref)).toBe(true);
  });

  it.each([
    [1, "2025-07-15"], // summer break
    [2, "2025-12-25"], // winter break
    [3, "2024-02-29"], // leap day
  ])("keeps its invariants for seed %i on %s", (seed, today) => {
    const records = [...generateDemoDistrict({ students: 40, today, seed }).records()];
    const seen = new Set<string>();
    for (const record of records) {
      for (const ref of refsIn(record.fields)) expect(seen.has(ref)).toBe(true);
      if (record.ref) seen.add(record.ref);
      for (const [field, value] of Object.entries(record.fields)) {
        if (typeof value === "number") expect(Number.isFinite(value), `${record.table}.${field}`).toBe(true);
      }
    }
    expect(byTable(records, "students")).toHaveLength(40);
    for (const iep of byTable(records, "ieps")) expect((iep.fields.expirationDate as string) > (iep.fields.effectiveDate as string)).toBe(true);
    // no observation is dated in the future or outside school days
    for (const p of byTable(records, "progressData")) expect((p.fields.recordedDate as string) < today).toBe(true);
  });

  it("refuses nonsense sizes and dates", () => {
    expect(() => generateDemoDistrict({ students: 0, today: TODAY })).toThrow(RangeError);
    expect(() => generateDemoDistrict({ students: 10, today: "2025-13-01" })).toThrow(RangeError);
  });
});

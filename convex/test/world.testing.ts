// Shared test world: two organizations and one user per role of the access matrix, with a
// student whose records cover every table (active IEP, draft, IEP in review, goals, progress,
// documents, evaluation, records request, disclosure). Built directly in the database so the
// tests of each function do not depend on the others.
import { convexTest } from "convex-test";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import schema from "../schema";
import { ENCRYPTION_KEYS_ENV, encryptField } from "../model/crypto";
import { addDays, todayIso } from "../model/dates";
import { searchNameFor } from "../model/searchName";
import { modules } from "./modules.testing";

// A fixed 32-byte test key (D14); real deployments set their own in the environment.
// eslint-disable-next-line @convex-dev/no-process-env -- test setup, not deployed code
process.env[ENCRYPTION_KEYS_ENV] ??= `test:${btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)))}`;

export const ROLES = [
  "admin",
  "caseManager",
  "otherTeacher",
  "teamSpecialist",
  "unrelatedSpecialist",
  "parent",
  "otherParent",
  "student",
  "otherStudent",
  "inactive",
  "anonymous",
  "foreign",
] as const;
export type Role = (typeof ROLES)[number];

export const DOB = "2009-05-14";
export const MEDICAL = "Severe peanut allergy; EpiPen in nurse's office";

export function newTest() {
  return convexTest(schema, modules);
}
export type TestConvex = ReturnType<typeof newTest>;

export interface World {
  t: TestConvex;
  today: string;
  orgA: Id<"organizations">;
  orgB: Id<"organizations">;
  users: Record<Exclude<Role, "anonymous">, Doc<"users">>;
  foreignTeacher: Id<"users">;
  student: Id<"students">; // "S": the student every matrix row targets
  otherStudentRecord: Id<"students">;
  foreignStudent: Id<"students">;
  activeIep: Id<"ieps">;
  draftIep: Id<"ieps">;
  reviewIep: Id<"ieps">;
  activeGoal: Id<"goals">;
  draftGoal: Id<"goals">;
  progress: Id<"progressData">[];
  publicDocument: Id<"documents">;
  confidentialDocument: Id<"documents">;
  spareUpload: Id<"_storage">;
  evaluation: Id<"evaluations">;
  recordsRequest: Id<"recordsRequests">;
  teamMembership: Id<"studentTeamMembers">;
  parentGuardianship: Id<"guardianships">;
}

const settings = (today: string) => ({
  timezone: "UTC",
  academicYear: { start: addDays(today, -120), end: addDays(today, 200) },
  gradeSystem: ["K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
  reportingPeriods: [addDays(today, -30), addDays(today, 60)],
  complianceSettings: { iepReviewCycle: 365, evaluationCycle: 1095, transitionAge: 16 },
});

async function insertOrganization(ctx: MutationCtx, name: string, today: string) {
  return await ctx.db.insert("organizations", {
    name,
    type: "district",
    address: { street: "1 Main St", city: "Springfield", state: "IL", zipCode: "62701", country: "US" },
    contactInfo: { phone: "555-0100", email: `office@${name.toLowerCase()}.example` },
    settings: settings(today),
    isActive: true,
    subscriptionTier: "professional",
    maxUsers: 100,
    maxStudents: 100,
  });
}

export function emailOf(role: Exclude<Role, "anonymous">) {
  return `${role.toLowerCase()}@sems.test`;
}

async function insertStudent(
  ctx: MutationCtx,
  organizationId: Id<"organizations">,
  caseManagerId: Id<"users">,
  firstName: string,
  lastName: string,
  studentNumber: string,
) {
  return await ctx.db.insert("students", {
    organizationId,
    firstName,
    lastName,
    searchName: searchNameFor(firstName, lastName),
    dateOfBirth: await encryptField(DOB),
    studentNumber,
    gradeLevel: "9",
    primaryDisability: "Specific learning disability",
    caseManagerId,
    enrollmentStatus: "active",
    iepStatus: "active",
    emergencyContacts: [{ name: "Ana Núñez", relationship: "mother", phone: "555-0101" }],
    medicalConsiderations: await encryptField(MEDICAL),
  });
}

const goalBody = (today: string, providerId: Id<"users">) => ({
  domain: "academic" as const,
  description: "Reads grade-level passages at 110 words correct per minute",
  baselineData: { measurement: "WCPM", date: addDays(today, -90), value: 60, context: "cold read" },
  targetCriteria: { measurement: "WCPM", target: 110, timeframe: "1 year", accuracy: "95%", conditions: "grade-level text" },
  direction: "increase" as const,
  targetDate: addDays(today, 270),
  evaluationMethod: "CBM probe",
  frequency: "weekly",
  responsibleProvider: providerId,
  isActive: true,
});

export async function buildWorld(): Promise<World> {
  const t = newTest();
  const today = todayIso();
  const ids = await t.run(async (ctx) => {
    const orgA = await insertOrganization(ctx, "Lincoln", today);
    const orgB = await insertOrganization(ctx, "Foreign", today);
    const user = async (role: Exclude<Role, "anonymous">, dbRole: Doc<"users">["role"], org = orgA, isActive = true) =>
      await ctx.db.insert("users", {
        email: emailOf(role),
        firstName: role.charAt(0).toUpperCase() + role.slice(1),
        lastName: "Tester",
        role: dbRole,
        organizationId: org,
        isActive,
      });
    const u = {
      admin: await user("admin", "admin"),
      caseManager: await user("caseManager", "teacher"),
      otherTeacher: await user("otherTeacher", "teacher"),
      teamSpecialist: await user("teamSpecialist", "specialist"),
      unrelatedSpecialist: await user("unrelatedSpecialist", "specialist"),
      parent: await user("parent", "parent"),
      otherParent: await user("otherParent", "parent"),
      student: await user("student", "student"),
      otherStudent: await user("otherStudent", "student"),
      // On S's team, yet refused: deactivated accounts are refused everywhere (D7).
      inactive: await user("inactive", "teacher", orgA, false),
      foreign: await user("foreign", "admin", orgB),
    };
    const foreignTeacher = await ctx.db.insert("users", {
      email: "foreign-teacher@sems.test",
      firstName: "Fiona",
      lastName: "Foreign",
      role: "teacher",
      organizationId: orgB,
      isActive: true,
    });
    const student = await insertStudent(ctx, orgA, u.caseManager, "José", "Núñez", "A-001");
    const otherStudentRecord = await insertStudent(ctx, orgA, u.otherTeacher, "Mia", "Other", "A-002");
    const foreignStudent = await insertStudent(ctx, orgB, foreignTeacher, "Björn", "Foreign", "B-001");
    await ctx.db.patch("users", u.student, { studentId: student });
    await ctx.db.patch("users", u.otherStudent, { studentId: otherStudentRecord });

    const teamMembership = await ctx.db.insert("studentTeamMembers", {
      studentId: student,
      userId: u.teamSpecialist,
      organizationId: orgA,
      kind: "specialist",
      startDate: addDays(today, -200),
    });
    await ctx.db.insert("studentTeamMembers", {
      studentId: student,
      userId: u.inactive,
      organizationId: orgA,
      kind: "teacher",
      startDate: addDays(today, -200),
    });
    const parentGuardianship = await ctx.db.insert("guardianships", {
      studentId: student,
      userId: u.parent,
      organizationId: orgA,
      relationship: "mother",
      holdsEducationalRights: true,
    });
    await ctx.db.insert("guardianships", {
      studentId: otherStudentRecord,
      userId: u.otherParent,
      organizationId: orgA,
      relationship: "father",
      holdsEducationalRights: true,
    });

    const iepBase = {
      studentId: student,
      organizationId: orgA,
      effectiveDate: addDays(today, -90),
      expirationDate: addDays(today, 270),
      meetingDate: addDays(today, -95),
      nextReviewDate: addDays(today, 270),
      placement: "General education with resource support",
      serviceHours: { specialEducation: 5, speechTherapy: 1 },
      accommodations: [{ category: "testing", description: "Extended time", setting: "all classes" }],
      modifications: [],
      createdBy: u.caseManager,
      teamMembers: [u.caseManager, u.teamSpecialist],
      approvals: [],
    };
    const activeIep = await ctx.db.insert("ieps", { ...iepBase, status: "active", version: 1 });
    const draftIep = await ctx.db.insert("ieps", { ...iepBase, status: "draft", version: 2 });
    const reviewIep = await ctx.db.insert("ieps", { ...iepBase, status: "in_review", version: 3 });
    const activeGoal = await ctx.db.insert("goals", {
      ...goalBody(today, u.teamSpecialist),
      iepId: activeIep,
      studentId: student,
      organizationId: orgA,
      goalNumber: 1,
    });
    const draftGoal = await ctx.db.insert("goals", {
      ...goalBody(today, u.teamSpecialist),
      iepId: draftIep,
      studentId: student,
      organizationId: orgA,
      goalNumber: 1,
    });
    await ctx.db.insert("goals", {
      ...goalBody(today, u.teamSpecialist),
      iepId: reviewIep,
      studentId: student,
      organizationId: orgA,
      goalNumber: 1,
    });
    const progress: Id<"progressData">[] = [];
    for (const [daysAgo, value] of [[60, 70], [40, 78], [20, 85]] as const) {
      progress.push(
        await ctx.db.insert("progressData", {
          goalId: activeGoal,
          studentId: student,
          organizationId: orgA,
          recordedDate: addDays(today, -daysAgo),
          recordedBy: u.teamSpecialist,
          measurementValue: value,
          measurementUnit: "WCPM",
          masteryLevel: "developing",
          settingType: "resource room",
          independenceLevel: "independent",
        }),
      );
    }
    const blob = async () => await ctx.storage.store(new Blob(["evaluation report"], { type: "text/plain" }));
    const documentBase = {
      studentId: student,
      organizationId: orgA,
      fileSize: 17,
      mimeType: "text/plain",
      uploadedBy: u.caseManager,
    };
    const publicDocument = await ctx.db.insert("documents", {
      ...documentBase,
      storageId: await blob(),
      documentType: "assessment",
      title: "Reading assessment",
      isConfidential: false,
      accessPermissions: [],
    });
    const confidentialDocument = await ctx.db.insert("documents", {
      ...documentBase,
      storageId: await blob(),
      documentType: "medical",
      title: "Psychological evaluation",
      isConfidential: true,
      // D15: a listed user sees a confidential document without any other relationship.
      accessPermissions: [{ userId: u.unrelatedSpecialist, permission: "view" }],
    });
    const spareUpload = await blob();
    const evaluation = await ctx.db.insert("evaluations", {
      studentId: student,
      organizationId: orgA,
      kind: "reevaluation",
      waived: false,
      createdBy: u.caseManager,
    });
    const recordsRequest = await ctx.db.insert("recordsRequests", {
      studentId: student,
      organizationId: orgA,
      requestedBy: u.parent,
      requestedDate: addDays(today, -5),
      description: "All evaluation reports",
    });
    await ctx.db.insert("disclosures", {
      studentId: student,
      organizationId: orgA,
      recipient: "Dr. Outside",
      purpose: "Private evaluation",
      legitimateInterest: "Parent consent on file",
      recordsDisclosed: "Reading assessment",
      disclosedDate: addDays(today, -3),
      recordedBy: u.caseManager,
      at: Date.now(),
    });
    return {
      orgA,
      orgB,
      userIds: u,
      foreignTeacher,
      student,
      otherStudentRecord,
      foreignStudent,
      activeIep,
      draftIep,
      reviewIep,
      activeGoal,
      draftGoal,
      progress,
      publicDocument,
      confidentialDocument,
      spareUpload,
      evaluation,
      recordsRequest,
      teamMembership,
      parentGuardianship,
    };
  });
  const users = await t.run(async (ctx) => {
    const entries = await Promise.all(
      Object.entries(ids.userIds).map(async ([role, id]) => [role, (await ctx.db.get("users", id))!] as const),
    );
    return Object.fromEntries(entries) as World["users"];
  });
  const { userIds: _userIds, ...rest } = ids;
  return { t, today, users, ...rest };
}

/** The client a role calls with: an identity carrying the user's email, or none. */
export function as(world: World, role: Role) {
  if (role === "anonymous") return world.t;
  const user = world.users[role];
  return world.t.withIdentity({ email: user.email, subject: `auth|${role}`, name: `${user.firstName} ${user.lastName}` });
}

/** The ConvexError code a promise rejects with, or "OK". */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    const parsed = typeof data === "string" ? safeJson(data) : data;
    if (parsed && typeof parsed === "object" && "code" in parsed) return String((parsed as { code: unknown }).code);
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

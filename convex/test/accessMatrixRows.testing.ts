// Issue 5 §4: every public function × every role, allowed or refused (D6, D7, D15) — the table
// both suites run: convex/test/accessMatrix.test.ts on convex-test and
// tests/integration/accessMatrix.test.ts on the embedded backend over HTTP.
// Each row names who may call it against student S of organization A; every other role must be
// refused with a ConvexError (UNAUTHENTICATED for anonymous callers, FORBIDDEN or NOT_FOUND for
// the rest).
import type { FunctionReference, FunctionReturnType, OptionalRestArgs } from "convex/server";
import { api } from "../_generated/api";
import { ROLES, type AccessWorld, type Role } from "../fixtures/accessWorld";
import { addDays } from "../model/dates";

/**
 * What a row calls through: convex-test's `t.withIdentity(…)` or, in tests/integration, a
 * ConvexHttpClient acting as the role's identity on the embedded backend.
 */
export interface MatrixClient {
  query<Q extends FunctionReference<"query">>(query: Q, ...args: OptionalRestArgs<Q>): Promise<FunctionReturnType<Q>>;
  mutation<M extends FunctionReference<"mutation">>(mutation: M, ...args: OptionalRestArgs<M>): Promise<FunctionReturnType<M>>;
  /** An HTTP action request, path relative to the deployment's site URL. */
  fetch(path: string, init: RequestInit): Promise<Response>;
}
type Client = MatrixClient;
type World = AccessWorld;

export interface Row {
  fn: string;
  allowed: readonly Role[];
  mutates: boolean;
  call: (c: Client, w: World, role: Role) => Promise<unknown>;
}

const page = { paginationOpts: { numItems: 10, cursor: null } };

const ACTIVE: readonly Role[] = ROLES.filter((r) => r !== "inactive" && r !== "anonymous");
const STAFF_A: readonly Role[] = ["admin", "caseManager", "otherTeacher", "teamSpecialist", "unrelatedSpecialist"];
const STAFF: readonly Role[] = [...STAFF_A, "foreign"];
const MANAGE: readonly Role[] = ["admin", "caseManager"];
const TEAM: readonly Role[] = ["admin", "caseManager", "teamSpecialist"];
const FAMILY: readonly Role[] = [...TEAM, "parent"];
const WITH_STUDENT: readonly Role[] = [...FAMILY, "student"];
const ADMINS: readonly Role[] = ["admin", "foreign"]; // foreign: an admin, of organization B

const signatureOf = (w: World, role: Role) =>
  role === "anonymous" ? "Nobody" : `${w.users[role].firstName} ${w.users[role].lastName}`;

const observation = (w: World) => ({
  recordedDate: w.today,
  measurementValue: 90,
  measurementUnit: "WCPM",
  masteryLevel: "developing" as const,
  settingType: "resource room",
  independenceLevel: "independent",
});

const goalArgs = (w: World) => ({
  domain: "academic" as const,
  description: "Writes a five-sentence paragraph",
  baselineData: { measurement: "sentences", date: w.today, value: 1, context: "journal" },
  targetCriteria: { measurement: "sentences", target: 5, timeframe: "1 year", accuracy: "4/5", conditions: "prompt" },
  direction: "increase" as const,
  evaluationMethod: "work sample",
  frequency: "biweekly",
  responsibleProvider: w.users.teamSpecialist._id,
});

const q = (fn: string, allowed: readonly Role[], call: Row["call"]): Row => ({ fn, allowed, mutates: false, call });
const m = (fn: string, allowed: readonly Role[], call: Row["call"]): Row => ({ fn, allowed, mutates: true, call });

export const ROWS: Row[] = [
  // users
  q("users.getCurrentUser (anonymous gets null)", [...ACTIVE, "anonymous"], (c) => c.query(api.users.getCurrentUser, {})),
  q("users.getUsersByOrganization", STAFF_A, (c, w) => c.query(api.users.getUsersByOrganization, { organizationId: w.orgA })),
  q("users.list", ADMINS, (c) => c.query(api.users.list, page)),
  m("users.provisionUser", ADMINS, (c, w) =>
    c.mutation(api.users.provisionUser, { email: w.tag === "" ? "new@sems.test" : `new.${w.tag}@sems.test`, firstName: "New", lastName: "Person", role: "teacher" }),
  ),
  m("users.changeRole", ["admin"], (c, w) => c.mutation(api.users.changeRole, { userId: w.users.otherTeacher._id, role: "specialist" })),
  m("users.setActive", ["admin"], (c, w) => c.mutation(api.users.setActive, { userId: w.users.otherTeacher._id, isActive: false })),
  m("users.updatePreferences", ACTIVE, (c) =>
    c.mutation(api.users.updatePreferences, { preferences: { notifications: true, theme: "dark", language: "es" } }),
  ),
  m("users.updateOwnProfile", ACTIVE, (c) => c.mutation(api.users.updateOwnProfile, { phoneNumber: "555-0199" })),
  m("users.recordLogin", ACTIVE, (c) => c.mutation(api.users.recordLogin, {})),
  // invitations and the development mailbox (issue 6): the invitation page is anonymous (the
  // token is the credential); the rest is for the organization's admin.
  q("invitations.describe", ROLES, (c) => c.query(api.invitations.describe, { token: "no-such-token" })),
  q("invitations.listOpen", ADMINS, (c) => c.query(api.invitations.listOpen, {})),
  m("invitations.resend", ["admin"], (c, w) => c.mutation(api.invitations.resend, { userId: w.users.otherTeacher._id })),
  m("invitations.revoke", ["admin"], (c, w) => c.mutation(api.invitations.revoke, { userId: w.users.otherTeacher._id })),
  q("mail/devMailbox.listDevMailbox", ADMINS, (c) => c.query(api.mail.devMailbox.listDevMailbox, page)),
  // organizations
  q("organizations.getMine", ACTIVE, (c) => c.query(api.organizations.getMine, {})),
  m("organizations.updateSettings", ADMINS, (c) => c.mutation(api.organizations.updateSettings, { timezone: "America/Chicago" })),
  m("organizations.updateComplianceSettings", ADMINS, (c) =>
    c.mutation(api.organizations.updateComplianceSettings, { iepReviewCycle: 365, evaluationCycle: 1095, transitionAge: 14 }),
  ),
  q("organizations.getUsage", ADMINS, (c) => c.query(api.organizations.getUsage, {})),
  // students
  q("students.getStudentsByUser", ACTIVE, (c) => c.query(api.students.getStudentsByUser, {})),
  q("students.getStudentDetail", FAMILY, (c, w) => c.query(api.students.getStudentDetail, { studentId: w.student })),
  q("students.list", STAFF, (c) => c.query(api.students.list, page)),
  q("students.search", STAFF, (c) => c.query(api.students.search, { query: "jose" })),
  q("students.getTeam", FAMILY, (c, w) => c.query(api.students.getTeam, { studentId: w.student })),
  m("students.create", ["admin"], (c, w) =>
    c.mutation(api.students.create, {
      firstName: "New",
      lastName: "Student",
      dateOfBirth: "2012-01-02",
      studentNumber: "A-900",
      gradeLevel: "6",
      primaryDisability: "Autism",
      caseManagerId: w.users.caseManager._id, // organization A's: refused to organization B's admin
      emergencyContacts: [],
    }),
  ),
  m("students.update", MANAGE, (c, w) => c.mutation(api.students.update, { studentId: w.student, gradeLevel: "10" })),
  m("students.changeEnrollment", MANAGE, (c, w) =>
    c.mutation(api.students.changeEnrollment, { studentId: w.student, enrollmentStatus: "inactive" }),
  ),
  m("students.transferCaseManager", MANAGE, (c, w) =>
    c.mutation(api.students.transferCaseManager, { studentId: w.student, caseManagerId: w.users.otherTeacher._id }),
  ),
  m("students.addTeamMember", MANAGE, (c, w) =>
    c.mutation(api.students.addTeamMember, { studentId: w.student, userId: w.users.unrelatedSpecialist._id, kind: "specialist" }),
  ),
  m("students.endTeamMembership", MANAGE, (c, w) => c.mutation(api.students.endTeamMembership, { membershipId: w.teamMembership })),
  m("students.addGuardian", MANAGE, (c, w) =>
    c.mutation(api.students.addGuardian, {
      studentId: w.student,
      userId: w.users.otherParent._id,
      relationship: "stepfather",
      holdsEducationalRights: false,
    }),
  ),
  m("students.removeGuardian", MANAGE, (c, w) => c.mutation(api.students.removeGuardian, { guardianshipId: w.parentGuardianship })),
  m("students.recordView", [...FAMILY, "student"], (c, w) => c.mutation(api.students.recordView, { studentId: w.student })),
  m("students.exportRecord", MANAGE, (c, w) => c.mutation(api.students.exportRecord, { studentId: w.student })),
  // ieps
  q("ieps.getActiveIEP", FAMILY, (c, w) => c.query(api.ieps.getActiveIEP, { studentId: w.student })),
  q("ieps.getIEPWithGoals", FAMILY, (c, w) => c.query(api.ieps.getIEPWithGoals, { iepId: w.activeIep })),
  q("ieps.listForStudent", FAMILY, (c, w) => c.query(api.ieps.listForStudent, { studentId: w.student })),
  q("ieps.getContentHash", FAMILY, (c, w) => c.query(api.ieps.getContentHash, { iepId: w.draftIep })),
  m("ieps.createIEP", TEAM, (c, w) =>
    c.mutation(api.ieps.createIEP, {
      studentId: w.student,
      meetingDate: w.today,
      effectiveDate: w.today,
      expirationDate: addDays(w.today, 300),
      placement: "Resource room",
      serviceHours: { specialEducation: 4 },
    }),
  ),
  m("ieps.updateDraft", TEAM, (c, w) => c.mutation(api.ieps.updateDraft, { iepId: w.draftIep, placement: "Co-taught class" })),
  m("ieps.submitForReview", TEAM, (c, w) => c.mutation(api.ieps.submitForReview, { iepId: w.draftIep })),
  m("ieps.approve", ["admin", "caseManager", "parent"], (c, w, role) =>
    c.mutation(api.ieps.approve, { iepId: w.reviewIep, signature: signatureOf(w, role) }),
  ),
  m("ieps.amend", TEAM, (c, w) => c.mutation(api.ieps.amend, { iepId: w.activeIep })),
  // goals
  q("goals.listForStudent", WITH_STUDENT, (c, w) => c.query(api.goals.listForStudent, { studentId: w.student })),
  m("goals.create", TEAM, (c, w) => c.mutation(api.goals.create, { iepId: w.draftIep, ...goalArgs(w) })),
  m("goals.update", TEAM, (c, w) => c.mutation(api.goals.update, { goalId: w.draftGoal, ...goalArgs(w) })),
  m("goals.revise", TEAM, (c, w) => c.mutation(api.goals.revise, { goalId: w.activeGoal, ...goalArgs(w) })),
  m("goals.archive", TEAM, (c, w) => c.mutation(api.goals.archive, { goalId: w.activeGoal })),
  m("goals.recordMastery", TEAM, (c, w) => c.mutation(api.goals.recordMastery, { goalId: w.activeGoal, masteryDate: w.today })),
  // progress
  q("progress.getGoalProgress", WITH_STUDENT, (c, w) => c.query(api.progress.getGoalProgress, { goalId: w.activeGoal })),
  q("progress.getCorrectionHistory", WITH_STUDENT, (c, w) =>
    c.query(api.progress.getCorrectionHistory, { progressId: w.progress[0] }),
  ),
  m("progress.record", TEAM, (c, w) => c.mutation(api.progress.record, { goalId: w.activeGoal, ...observation(w) })),
  m("progress.correct", TEAM, (c, w) =>
    c.mutation(api.progress.correct, { progressId: w.progress[0], reason: "typo", ...observation(w) }),
  ),
  // documents (D15)
  m("documents.generateUploadUrl", TEAM, (c, w) => c.mutation(api.documents.generateUploadUrl, { studentId: w.student })),
  m("documents.create", TEAM, (c, w) =>
    c.mutation(api.documents.create, {
      studentId: w.student,
      storageId: w.spareUpload,
      documentType: "communication",
      title: "Parent letter",
      isConfidential: false,
    }),
  ),
  q("documents.listForStudent", FAMILY, (c, w) => c.query(api.documents.listForStudent, { studentId: w.student, ...page })),
  q("documents.get (not confidential)", FAMILY, (c, w) => c.query(api.documents.get, { documentId: w.publicDocument })),
  q("documents.get (confidential)", ["admin", "caseManager", "unrelatedSpecialist"], (c, w) =>
    c.query(api.documents.get, { documentId: w.confidentialDocument }),
  ),
  m("documents.updateMetadata", MANAGE, (c, w) =>
    c.mutation(api.documents.updateMetadata, { documentId: w.publicDocument, title: "Renamed" }),
  ),
  m("documents.updatePermissions", MANAGE, (c, w) =>
    c.mutation(api.documents.updatePermissions, { documentId: w.publicDocument, isConfidential: true }),
  ),
  m("GET /documents/download (not confidential)", FAMILY, (c, w) => download(c, w.publicDocument)),
  m("GET /documents/download (confidential, listed with view only)", MANAGE, (c, w) => download(c, w.confidentialDocument)),
  // collaboration (D12)
  q("collaboration.getDocumentEditors", FAMILY, (c, w) =>
    c.query(api.collaboration.getDocumentEditors, { documentId: `iep/${w.draftIep}/present_levels` }),
  ),
  m("collaboration.updateDocumentPresence", FAMILY, (c, w) =>
    c.mutation(api.collaboration.updateDocumentPresence, { documentId: `iep/${w.draftIep}/present_levels`, cursorPosition: 3 }),
  ),
  m("collaboration.leaveDocument", ACTIVE, (c, w) =>
    c.mutation(api.collaboration.leaveDocument, { documentId: `iep/${w.draftIep}/present_levels` }),
  ),
  // compliance
  q("compliance.getStudentClocks", TEAM, (c, w) => c.query(api.compliance.getStudentClocks, { studentId: w.student })),
  q("compliance.caseloadDashboard", STAFF, (c) => c.query(api.compliance.caseloadDashboard, page)),
  q("compliance.organizationDashboard", ADMINS, (c) => c.query(api.compliance.organizationDashboard, page)),
  // evaluations, records requests, progress reports
  q("evaluations.listForStudent", FAMILY, (c, w) => c.query(api.evaluations.listForStudent, { studentId: w.student })),
  m("evaluations.create", MANAGE, (c, w) => c.mutation(api.evaluations.create, { studentId: w.student, kind: "reevaluation" })),
  m("evaluations.update", MANAGE, (c, w) => c.mutation(api.evaluations.update, { evaluationId: w.evaluation, waived: true })),
  m("evaluations.recordConsent", [...MANAGE, "parent"], (c, w) =>
    c.mutation(api.evaluations.recordConsent, { evaluationId: w.evaluation, consentDate: w.today }),
  ),
  q("recordsRequests.listForStudent", FAMILY, (c, w) => c.query(api.recordsRequests.listForStudent, { studentId: w.student, ...page })),
  m("recordsRequests.create", [...MANAGE, "parent"], (c, w) =>
    c.mutation(api.recordsRequests.create, { studentId: w.student, description: "Progress data" }),
  ),
  m("recordsRequests.fulfill", MANAGE, (c, w) =>
    c.mutation(api.recordsRequests.fulfill, { requestId: w.recordsRequest, fulfilledDate: w.today }),
  ),
  q("progressReports.listForStudent", FAMILY, (c, w) => c.query(api.progressReports.listForStudent, { studentId: w.student })),
  m("progressReports.issue", MANAGE, (c, w) => c.mutation(api.progressReports.issue, { studentId: w.student, reportDate: w.today })),
  // audit log and disclosure ledger (D16)
  q("auditLog.listForStudent", [...MANAGE, "parent"], (c, w) => c.query(api.auditLog.listForStudent, { studentId: w.student, ...page })),
  q("auditLog.listForOrganization", ADMINS, (c) => c.query(api.auditLog.listForOrganization, page)),
  q("disclosures.listForStudent", [...MANAGE, "parent"], (c, w) =>
    c.query(api.disclosures.listForStudent, { studentId: w.student, ...page }),
  ),
  m("disclosures.record", MANAGE, (c, w) =>
    c.mutation(api.disclosures.record, {
      studentId: w.student,
      recipient: "County mental health",
      purpose: "Referral",
      legitimateInterest: "Parent consent of record",
      recordsDisclosed: "IEP",
      disclosedDate: w.today,
    }),
  ),
];

/** The download action's status as the matrix's outcome. */
async function download(c: Client, documentId: string) {
  const response = await c.fetch(`/documents/download?id=${documentId}`, { method: "GET" });
  if (response.status === 200) return await response.text();
  const body = (await response.json()) as { code: string; message: string };
  throw Object.assign(new Error(body.message), { data: body });
}

export async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "allowed";
  } catch (error) {
    const raw = (error as { data?: unknown }).data;
    const data = typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
    const code = data && typeof data === "object" && "code" in data ? String(data.code) : null;
    if (code === null) throw error; // an unexpected failure is a bug, not a refusal
    return `refused:${code}`;
  }
}

export function expectedOutcome(row: Row, role: Role): string {
  if (row.allowed.includes(role)) return "allowed";
  if (role === "anonymous") return "refused:UNAUTHENTICATED";
  if (role === "inactive") return "refused:FORBIDDEN";
  return "refused";
}

export function normalize(actual: string, expected: string): string {
  // Refusals other than anonymous/inactive may be FORBIDDEN or NOT_FOUND (a record of another
  // organization, or a reference the caller cannot see).
  if (expected === "refused" && (actual === "refused:FORBIDDEN" || actual === "refused:NOT_FOUND")) return "refused";
  return actual;
}

/** Every role's outcome of one row, and the outcome the table expects. */
export async function runRow<W extends World>(
  row: Row,
  shared: W,
  freshWorld: () => Promise<W>,
  clientFor: (world: W, role: Role) => Client,
): Promise<{ actual: Record<string, string>; expected: Record<string, string> }> {
  // Queries share one world. A mutation row gets a fresh world for its first call and again after
  // every call that went through, so one role's change cannot decide another's outcome; a refused
  // call threw, its transaction rolled back, and the world it ran against is unchanged.
  const actual: Record<string, string> = {};
  const expected: Record<string, string> = {};
  let world = row.mutates ? await freshWorld() : shared;
  for (const role of ROLES) {
    const want = expectedOutcome(row, role);
    expected[role] = want;
    const got = await outcomeOf(() => row.call(clientFor(world, role), world, role));
    actual[role] = normalize(got, want);
    if (row.mutates && got === "allowed") world = await freshWorld();
  }
  return { actual, expected };
}

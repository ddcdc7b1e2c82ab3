// Every access rule of SEMS (D6, D7, D15), in one module, reads and writes kept apart.
//
// Relationships, not job titles, grant access (FERPA 99.31(a)(1)(ii)): a teacher or specialist
// reaches a student only as their case manager or as a member of their team; a parent only
// through a guardianship; a student only their own record. Nobody ever reaches another
// organization's data (D6). Public functions resolve the caller with lib/functions.ts (which
// already refused anonymous and deactivated users) and then ask this module.
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { forbidden, notFound } from "../lib/errors";
import { todayIso } from "./dates";

export type Relation =
  | { kind: "admin" }
  | { kind: "case_manager" }
  | { kind: "team"; member: Doc<"studentTeamMembers"> }
  | { kind: "guardian"; guardianship: Doc<"guardianships"> }
  | { kind: "self" }
  | { kind: "none" };
export type RelationKind = Relation["kind"];

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export type ReadScope =
  | "profile" // the student record itself, team and guardians
  | "ieps"
  | "goals"
  | "progress"
  | "documents"
  | "compliance"
  | "auditLog" // the record of who accessed and changed the student's records
  | "disclosures"; // FERPA 99.32 ledger

const ALL_READS: readonly ReadScope[] = [
  "profile",
  "ieps",
  "goals",
  "progress",
  "documents",
  "compliance",
  "auditLog",
  "disclosures",
];

const READ_RULES: Record<RelationKind, readonly ReadScope[]> = {
  admin: ALL_READS,
  case_manager: ALL_READS,
  team: ["profile", "ieps", "goals", "progress", "documents", "compliance"],
  // D7: parents read their child's records (IEPs, goals, progress, non-confidential documents,
  // the access log and the disclosure ledger).
  guardian: ["profile", "ieps", "goals", "progress", "documents", "auditLog", "disclosures"],
  // D7: a student reads their own goals and progress.
  self: ["goals", "progress"],
  none: [],
};

export function canRead(relation: Relation, scope: ReadScope): boolean {
  return READ_RULES[relation.kind].includes(scope);
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

export type WriteAction =
  | "updateProfile" // demographics, disability, contacts, medical considerations
  | "changeEnrollment"
  | "transferCaseManager"
  | "manageTeam" // team members and guardians
  | "createIep" // D9
  | "manageEvaluations"
  | "recordDisclosure"
  | "issueProgressReport"
  | "requestRecords" // a parent's records request (300.613)
  | "fulfillRecordsRequest"
  | "recordConsent"
  | "addDocument"
  | "recordView"; // D16: opening a record is logged through a mutation

const WRITE_RULES: Record<RelationKind, readonly WriteAction[]> = {
  admin: [
    "updateProfile",
    "changeEnrollment",
    "transferCaseManager",
    "manageTeam",
    "createIep",
    "manageEvaluations",
    "recordDisclosure",
    "issueProgressReport",
    "requestRecords",
    "fulfillRecordsRequest",
    "recordConsent",
    "addDocument",
    "recordView",
  ],
  // D7: the case manager may change everything about the student.
  case_manager: [
    "updateProfile",
    "changeEnrollment",
    "transferCaseManager",
    "manageTeam",
    "createIep",
    "manageEvaluations",
    "recordDisclosure",
    "issueProgressReport",
    "requestRecords",
    "fulfillRecordsRequest",
    "recordConsent",
    "addDocument",
    "recordView",
  ],
  // D7/D9: other team members add documents and may start an IEP draft; IEP edits and progress
  // have their own, finer rules below.
  team: ["createIep", "addDocument", "recordView"],
  guardian: ["requestRecords", "recordConsent", "recordView"],
  self: ["recordView"],
  none: [],
};

export function canWrite(relation: Relation, action: WriteAction, user: Doc<"users">): boolean {
  if (!WRITE_RULES[relation.kind].includes(action)) return false;
  // Consent is given by a parent who holds the educational rights, not by any guardian.
  if (relation.kind === "guardian" && action === "recordConsent") {
    return relation.guardianship.holdsEducationalRights;
  }
  return user.isActive;
}

/** D7: edit an IEP (draft or in review) — admins, the case manager, team members on its team. */
export function canEditIep(relation: Relation, user: Doc<"users">, iep: Doc<"ieps">): boolean {
  if (relation.kind === "admin" || relation.kind === "case_manager") return true;
  return relation.kind === "team" && iep.teamMembers.includes(user._id);
}

/** D7: progress on a goal — admins, the case manager, and the goal's responsible provider on the team. */
export function canRecordProgress(
  relation: Relation,
  user: Doc<"users">,
  goal: Doc<"goals">,
): boolean {
  if (relation.kind === "admin" || relation.kind === "case_manager") return true;
  return relation.kind === "team" && goal.responsibleProvider === user._id;
}

export type SignerRole = "case_manager" | "district_representative" | "parent";

/** D10: the roles whose approvals activate an IEP, and who may sign as each. */
export function signerRoleFor(relation: Relation): SignerRole | null {
  switch (relation.kind) {
    case "case_manager":
      return "case_manager";
    case "admin":
      return "district_representative";
    case "guardian":
      return relation.guardianship.holdsEducationalRights ? "parent" : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Documents (D15)
// ---------------------------------------------------------------------------------------------

function listedPermission(user: Doc<"users">, document: Doc<"documents">) {
  return document.accessPermissions.find((p) => p.userId === user._id)?.permission ?? null;
}

/** A confidential document is visible only to the case manager, admins and the users it lists. */
export function canReadDocument(
  relation: Relation,
  user: Doc<"users">,
  document: Doc<"documents">,
): boolean {
  if (user.organizationId !== document.organizationId) return false;
  if (listedPermission(user, document) !== null) return true;
  if (!canRead(relation, "documents")) return false;
  if (!document.isConfidential) return true;
  return relation.kind === "admin" || relation.kind === "case_manager";
}

/** Download: readers by relationship, or listed users with download or edit permission. */
export function canDownloadDocument(
  relation: Relation,
  user: Doc<"users">,
  document: Doc<"documents">,
): boolean {
  if (user.organizationId !== document.organizationId) return false;
  const listed = listedPermission(user, document);
  if (listed === "download" || listed === "edit") return true;
  if (!canRead(relation, "documents")) return false;
  if (!document.isConfidential) return true;
  return relation.kind === "admin" || relation.kind === "case_manager";
}

/** Change a document's metadata or permissions. */
export function canEditDocument(
  relation: Relation,
  user: Doc<"users">,
  document: Doc<"documents">,
): boolean {
  if (user.organizationId !== document.organizationId) return false;
  if (relation.kind === "admin" || relation.kind === "case_manager") return true;
  if (listedPermission(user, document) === "edit") return true;
  return relation.kind === "team" && document.uploadedBy === user._id;
}

// ---------------------------------------------------------------------------------------------
// Relationships
// ---------------------------------------------------------------------------------------------

export function isStaff(user: Doc<"users">): boolean {
  return user.role === "admin" || user.role === "teacher" || user.role === "specialist";
}

/** A team membership counts while today lies in [startDate, endDate]. */
export function isCurrentMembership(member: Doc<"studentTeamMembers">, today: string): boolean {
  return member.startDate <= today && (member.endDate === undefined || member.endDate >= today);
}

export async function relationToStudent(
  ctx: QueryCtx,
  user: Doc<"users">,
  student: Doc<"students">,
): Promise<Relation> {
  if (!user.isActive || user.organizationId !== student.organizationId) return { kind: "none" };
  switch (user.role) {
    case "admin":
      return { kind: "admin" };
    case "teacher":
    case "specialist": {
      if (student.caseManagerId === user._id) return { kind: "case_manager" };
      const today = todayIso();
      const memberships = await ctx.db
        .query("studentTeamMembers")
        .withIndex("by_student_user", (q) => q.eq("studentId", student._id).eq("userId", user._id))
        .collect();
      const current = memberships.find((m) => isCurrentMembership(m, today));
      return current ? { kind: "team", member: current } : { kind: "none" };
    }
    case "parent": {
      const guardianship = await ctx.db
        .query("guardianships")
        .withIndex("by_student_user", (q) => q.eq("studentId", student._id).eq("userId", user._id))
        .first();
      return guardianship ? { kind: "guardian", guardianship } : { kind: "none" };
    }
    case "student":
      return user.studentId === student._id ? { kind: "self" } : { kind: "none" };
  }
}

const NO_ACCESS = "You do not have access to this student's records.";

export interface StudentAccess {
  student: Doc<"students">;
  relation: Relation;
}

/** Loads the student and refuses unless the caller may read `scope` of their records. */
export async function requireStudentRead(
  ctx: QueryCtx,
  user: Doc<"users">,
  studentId: Id<"students">,
  scope: ReadScope,
): Promise<StudentAccess> {
  const student = await ctx.db.get("students", studentId);
  if (!student) return notFound("The student");
  const relation = await relationToStudent(ctx, user, student);
  if (!canRead(relation, scope)) return forbidden(NO_ACCESS);
  return { student, relation };
}

/** Loads the student and refuses unless the caller may perform `action` on their records. */
export async function requireStudentWrite(
  ctx: QueryCtx,
  user: Doc<"users">,
  studentId: Id<"students">,
  action: WriteAction,
): Promise<StudentAccess> {
  const student = await ctx.db.get("students", studentId);
  if (!student) return notFound("The student");
  const relation = await relationToStudent(ctx, user, student);
  if (!canWrite(relation, action, user)) {
    return forbidden(
      relation.kind === "none" ? NO_ACCESS : "Your role on this student's team does not allow this change.",
    );
  }
  return { student, relation };
}

/** Refuses unless the caller relates to the student at all (used before finer checks). */
export async function requireStudentRelation(
  ctx: QueryCtx,
  user: Doc<"users">,
  studentId: Id<"students">,
): Promise<StudentAccess> {
  const student = await ctx.db.get("students", studentId);
  if (!student) return notFound("The student");
  const relation = await relationToStudent(ctx, user, student);
  if (relation.kind === "none") return forbidden(NO_ACCESS);
  return { student, relation };
}

// ---------------------------------------------------------------------------------------------
// Organization-level rules
// ---------------------------------------------------------------------------------------------

export function requireOwnOrganization(user: Doc<"users">, organizationId: Id<"organizations">) {
  if (user.organizationId !== organizationId) {
    forbidden("You can only see and change your own organization's data.");
  }
}

export function requireAdmin(user: Doc<"users">) {
  if (user.role !== "admin") forbidden("Only an administrator can do this.");
}

export function requireStaff(user: Doc<"users">) {
  if (!isStaff(user)) forbidden("Only school staff can do this.");
}

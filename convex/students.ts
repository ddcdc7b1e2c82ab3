// Students: the specification's getStudentsByUser and getStudentDetail (D2, D6, D7), listing with
// pagination and sorting, name search (issue 5 §8), and the changes an admin or case manager makes:
// create, update, enrollment, case-manager transfer, team members and guardians.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { conflict, forbidden, invalid, limitExceeded, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import {
  canRead,
  isCurrentMembership,
  relationToStudent,
  requireAdmin,
  requireOwnOrganization,
  requireStaff,
  requireStudentRead,
  requireStudentWrite,
} from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate, todayIso } from "./model/dates";
import { foldForSearch, searchNameFor } from "./model/searchName";
import {
  encryptDateOfBirth,
  encryptMedical,
  studentDetail,
  studentSummary,
  toDetail,
  toSummary,
} from "./model/studentRecords";
import { emergencyContact, enrollmentStatus, teamMemberKind } from "./model/validators";

/**
 * Spec: the students the caller works with. Admin: the whole organization; teacher or specialist:
 * their caseload and the students whose team they are on (D7); parent: their children. A student
 * account reads only its goals and progress, so it gets an empty list (as the spec's fallback).
 */
export const getStudentsByUser = authedQuery({
  args: {},
  returns: v.array(studentSummary),
  handler: async (ctx) => {
    const user = ctx.user;
    if (user.role === "admin") {
      const all = await ctx.db
        .query("students")
        .withIndex("by_organization", (q) => q.eq("organizationId", user.organizationId))
        .collect();
      return all.map(toSummary);
    }
    if (user.role === "teacher" || user.role === "specialist") {
      const caseload = await ctx.db
        .query("students")
        .withIndex("by_case_manager", (q) => q.eq("caseManagerId", user._id))
        .collect();
      const today = todayIso();
      const memberships = await ctx.db
        .query("studentTeamMembers")
        .withIndex("by_user", (q) => q.eq("userId", user._id))
        .collect();
      const seen = new Set(caseload.map((s) => s._id));
      const team: Doc<"students">[] = [];
      for (const membership of memberships) {
        if (!isCurrentMembership(membership, today) || seen.has(membership.studentId)) continue;
        const student = await ctx.db.get("students", membership.studentId);
        if (student && student.organizationId === user.organizationId) {
          seen.add(student._id);
          team.push(student);
        }
      }
      return [...caseload, ...team]
        .filter((s) => s.organizationId === user.organizationId)
        .map(toSummary);
    }
    if (user.role === "parent") {
      const guardianships = await ctx.db
        .query("guardianships")
        .withIndex("by_user", (q) => q.eq("userId", user._id))
        .collect();
      const children: Doc<"students">[] = [];
      for (const guardianship of guardianships) {
        const student = await ctx.db.get("students", guardianship.studentId);
        if (student && student.organizationId === user.organizationId) children.push(student);
      }
      return children.map(toSummary);
    }
    return [];
  },
});

/** Spec: one student's full record, date of birth and medical notes decrypted (D14); null if gone. */
export const getStudentDetail = authedQuery({
  args: { studentId: v.id("students") },
  returns: v.union(studentDetail, v.null()),
  handler: async (ctx, args) => {
    const student = await ctx.db.get("students", args.studentId);
    if (!student) return null;
    const { student: allowed } = await requireStudentRead(ctx, ctx.user, args.studentId, "profile");
    return await toDetail(allowed);
  },
});

const sortBy = v.union(v.literal("name"), v.literal("grade"), v.literal("studentNumber"));

/**
 * Staff: a page of students. Admins page through the organization sorted by name, grade or
 * student number; teachers and specialists page through their caseload (or, for an admin,
 * `caseManagerId`'s caseload).
 */
export const list = authedQuery({
  args: {
    paginationOpts: paginationOptsValidator,
    sortBy: v.optional(sortBy),
    order: v.optional(v.union(v.literal("asc"), v.literal("desc"))),
    caseManagerId: v.optional(v.id("users")),
  },
  handler: async (ctx, args) => {
    requireStaff(ctx.user);
    const organizationId = ctx.user.organizationId;
    const order = args.order ?? "asc";
    let caseManagerId = args.caseManagerId;
    if (ctx.user.role !== "admin") {
      if (caseManagerId !== undefined && caseManagerId !== ctx.user._id) {
        forbidden("You can list only your own caseload.");
      }
      caseManagerId = ctx.user._id;
    }
    let page;
    if (caseManagerId !== undefined) {
      const managerId = caseManagerId;
      page = await ctx.db
        .query("students")
        .withIndex("by_case_manager", (q) => q.eq("caseManagerId", managerId))
        .order(order)
        .paginate(args.paginationOpts);
    } else {
      const index =
        args.sortBy === "grade"
          ? ("by_grade" as const)
          : args.sortBy === "studentNumber"
            ? ("by_student_number" as const)
            : ("by_organization" as const);
      page = await ctx.db
        .query("students")
        .withIndex(index, (q) => q.eq("organizationId", organizationId))
        .order(order)
        .paginate(args.paginationOpts);
    }
    return {
      ...page,
      page: page.page.filter((s) => s.organizationId === organizationId).map(toSummary),
    };
  },
});

/** Staff: students of the organization whose name matches, limited to those the caller may read. */
export const search = authedQuery({
  args: { query: v.string(), limit: v.optional(v.number()) },
  returns: v.array(studentSummary),
  handler: async (ctx, args) => {
    requireStaff(ctx.user);
    const text = foldForSearch(args.query);
    if (!text) return [];
    const limit = Math.min(Math.max(args.limit ?? 20, 1), 50);
    const organizationId = ctx.user.organizationId;
    const candidates = await ctx.db
      .query("students")
      .withSearchIndex("search_name", (q) =>
        q.search("searchName", text).eq("organizationId", organizationId),
      )
      .take(limit * 3);
    const visible: Doc<"students">[] = [];
    for (const student of candidates) {
      const relation = await relationToStudent(ctx, ctx.user, student);
      if (canRead(relation, "profile")) visible.push(student);
      if (visible.length >= limit) break;
    }
    return visible.map(toSummary);
  },
});

/** Readers of the profile: the student's current team and guardians, with names. */
export const getTeam = authedQuery({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    const { student } = await requireStudentRead(ctx, ctx.user, args.studentId, "profile");
    const nameOf = async (userId: Id<"users">) => {
      const u = await ctx.db.get("users", userId);
      return u ? { firstName: u.firstName, lastName: u.lastName, role: u.role, email: u.email } : null;
    };
    const members = await ctx.db
      .query("studentTeamMembers")
      .withIndex("by_student_user", (q) => q.eq("studentId", student._id))
      .collect();
    const guardians = await ctx.db
      .query("guardianships")
      .withIndex("by_student_user", (q) => q.eq("studentId", student._id))
      .collect();
    return {
      caseManager: { userId: student.caseManagerId, user: await nameOf(student.caseManagerId) },
      members: await Promise.all(members.map(async (m) => ({ ...m, user: await nameOf(m.userId) }))),
      guardians: await Promise.all(guardians.map(async (g) => ({ ...g, user: await nameOf(g.userId) }))),
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

async function requireStaffMember(ctx: QueryCtx, organizationId: Id<"organizations">, userId: Id<"users">, what: string) {
  const member = await ctx.db.get("users", userId);
  if (!member || member.organizationId !== organizationId) return notFound(what);
  if (!member.isActive) invalid(`${member.firstName} ${member.lastName}'s account is deactivated.`);
  if (member.role !== "teacher" && member.role !== "specialist" && member.role !== "admin") {
    invalid(`${member.firstName} ${member.lastName} is not school staff.`);
  }
  return member;
}

async function requireUniqueStudentNumber(
  ctx: QueryCtx,
  organizationId: Id<"organizations">,
  studentNumber: string,
  except?: Id<"students">,
) {
  const clash = await ctx.db
    .query("students")
    .withIndex("by_student_number", (q) => q.eq("organizationId", organizationId).eq("studentNumber", studentNumber))
    .first();
  if (clash && clash._id !== except) conflict(`Student number ${studentNumber} is already in use.`);
}

/** D8: refuses enrolling a student beyond the organization's maxStudents. */
async function requireStudentCapacity(ctx: MutationCtx, organizationId: Id<"organizations">) {
  const organization = await ctx.db.get("organizations", organizationId);
  if (!organization) return notFound("Your organization");
  const enrolled = await ctx.db
    .query("students")
    .withIndex("by_status", (q) => q.eq("organizationId", organizationId).eq("enrollmentStatus", "active"))
    .collect();
  if (enrolled.length >= organization.maxStudents) {
    limitExceeded(
      `Your organization has reached its limit of ${organization.maxStudents} enrolled students.`,
    );
  }
}

/** Admin: enrol a student (D8: within maxStudents; D14: sensitive fields encrypted). */
export const create = authedMutation({
  args: {
    firstName: v.string(),
    lastName: v.string(),
    dateOfBirth: v.string(),
    studentNumber: v.string(),
    gradeLevel: v.string(),
    primaryDisability: v.string(),
    secondaryDisabilities: v.optional(v.array(v.string())),
    caseManagerId: v.id("users"),
    emergencyContacts: v.array(emergencyContact),
    medicalConsiderations: v.optional(v.string()),
    transportationNeeds: v.optional(v.string()),
  },
  returns: v.id("students"),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const organizationId = ctx.user.organizationId;
    if (!args.firstName.trim() || !args.lastName.trim()) invalid("First and last name are required.");
    if (!args.studentNumber.trim()) invalid("A student number is required.");
    requireIsoDate(args.dateOfBirth, "Date of birth");
    await requireStaffMember(ctx, organizationId, args.caseManagerId, "The case manager");
    await requireUniqueStudentNumber(ctx, organizationId, args.studentNumber);
    await requireStudentCapacity(ctx, organizationId);
    const studentId = await ctx.db.insert("students", {
      organizationId,
      firstName: args.firstName.trim(),
      lastName: args.lastName.trim(),
      searchName: searchNameFor(args.firstName, args.lastName),
      dateOfBirth: await encryptDateOfBirth(args.dateOfBirth),
      studentNumber: args.studentNumber.trim(),
      gradeLevel: args.gradeLevel,
      primaryDisability: args.primaryDisability,
      ...(args.secondaryDisabilities !== undefined ? { secondaryDisabilities: args.secondaryDisabilities } : {}),
      caseManagerId: args.caseManagerId,
      enrollmentStatus: "active",
      iepStatus: "not_applicable",
      emergencyContacts: args.emergencyContacts,
      ...(args.medicalConsiderations !== undefined
        ? { medicalConsiderations: await encryptMedical(args.medicalConsiderations) }
        : {}),
      ...(args.transportationNeeds !== undefined ? { transportationNeeds: args.transportationNeeds } : {}),
    });
    await writeAudit(ctx, {
      organizationId,
      studentId,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "students",
      targetId: studentId,
    });
    return studentId;
  },
});

/** Admin or case manager: change the student's profile. */
export const update = authedMutation({
  args: {
    studentId: v.id("students"),
    firstName: v.optional(v.string()),
    lastName: v.optional(v.string()),
    dateOfBirth: v.optional(v.string()),
    studentNumber: v.optional(v.string()),
    gradeLevel: v.optional(v.string()),
    primaryDisability: v.optional(v.string()),
    secondaryDisabilities: v.optional(v.array(v.string())),
    emergencyContacts: v.optional(v.array(emergencyContact)),
    medicalConsiderations: v.optional(v.string()),
    transportationNeeds: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "updateProfile");
    const { studentId, ...fields } = args;
    if (fields.firstName !== undefined && !fields.firstName.trim()) invalid("First name cannot be empty.");
    if (fields.lastName !== undefined && !fields.lastName.trim()) invalid("Last name cannot be empty.");
    if (fields.dateOfBirth !== undefined) requireIsoDate(fields.dateOfBirth, "Date of birth");
    if (fields.studentNumber !== undefined) {
      await requireUniqueStudentNumber(ctx, student.organizationId, fields.studentNumber, student._id);
    }
    const firstName = fields.firstName?.trim() ?? student.firstName;
    const lastName = fields.lastName?.trim() ?? student.lastName;
    const patch: Partial<Doc<"students">> = {
      firstName,
      lastName,
      searchName: searchNameFor(firstName, lastName),
      ...(fields.studentNumber !== undefined ? { studentNumber: fields.studentNumber.trim() } : {}),
      ...(fields.gradeLevel !== undefined ? { gradeLevel: fields.gradeLevel } : {}),
      ...(fields.primaryDisability !== undefined ? { primaryDisability: fields.primaryDisability } : {}),
      ...(fields.secondaryDisabilities !== undefined ? { secondaryDisabilities: fields.secondaryDisabilities } : {}),
      ...(fields.emergencyContacts !== undefined ? { emergencyContacts: fields.emergencyContacts } : {}),
      ...(fields.transportationNeeds !== undefined ? { transportationNeeds: fields.transportationNeeds } : {}),
    };
    if (fields.dateOfBirth !== undefined) patch.dateOfBirth = await encryptDateOfBirth(fields.dateOfBirth);
    if (fields.medicalConsiderations !== undefined) {
      patch.medicalConsiderations = await encryptMedical(fields.medicalConsiderations);
    }
    await ctx.db.patch("students", studentId, patch);
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "students",
      targetId: studentId,
      // Field names only: never the plaintext of an encrypted field (D14).
      details: Object.keys(fields).join(", "),
    });
    return null;
  },
});

/** Admin or case manager: enrolment status (re-enrolling counts against maxStudents, D8). */
export const changeEnrollment = authedMutation({
  args: { studentId: v.id("students"), enrollmentStatus },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "changeEnrollment");
    if (student.enrollmentStatus === args.enrollmentStatus) return null;
    if (args.enrollmentStatus === "active") await requireStudentCapacity(ctx, student.organizationId);
    await ctx.db.patch("students", student._id, { enrollmentStatus: args.enrollmentStatus });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "status_change",
      targetTable: "students",
      targetId: student._id,
      details: `enrollment ${student.enrollmentStatus} → ${args.enrollmentStatus}`,
    });
    return null;
  },
});

/** Admin or the current case manager: hand the student to another teacher or specialist. */
export const transferCaseManager = authedMutation({
  args: { studentId: v.id("students"), caseManagerId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "transferCaseManager");
    const next = await requireStaffMember(ctx, student.organizationId, args.caseManagerId, "The new case manager");
    if (next.role === "admin") invalid("A case manager must be a teacher or a specialist.");
    if (next._id === student.caseManagerId) return null;
    await ctx.db.patch("students", student._id, { caseManagerId: next._id });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "students",
      targetId: student._id,
      details: `case manager ${student.caseManagerId} → ${next._id}`,
    });
    return null;
  },
});

/** Admin or case manager: add a teacher, specialist or related-service provider to the team (D7). */
export const addTeamMember = authedMutation({
  args: {
    studentId: v.id("students"),
    userId: v.id("users"),
    kind: teamMemberKind,
    startDate: v.optional(v.string()),
  },
  returns: v.id("studentTeamMembers"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "manageTeam");
    const member = await requireStaffMember(ctx, student.organizationId, args.userId, "The team member");
    if (member.role === "admin") invalid("Administrators already see every student; add a teacher or specialist.");
    const startDate = args.startDate !== undefined ? requireIsoDate(args.startDate, "Start date") : todayIso();
    const today = todayIso();
    const existing = await ctx.db
      .query("studentTeamMembers")
      .withIndex("by_student_user", (q) => q.eq("studentId", student._id).eq("userId", member._id))
      .collect();
    if (existing.some((m) => isCurrentMembership(m, today) || m.startDate > today)) {
      conflict(`${member.firstName} ${member.lastName} is already on this student's team.`);
    }
    const id = await ctx.db.insert("studentTeamMembers", {
      studentId: student._id,
      userId: member._id,
      organizationId: student.organizationId,
      kind: args.kind,
      startDate,
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "studentTeamMembers",
      targetId: id,
      details: `${args.kind} ${member._id}`,
    });
    return id;
  },
});

/** Admin or case manager: end a team membership (kept, with its end date, for the record). */
export const endTeamMembership = authedMutation({
  args: { membershipId: v.id("studentTeamMembers"), endDate: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const membership = await ctx.db.get("studentTeamMembers", args.membershipId);
    if (!membership) return notFound("The team membership");
    const { student } = await requireStudentWrite(ctx, ctx.user, membership.studentId, "manageTeam");
    const endDate = args.endDate !== undefined ? requireIsoDate(args.endDate, "End date") : todayIso();
    if (endDate < membership.startDate) invalid("A membership cannot end before it starts.");
    await ctx.db.patch("studentTeamMembers", membership._id, { endDate });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "studentTeamMembers",
      targetId: membership._id,
      details: `ended ${endDate}`,
    });
    return null;
  },
});

/** Admin or case manager: link a parent account to the student (D7). */
export const addGuardian = authedMutation({
  args: {
    studentId: v.id("students"),
    userId: v.id("users"),
    relationship: v.string(),
    holdsEducationalRights: v.boolean(),
  },
  returns: v.id("guardianships"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "manageTeam");
    const parent = await ctx.db.get("users", args.userId);
    if (!parent || parent.organizationId !== student.organizationId) return notFound("The parent's account");
    if (parent.role !== "parent") invalid(`${parent.firstName} ${parent.lastName}'s account is not a parent account.`);
    const existing = await ctx.db
      .query("guardianships")
      .withIndex("by_student_user", (q) => q.eq("studentId", student._id).eq("userId", parent._id))
      .first();
    if (existing) conflict(`${parent.firstName} ${parent.lastName} is already linked to this student.`);
    const id = await ctx.db.insert("guardianships", {
      studentId: student._id,
      userId: parent._id,
      organizationId: student.organizationId,
      relationship: args.relationship,
      holdsEducationalRights: args.holdsEducationalRights,
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "guardianships",
      targetId: id,
    });
    return id;
  },
});

/** Admin or case manager: unlink a parent account (the audit log keeps that it existed). */
export const removeGuardian = authedMutation({
  args: { guardianshipId: v.id("guardianships") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const guardianship = await ctx.db.get("guardianships", args.guardianshipId);
    if (!guardianship) return notFound("The guardian link");
    const { student } = await requireStudentWrite(ctx, ctx.user, guardianship.studentId, "manageTeam");
    await ctx.db.delete("guardianships", guardianship._id);
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "delete",
      targetTable: "guardianships",
      targetId: guardianship._id,
      details: `parent ${guardianship.userId}`,
    });
    return null;
  },
});

/** D16: opening a student's record is logged by this mutation, which the application calls. */
export const recordView = authedMutation({
  args: { studentId: v.id("students"), section: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "recordView");
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "view",
      targetTable: "students",
      targetId: student._id,
      details: args.section,
    });
    return null;
  },
});

/** Admin or case manager: the whole record for a person (decrypted), recorded as an export (D16). */
export const exportRecord = authedMutation({
  args: { studentId: v.id("students") },
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "updateProfile");
    requireOwnOrganization(ctx.user, student.organizationId);
    const ieps = await ctx.db
      .query("ieps")
      .withIndex("by_student", (q) => q.eq("studentId", student._id))
      .collect();
    const goals = await ctx.db
      .query("goals")
      .withIndex("by_student", (q) => q.eq("studentId", student._id))
      .collect();
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "export",
      targetTable: "students",
      targetId: student._id,
    });
    return { student: await toDetail(student), ieps, goals };
  },
});

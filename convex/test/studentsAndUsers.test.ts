// Tenancy (D6), relationships (D7), limits (D8), search (issue 5 §8), identity mapping (D3).
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { addDays } from "../model/dates";
import { as, buildWorld, emailOf, outcome } from "./world.testing";

test("getStudentsByUser follows relationships and never crosses organizations", async () => {
  const w = await buildWorld();
  const names = async (role: Parameters<typeof as>[1]) =>
    (await as(w, role).query(api.students.getStudentsByUser, {})).map((s) => s.studentNumber).sort();
  expect(await names("admin")).toEqual(["A-001", "A-002"]);
  expect(await names("caseManager")).toEqual(["A-001"]);
  expect(await names("teamSpecialist")).toEqual(["A-001"]);
  expect(await names("otherTeacher")).toEqual(["A-002"]);
  expect(await names("unrelatedSpecialist")).toEqual([]);
  expect(await names("parent")).toEqual(["A-001"]);
  expect(await names("otherParent")).toEqual(["A-002"]);
  expect(await names("student")).toEqual([]);
  expect(await names("foreign")).toEqual(["B-001"]);
  // An ended team membership ends access.
  await as(w, "caseManager").mutation(api.students.endTeamMembership, {
    membershipId: w.teamMembership,
    endDate: addDays(w.today, -1),
  });
  expect(await names("teamSpecialist")).toEqual([]);
  expect(
    await outcome(as(w, "teamSpecialist").query(api.students.getStudentDetail, { studentId: w.student })),
  ).toBe("FORBIDDEN");
});

test("another organization's records are refused whatever the role, and lists stay inside", async () => {
  const w = await buildWorld();
  const foreign = as(w, "foreign");
  expect(await outcome(foreign.query(api.students.getStudentDetail, { studentId: w.student }))).toBe("FORBIDDEN");
  expect(await outcome(foreign.query(api.users.getUsersByOrganization, { organizationId: w.orgA }))).toBe("FORBIDDEN");
  const page = await foreign.query(api.students.list, { paginationOpts: { numItems: 50, cursor: null } });
  expect(page.page.map((s) => s.studentNumber)).toEqual(["B-001"]);
  const audit = await foreign.query(api.auditLog.listForOrganization, { paginationOpts: { numItems: 50, cursor: null } });
  expect(audit.page.every((e) => e.organizationId === w.orgB)).toBe(true);
  // Organization A's settings are untouched by B's admin changing B's.
  await foreign.mutation(api.organizations.updateSettings, { timezone: "Europe/Paris" });
  const a = await as(w, "admin").query(api.organizations.getMine, {});
  expect(a.settings.timezone).toBe("UTC");
});

test("search: accent-folded names, inside the organization, only students the caller may read", async () => {
  const w = await buildWorld();
  const numbers = async (role: "admin" | "caseManager" | "otherTeacher" | "foreign", query: string) =>
    (await as(w, role).query(api.students.search, { query })).map((s) => s.studentNumber);
  expect(await numbers("admin", "jose nunez")).toEqual(["A-001"]);
  expect(await numbers("admin", "NÚÑEZ")).toEqual(["A-001"]);
  expect(await numbers("caseManager", "José")).toEqual(["A-001"]);
  expect(await numbers("otherTeacher", "jose")).toEqual([]);
  expect(await numbers("foreign", "jose")).toEqual([]);
  expect(await numbers("foreign", "bjorn")).toEqual(["B-001"]);
});

test("limits: users and enrolled students beyond the organization's maximum are refused (D8)", async () => {
  const w = await buildWorld();
  const admin = as(w, "admin");
  await w.t.run(async (ctx) => ctx.db.patch("organizations", w.orgA, { maxUsers: 9, maxStudents: 2 }));
  // Nine active users in A (the tenth, "inactive", does not count).
  expect(
    await outcome(
      admin.mutation(api.users.provisionUser, { email: "x@sems.test", firstName: "X", lastName: "Y", role: "teacher" }),
    ),
  ).toBe("LIMIT_EXCEEDED");
  expect(await outcome(admin.mutation(api.users.setActive, { userId: w.users.inactive._id, isActive: true }))).toBe(
    "LIMIT_EXCEEDED",
  );
  const create = (studentNumber: string) =>
    admin.mutation(api.students.create, {
      firstName: "New",
      lastName: "Kid",
      dateOfBirth: "2015-06-01",
      studentNumber,
      gradeLevel: "4",
      primaryDisability: "Autism",
      caseManagerId: w.users.caseManager._id,
      emergencyContacts: [],
    });
  expect(await outcome(create("A-777"))).toBe("LIMIT_EXCEEDED");
  await admin.mutation(api.students.changeEnrollment, { studentId: w.otherStudentRecord, enrollmentStatus: "graduated" });
  expect(await outcome(create("A-777"))).toBe("OK");
  expect(await outcome(create("A-778"))).toBe("LIMIT_EXCEEDED");
});

test("student numbers are unique per organization; emails are unique", async () => {
  const w = await buildWorld();
  const admin = as(w, "admin");
  expect(await outcome(admin.mutation(api.students.update, { studentId: w.student, studentNumber: "A-002" }))).toBe(
    "CONFLICT",
  );
  expect(
    await outcome(
      admin.mutation(api.users.provisionUser, {
        email: emailOf("parent").toUpperCase(),
        firstName: "Dup",
        lastName: "Licate",
        role: "parent",
      }),
    ),
  ).toBe("CONFLICT");
});

test("identity → user: by email, or by the subject when the identity has no email (D3)", async () => {
  const w = await buildWorld();
  await w.t.run(async (ctx) => ctx.db.patch("users", w.users.caseManager._id, { authUserId: "better-auth|42" }));
  const bySubject = await w.t.withIdentity({ subject: "better-auth|42" }).query(api.users.getCurrentUser, {});
  expect(bySubject?._id).toBe(w.users.caseManager._id);
  const unknown = await w.t.withIdentity({ subject: "nobody", email: "nobody@sems.test" }).query(api.users.getCurrentUser, {});
  expect(unknown).toBeNull();
  expect(
    await outcome(w.t.withIdentity({ subject: "nobody", email: "nobody@sems.test" }).query(api.students.getStudentsByUser, {})),
  ).toBe("UNAUTHENTICATED");
  // Deactivation takes effect on the next call.
  await as(w, "admin").mutation(api.users.setActive, { userId: w.users.caseManager._id, isActive: false });
  expect(await outcome(as(w, "caseManager").query(api.students.getStudentsByUser, {}))).toBe("FORBIDDEN");
});

test("transfer of the case manager moves access with it", async () => {
  const w = await buildWorld();
  await as(w, "caseManager").mutation(api.students.transferCaseManager, {
    studentId: w.student,
    caseManagerId: w.users.otherTeacher._id,
  });
  expect(await outcome(as(w, "otherTeacher").query(api.students.getStudentDetail, { studentId: w.student }))).toBe("OK");
  expect(await outcome(as(w, "caseManager").query(api.students.getStudentDetail, { studentId: w.student }))).toBe(
    "FORBIDDEN",
  );
});

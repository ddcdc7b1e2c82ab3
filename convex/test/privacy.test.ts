// D14: date of birth and medical considerations are stored only as ciphertext; D16: writes,
// exports and views leave audit entries, written in the same transaction (a refused write leaves
// none), and never carry the plaintext of an encrypted field.
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { isEncryptedField } from "../model/crypto";
import { as, buildWorld, DOB, MEDICAL, outcome } from "./world.testing";

test("students are stored with no plaintext date of birth or medical notes", async () => {
  const world = await buildWorld();
  const admin = as(world, "admin");
  const created = await admin.mutation(api.students.create, {
    firstName: "Lena",
    lastName: "Ortiz",
    dateOfBirth: "2011-03-09",
    studentNumber: "A-100",
    gradeLevel: "7",
    primaryDisability: "Other health impairment",
    caseManagerId: world.users.caseManager._id,
    emergencyContacts: [],
    medicalConsiderations: "Type 1 diabetes, insulin pump",
  });
  await admin.mutation(api.students.update, {
    studentId: created,
    dateOfBirth: "2011-03-10",
    medicalConsiderations: "Type 1 diabetes; glucose checks before lunch",
  });

  const raw = await world.t.run(async (ctx) => await ctx.db.query("students").collect());
  const serialized = JSON.stringify(raw);
  for (const plaintext of [DOB, MEDICAL, "2011-03-09", "2011-03-10", "diabetes", "insulin", "glucose"]) {
    expect(serialized).not.toContain(plaintext);
  }
  for (const student of raw) {
    expect(isEncryptedField(student.dateOfBirth)).toBe(true);
    if (student.medicalConsiderations !== undefined) expect(isEncryptedField(student.medicalConsiderations)).toBe(true);
  }
  const audit = JSON.stringify(await world.t.run(async (ctx) => await ctx.db.query("auditLog").collect()));
  expect(audit).not.toContain("2011-03");
  expect(audit).not.toContain("diabetes");

  // Readers of the profile get the plaintext back.
  const detail = await as(world, "caseManager").query(api.students.getStudentDetail, { studentId: created });
  expect(detail?.dateOfBirth).toBe("2011-03-10");
  expect(detail?.medicalConsiderations).toBe("Type 1 diabetes; glucose checks before lunch");
  // Lists never carry the encrypted fields at all.
  const list = await admin.query(api.students.getStudentsByUser, {});
  expect(list.find((s) => s._id === created)).not.toHaveProperty("dateOfBirth");
});

test("a write and its audit entry commit together; a refused write leaves neither", async () => {
  const world = await buildWorld();
  const count = () => world.t.run(async (ctx) => (await ctx.db.query("auditLog").collect()).length);
  const before = await count();
  await as(world, "teamSpecialist").mutation(api.progress.record, {
    goalId: world.activeGoal,
    recordedDate: world.today,
    measurementValue: 91,
    measurementUnit: "WCPM",
    masteryLevel: "proficient",
    settingType: "resource room",
    independenceLevel: "independent",
  });
  const entries = await world.t.run(async (ctx) =>
    ctx.db.query("auditLog").withIndex("by_student", (q) => q.eq("studentId", world.student)).collect(),
  );
  expect(await count()).toBe(before + 1);
  const entry = entries.at(-1)!;
  expect(entry).toMatchObject({ action: "create", targetTable: "progressData", actorId: world.users.teamSpecialist._id });

  // A refused write (the date is in the future) records nothing.
  expect(
    await outcome(
      as(world, "teamSpecialist").mutation(api.progress.record, {
        goalId: world.activeGoal,
        recordedDate: "2999-01-01",
        measurementValue: 91,
        measurementUnit: "WCPM",
        masteryLevel: "proficient",
        settingType: "resource room",
        independenceLevel: "independent",
      }),
    ),
  ).toBe("INVALID_ARGUMENT");
  expect(await count()).toBe(before + 1);
});

test("views, exports and disclosures are recorded; parents read their child's log and ledger", async () => {
  const world = await buildWorld();
  await as(world, "parent").mutation(api.students.recordView, { studentId: world.student, section: "goals" });
  const exported = await as(world, "caseManager").mutation(api.students.exportRecord, { studentId: world.student });
  expect(exported.student.dateOfBirth).toBe(DOB);
  await as(world, "caseManager").mutation(api.disclosures.record, {
    studentId: world.student,
    recipient: "Juvenile court",
    purpose: "Subpoena",
    legitimateInterest: "Lawfully issued subpoena (99.31(a)(9))",
    recordsDisclosed: "Attendance and IEP",
    disclosedDate: world.today,
  });
  const log = await as(world, "parent").query(api.auditLog.listForStudent, {
    studentId: world.student,
    paginationOpts: { numItems: 20, cursor: null },
  });
  const actions = log.page.map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(["view", "export", "disclosure"]));
  const ledger = await as(world, "parent").query(api.disclosures.listForStudent, {
    studentId: world.student,
    paginationOpts: { numItems: 20, cursor: null },
  });
  expect(ledger.page.map((d) => d.recipient)).toEqual(expect.arrayContaining(["Juvenile court", "Dr. Outside"]));
  // Another parent sees neither.
  expect(
    await outcome(
      as(world, "otherParent").query(api.disclosures.listForStudent, {
        studentId: world.student,
        paginationOpts: { numItems: 20, cursor: null },
      }),
    ),
  ).toBe("FORBIDDEN");
});

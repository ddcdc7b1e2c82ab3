// How student records leave the database. D14: dateOfBirth and medicalConsiderations are stored
// only as ciphertext and decrypted only for callers allowed to read the student's profile; lists
// carry a summary without them, so a list never decrypts (or leaks) anything.
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { decryptField, encryptField } from "./crypto";
import { emergencyContact, enrollmentStatus, studentIepStatus } from "./validators";

export const studentSummary = v.object({
  _id: v.id("students"),
  _creationTime: v.number(),
  organizationId: v.id("organizations"),
  firstName: v.string(),
  lastName: v.string(),
  studentNumber: v.string(),
  gradeLevel: v.string(),
  primaryDisability: v.string(),
  caseManagerId: v.id("users"),
  enrollmentStatus,
  iepStatus: studentIepStatus,
});
export type StudentSummary = Infer<typeof studentSummary>;

export const studentDetail = v.object({
  ...studentSummary.fields,
  dateOfBirth: v.string(),
  secondaryDisabilities: v.optional(v.array(v.string())),
  emergencyContacts: v.array(emergencyContact),
  medicalConsiderations: v.optional(v.string()),
  transportationNeeds: v.optional(v.string()),
});
export type StudentDetail = Infer<typeof studentDetail>;

export function toSummary(student: Doc<"students">): StudentSummary {
  return {
    _id: student._id,
    _creationTime: student._creationTime,
    organizationId: student.organizationId,
    firstName: student.firstName,
    lastName: student.lastName,
    studentNumber: student.studentNumber,
    gradeLevel: student.gradeLevel,
    primaryDisability: student.primaryDisability,
    caseManagerId: student.caseManagerId,
    enrollmentStatus: student.enrollmentStatus,
    iepStatus: student.iepStatus,
  };
}

export async function toDetail(student: Doc<"students">): Promise<StudentDetail> {
  const detail: StudentDetail = {
    ...toSummary(student),
    dateOfBirth: await decryptField(student.dateOfBirth),
    emergencyContacts: student.emergencyContacts,
  };
  if (student.secondaryDisabilities !== undefined) {
    detail.secondaryDisabilities = student.secondaryDisabilities;
  }
  if (student.medicalConsiderations !== undefined) {
    detail.medicalConsiderations = await decryptField(student.medicalConsiderations);
  }
  if (student.transportationNeeds !== undefined) {
    detail.transportationNeeds = student.transportationNeeds;
  }
  return detail;
}

/** The plaintext date of birth, for computations such as the transition-plan clock. */
export async function dateOfBirthOf(student: Doc<"students">): Promise<string> {
  return await decryptField(student.dateOfBirth);
}

export async function encryptDateOfBirth(dateOfBirth: string): Promise<string> {
  return await encryptField(dateOfBirth);
}

export async function encryptMedical(text: string | undefined): Promise<string | undefined> {
  return text === undefined ? undefined : await encryptField(text);
}

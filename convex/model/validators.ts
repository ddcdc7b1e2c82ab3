// Value sets shared by the schema and the public functions' argument validators, so the two
// can never disagree.
import { v, type Infer } from "convex/values";

export const userRole = v.union(
  v.literal("admin"),
  v.literal("teacher"),
  v.literal("specialist"),
  v.literal("parent"),
  v.literal("student"),
);
export type UserRole = Infer<typeof userRole>;

export const enrollmentStatus = v.union(
  v.literal("active"),
  v.literal("inactive"),
  v.literal("graduated"),
  v.literal("transferred"),
);

export const studentIepStatus = v.union(
  v.literal("active"),
  v.literal("pending"),
  v.literal("expired"),
  v.literal("not_applicable"),
);

// D10: draft → in_review → active → superseded | expired.
export const iepStatus = v.union(
  v.literal("draft"),
  v.literal("in_review"),
  v.literal("active"),
  v.literal("expired"),
  v.literal("superseded"),
);
export type IepStatus = Infer<typeof iepStatus>;

// D11: the signer's typed full name and the SHA-256 of the content they signed.
export const iepApproval = v.object({
  userId: v.id("users"),
  role: v.string(),
  approvedAt: v.number(),
  signature: v.string(),
  contentHash: v.string(),
});
export const voidedApproval = v.object({
  userId: v.id("users"),
  role: v.string(),
  approvedAt: v.number(),
  signature: v.string(),
  contentHash: v.string(),
  voidedAt: v.number(),
});

export const goalDomain = v.union(
  v.literal("academic"),
  v.literal("behavioral"),
  v.literal("communication"),
  v.literal("social"),
  v.literal("motor"),
  v.literal("adaptive"),
  v.literal("vocational"),
);

export const masteryLevel = v.union(
  v.literal("emerging"),
  v.literal("developing"),
  v.literal("proficient"),
  v.literal("mastered"),
);

export const documentType = v.union(
  v.literal("assessment"),
  v.literal("iep"),
  v.literal("progress_report"),
  v.literal("communication"),
  v.literal("medical"),
  v.literal("behavioral"),
  v.literal("other"),
);

export const permissionLevel = v.union(v.literal("view"), v.literal("edit"), v.literal("download"));

export const teamMemberKind = v.union(
  v.literal("teacher"),
  v.literal("specialist"),
  v.literal("related_service_provider"),
);

export const serviceHours = v.object({
  specialEducation: v.number(),
  speechTherapy: v.optional(v.number()),
  occupationalTherapy: v.optional(v.number()),
  physicalTherapy: v.optional(v.number()),
  counseling: v.optional(v.number()),
  other: v.optional(v.array(v.object({ service: v.string(), hours: v.number() }))),
});

export const accommodation = v.object({
  category: v.string(),
  description: v.string(),
  setting: v.string(),
});
export const modification = v.object({
  subject: v.string(),
  description: v.string(),
  criteria: v.string(),
});
export const transitionPlan = v.object({
  postSecondaryGoals: v.array(v.string()),
  transitionServices: v.array(v.string()),
  agencyInvolvement: v.optional(v.array(v.string())),
});

export const emergencyContact = v.object({
  name: v.string(),
  relationship: v.string(),
  phone: v.string(),
  email: v.optional(v.string()),
});

// D16: what the audit log records.
export const auditAction = v.union(
  v.literal("create"),
  v.literal("update"),
  v.literal("delete"),
  v.literal("view"),
  v.literal("download"),
  v.literal("export"),
  v.literal("report"),
  v.literal("signature"),
  v.literal("disclosure"),
  v.literal("status_change"),
);
export type AuditAction = Infer<typeof auditAction>;

// SEMS schema: the seven tables of data-model.md with every field, value set and index it names,
// changed only where decisions.md says so (each change cites its decision), plus the tables the
// decisions and domain.md need.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import {
  auditAction,
  documentType,
  enrollmentStatus,
  goalDomain,
  iepApproval,
  iepStatus,
  studentIepStatus,
  masteryLevel,
  permissionLevel,
  teamMemberKind,
  userRole,
  voidedApproval,
} from "./model/validators";
// Issue 6 (sign-in): invitations and the development mailbox, defined in model/authTables.ts.
import { authTables } from "./model/authTables";

export default defineSchema({
  ...authTables,
  organizations: defineTable({
    name: v.string(),
    type: v.union(v.literal("school"), v.literal("district"), v.literal("agency")),
    address: v.object({
      street: v.string(),
      city: v.string(),
      state: v.string(),
      zipCode: v.string(),
      country: v.string(),
    }),
    contactInfo: v.object({
      phone: v.string(),
      email: v.string(),
      website: v.optional(v.string()),
    }),
    settings: v.object({
      timezone: v.string(),
      academicYear: v.object({ start: v.string(), end: v.string() }),
      gradeSystem: v.array(v.string()),
      // D8: each entry is the YYYY-MM-DD end date of a reporting period.
      reportingPeriods: v.array(v.string()),
      complianceSettings: v.object({
        iepReviewCycle: v.number(), // D8: days, default 365
        evaluationCycle: v.number(), // D8: days, default 1095
        transitionAge: v.number(), // D8: years, default 16
        // domain.md: states may set their own initial-evaluation timeline (default 60 days).
        initialEvaluationDays: v.optional(v.number()),
      }),
    }),
    isActive: v.boolean(),
    subscriptionTier: v.union(
      v.literal("basic"),
      v.literal("professional"),
      v.literal("enterprise"),
    ),
    maxUsers: v.number(),
    maxStudents: v.number(),
  })
    .index("by_type", ["type"])
    .index("by_subscription", ["subscriptionTier"]),

  users: defineTable({
    email: v.string(),
    firstName: v.string(),
    lastName: v.string(),
    role: userRole,
    phoneNumber: v.optional(v.string()),
    organizationId: v.id("organizations"),
    isActive: v.boolean(),
    lastLogin: v.optional(v.number()),
    profileImage: v.optional(v.string()),
    preferences: v.optional(
      v.object({
        notifications: v.boolean(),
        theme: v.string(),
        language: v.string(),
      }),
    ),
    // The auth provider's `subject` claim, for identities that carry no email (see model/currentUser).
    authUserId: v.optional(v.string()),
    // D7: a user with role "student" is linked to their own student record.
    studentId: v.optional(v.id("students")),
  })
    .index("by_email", ["email"])
    .index("by_auth_user_id", ["authUserId"])
    // D4: the specification filters by isActive after this index; the field joins the index.
    .index("by_organization", ["organizationId", "isActive"])
    // D4: organization first.
    .index("by_role", ["organizationId", "role"]),

  students: defineTable({
    organizationId: v.id("organizations"), // D6
    firstName: v.string(),
    lastName: v.string(),
    // First and last name, lower-cased with accents folded, for the search index (issue 5 §8).
    searchName: v.string(),
    dateOfBirth: v.string(), // D14: AES-256-GCM ciphertext of the ISO date, never plaintext
    studentNumber: v.string(),
    gradeLevel: v.string(),
    primaryDisability: v.string(),
    secondaryDisabilities: v.optional(v.array(v.string())),
    caseManagerId: v.id("users"),
    enrollmentStatus,
    iepStatus: studentIepStatus,
    emergencyContacts: v.array(
      v.object({
        name: v.string(),
        relationship: v.string(),
        phone: v.string(),
        email: v.optional(v.string()),
      }),
    ),
    medicalConsiderations: v.optional(v.string()), // D14: ciphertext
    transportationNeeds: v.optional(v.string()),
  })
    .index("by_organization", ["organizationId", "lastName", "firstName"]) // D6; sorted by name
    .index("by_case_manager", ["caseManagerId"])
    .index("by_student_number", ["organizationId", "studentNumber"]) // D4
    .index("by_grade", ["organizationId", "gradeLevel"]) // D4
    .index("by_status", ["organizationId", "enrollmentStatus", "iepStatus"]) // D4
    .searchIndex("search_name", { searchField: "searchName", filterFields: ["organizationId"] }),

  ieps: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"), // D6: organization-wide compliance queries
    effectiveDate: v.string(),
    expirationDate: v.string(),
    meetingDate: v.string(),
    nextReviewDate: v.string(),
    placement: v.string(),
    serviceHours: v.object({
      // D13: hours per week
      specialEducation: v.number(),
      speechTherapy: v.optional(v.number()),
      occupationalTherapy: v.optional(v.number()),
      physicalTherapy: v.optional(v.number()),
      counseling: v.optional(v.number()),
      other: v.optional(v.array(v.object({ service: v.string(), hours: v.number() }))),
    }),
    accommodations: v.array(
      v.object({ category: v.string(), description: v.string(), setting: v.string() }),
    ),
    modifications: v.array(
      v.object({ subject: v.string(), description: v.string(), criteria: v.string() }),
    ),
    transitionPlan: v.optional(
      v.object({
        postSecondaryGoals: v.array(v.string()),
        transitionServices: v.array(v.string()),
        agencyInvolvement: v.optional(v.array(v.string())),
      }),
    ),
    status: iepStatus, // D10 adds "in_review"
    version: v.number(),
    createdBy: v.id("users"),
    teamMembers: v.array(v.id("users")),
    approvals: v.array(iepApproval), // D11 adds contentHash
    // D11: approvals cleared by a content change, kept so the history shows who signed what.
    voidedApprovals: v.optional(v.array(voidedApproval)),
    // D10: an amendment is a new version copied from the active IEP.
    amendsIepId: v.optional(v.id("ieps")),
    activatedAt: v.optional(v.number()),
  })
    .index("by_student", ["studentId", "status"]) // D4
    .index("by_status", ["status", "expirationDate"]) // D4: the expiry cron's range
    .index("by_effective_date", ["effectiveDate"])
    .index("by_student_version", ["studentId", "version"]) // D10: next version number
    .index("by_organization_status", ["organizationId", "status"]),
  // D7: the specification's by_team_member index is dropped; studentTeamMembers answers it.

  goals: defineTable({
    iepId: v.id("ieps"),
    studentId: v.id("students"), // D6/D7: access checks and a student's goals without the IEP
    organizationId: v.id("organizations"),
    goalNumber: v.number(),
    domain: goalDomain,
    description: v.string(),
    baselineData: v.object({
      measurement: v.string(),
      date: v.string(),
      value: v.number(),
      context: v.string(),
    }),
    targetCriteria: v.object({
      measurement: v.string(),
      target: v.number(),
      timeframe: v.string(),
      accuracy: v.string(),
      conditions: v.string(),
    }),
    // D13
    direction: v.union(v.literal("increase"), v.literal("decrease")),
    targetDate: v.string(),
    masteryCriteria: v.optional(
      v.object({ threshold: v.number(), consecutiveSessions: v.number() }),
    ),
    evaluationMethod: v.string(),
    frequency: v.string(),
    responsibleProvider: v.id("users"),
    isActive: v.boolean(),
    masteryDate: v.optional(v.string()),
    notes: v.optional(v.string()),
    // domain.md: a changed goal is archived, not edited; the new goal links to the old one.
    replacesGoalId: v.optional(v.id("goals")),
    archivedAt: v.optional(v.number()),
  })
    .index("by_iep", ["iepId"])
    .index("by_student", ["studentId", "isActive"])
    .index("by_domain", ["domain"])
    .index("by_provider", ["responsibleProvider"])
    .index("by_status", ["isActive"]),

  progressData: defineTable({
    goalId: v.id("goals"),
    studentId: v.id("students"), // D6/D7
    organizationId: v.id("organizations"),
    recordedDate: v.string(),
    recordedBy: v.id("users"),
    measurementValue: v.number(),
    measurementUnit: v.string(),
    observationNotes: v.optional(v.string()),
    context: v.optional(v.string()),
    masteryLevel,
    sessionDuration: v.optional(v.number()),
    settingType: v.string(),
    promptLevel: v.optional(v.string()),
    independenceLevel: v.string(),
    // domain.md: raw observations are never overwritten; a correction is a new record linked here.
    correctsId: v.optional(v.id("progressData")),
    correctionReason: v.optional(v.string()),
  })
    .index("by_goal", ["goalId", "recordedDate"]) // D4
    .index("by_date", ["recordedDate"])
    .index("by_recorder", ["recordedBy"])
    .index("by_mastery", ["masteryLevel"])
    .index("by_corrects", ["correctsId"]),

  documents: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"), // D6
    documentType,
    title: v.string(),
    description: v.optional(v.string()),
    storageId: v.id("_storage"), // D15 replaces fileUrl
    fileSize: v.number(),
    mimeType: v.string(),
    uploadedBy: v.id("users"),
    isConfidential: v.boolean(),
    accessPermissions: v.array(v.object({ userId: v.id("users"), permission: permissionLevel })),
    tags: v.optional(v.array(v.string())),
    relatedIepId: v.optional(v.id("ieps")),
    relatedGoalId: v.optional(v.id("goals")),
  })
    .index("by_student", ["studentId"])
    .index("by_type", ["documentType"])
    .index("by_uploader", ["uploadedBy"])
    .index("by_confidentiality", ["isConfidential"])
    .index("by_storage", ["storageId"]), // one document per uploaded file

  // D12
  editingSessions: defineTable({
    userId: v.id("users"),
    organizationId: v.id("organizations"),
    documentId: v.string(), // e.g. iep/<iepId>/<section>
    cursorPosition: v.number(),
    selection: v.optional(v.object({ start: v.number(), end: v.number() })),
    lastActivity: v.number(),
  })
    .index("by_document", ["documentId", "lastActivity"]) // D4
    .index("by_user_document", ["userId", "documentId"])
    .index("by_last_activity", ["lastActivity"]),

  // D7
  studentTeamMembers: defineTable({
    studentId: v.id("students"),
    userId: v.id("users"),
    organizationId: v.id("organizations"),
    kind: teamMemberKind,
    startDate: v.string(),
    endDate: v.optional(v.string()),
  })
    // by_student_user also serves "by student" (its prefix).
    .index("by_user", ["userId"])
    .index("by_student_user", ["studentId", "userId"]),

  guardianships: defineTable({
    studentId: v.id("students"),
    userId: v.id("users"), // the parent's user
    organizationId: v.id("organizations"),
    relationship: v.string(),
    holdsEducationalRights: v.boolean(),
  })
    // by_student_user also serves "by student" (its prefix).
    .index("by_user", ["userId"])
    .index("by_student_user", ["studentId", "userId"]),

  // domain.md: the initial-evaluation, initial-IEP and reevaluation clocks.
  evaluations: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"),
    kind: v.union(v.literal("initial"), v.literal("reevaluation")),
    consentDate: v.optional(v.string()),
    completedDate: v.optional(v.string()),
    eligibilityDate: v.optional(v.string()),
    // 300.303(b): a reevaluation may be waived by agreement of parent and district.
    waived: v.boolean(),
    notes: v.optional(v.string()),
    createdBy: v.id("users"),
  }).index("by_student", ["studentId"]),

  // domain.md: a parent's records request is due before any IEP meeting and within 45 days.
  recordsRequests: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"),
    requestedBy: v.id("users"),
    requestedDate: v.string(),
    description: v.string(),
    fulfilledDate: v.optional(v.string()),
  }).index("by_student", ["studentId", "requestedDate"]),

  // domain.md: progress reports are due at each reporting-period end.
  progressReports: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"),
    iepId: v.id("ieps"),
    reportDate: v.string(),
    issuedBy: v.id("users"),
    storageId: v.optional(v.id("_storage")),
  }).index("by_student", ["studentId", "reportDate"]),

  // D16: written in the same transaction as the act it records.
  auditLog: defineTable({
    organizationId: v.id("organizations"),
    studentId: v.optional(v.id("students")),
    actorId: v.optional(v.id("users")), // absent for scheduled jobs
    action: auditAction,
    targetTable: v.string(),
    targetId: v.string(),
    at: v.number(),
    details: v.optional(v.string()),
  })
    .index("by_student", ["studentId", "at"])
    .index("by_organization", ["organizationId", "at"])
    .index("by_actor", ["actorId", "at"]),

  // D16 / FERPA 99.32: disclosures to parties outside the school, readable by the parents.
  disclosures: defineTable({
    studentId: v.id("students"),
    organizationId: v.id("organizations"),
    recipient: v.string(),
    recipientOrganization: v.optional(v.string()),
    purpose: v.string(),
    legitimateInterest: v.string(),
    recordsDisclosed: v.string(),
    disclosedDate: v.string(),
    recordedBy: v.id("users"),
    at: v.number(),
  })
    .index("by_student", ["studentId", "disclosedDate"])
    .index("by_organization", ["organizationId", "disclosedDate"]),
});

// Documents (D15): files live in Convex file storage; this module keeps their metadata and
// permissions. Upload: generateUploadUrl, then create with the storageId. Download: only through
// the HTTP action in http.ts, which calls authorizeDownload here to check and record the access.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import { forbidden, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery, type AuthedQueryCtx } from "./lib/functions";
import {
  canDownloadDocument,
  canEditDocument,
  canReadDocument,
  relationToStudent,
  requireStudentRead,
  requireStudentWrite,
} from "./model/access";
import { writeAudit } from "./model/audit";
import { requireActiveUser } from "./model/currentUser";
import { documentType, permissionLevel } from "./model/validators";

const accessPermissions = v.array(v.object({ userId: v.id("users"), permission: permissionLevel }));

/** The document's metadata as shown to people: never a storage URL (D15). */
function toMetadata(document: Doc<"documents">) {
  const { storageId: _storageId, ...metadata } = document;
  return metadata;
}

async function requirePermittedUsers(
  ctx: AuthedQueryCtx,
  organizationId: Id<"organizations">,
  permissions: { userId: Id<"users"> }[],
) {
  for (const { userId } of permissions) {
    const user = await ctx.db.get("users", userId);
    if (!user || user.organizationId !== organizationId) return notFound("A user named in the permissions");
  }
}

async function loadDocument(ctx: AuthedQueryCtx, documentId: Id<"documents">) {
  const document = await ctx.db.get("documents", documentId);
  if (!document) return notFound("The document");
  const student = await ctx.db.get("students", document.studentId);
  if (!student) return notFound("The document's student");
  const relation = await relationToStudent(ctx, ctx.user, student);
  return { document, student, relation };
}

/** Those who may add documents to the student (D7: admin, case manager, team). */
export const generateUploadUrl = authedMutation({
  args: { studentId: v.id("students") },
  returns: v.string(),
  handler: async (ctx, args) => {
    await requireStudentWrite(ctx, ctx.user, args.studentId, "addDocument");
    return await ctx.storage.generateUploadUrl();
  },
});

/** Records an uploaded file as the student's document; size and type come from storage. */
export const create = authedMutation({
  args: {
    studentId: v.id("students"),
    storageId: v.id("_storage"),
    documentType,
    title: v.string(),
    description: v.optional(v.string()),
    isConfidential: v.boolean(),
    accessPermissions: v.optional(accessPermissions),
    tags: v.optional(v.array(v.string())),
    relatedIepId: v.optional(v.id("ieps")),
    relatedGoalId: v.optional(v.id("goals")),
    // The browser's type for the file, used when storage recorded none.
    mimeType: v.optional(v.string()),
  },
  returns: v.id("documents"),
  handler: async (ctx, args) => {
    const { student } = await requireStudentWrite(ctx, ctx.user, args.studentId, "addDocument");
    if (!args.title.trim()) invalid("Give the document a title.");
    const file = await ctx.db.system.get("_storage", args.storageId);
    if (!file) return notFound("The uploaded file");
    const linked = await ctx.db
      .query("documents")
      .withIndex("by_storage", (q) => q.eq("storageId", args.storageId))
      .first();
    if (linked) invalid("This upload is already recorded as a document; upload the file again.");
    if (args.relatedIepId !== undefined) {
      const iep = await ctx.db.get("ieps", args.relatedIepId);
      if (!iep || iep.studentId !== student._id) invalid("The related IEP is not this student's.");
    }
    if (args.relatedGoalId !== undefined) {
      const goal = await ctx.db.get("goals", args.relatedGoalId);
      if (!goal || goal.studentId !== student._id) invalid("The related goal is not this student's.");
    }
    const permissions = args.accessPermissions ?? [];
    await requirePermittedUsers(ctx, student.organizationId, permissions);
    const documentId = await ctx.db.insert("documents", {
      ...args,
      title: args.title.trim(),
      organizationId: student.organizationId,
      fileSize: file.size,
      mimeType: file.contentType ?? args.mimeType ?? "application/octet-stream",
      uploadedBy: ctx.user._id,
      accessPermissions: permissions,
    });
    await writeAudit(ctx, {
      organizationId: student.organizationId,
      studentId: student._id,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "documents",
      targetId: documentId,
      details: args.isConfidential ? "confidential" : undefined,
    });
    return documentId;
  },
});

/** Readers of the student's documents: a page of those each may see (D15: confidential hidden). */
export const listForStudent = authedQuery({
  args: { studentId: v.id("students"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    const { relation } = await requireStudentRead(ctx, ctx.user, args.studentId, "documents");
    const page = await ctx.db
      .query("documents")
      .withIndex("by_student", (q) => q.eq("studentId", args.studentId))
      .order("desc")
      .paginate(args.paginationOpts);
    return {
      ...page,
      page: page.page.filter((d) => canReadDocument(relation, ctx.user, d)).map(toMetadata),
    };
  },
});

/** One document's metadata, for those who may read it. */
export const get = authedQuery({
  args: { documentId: v.id("documents") },
  handler: async (ctx, args) => {
    const { document, relation } = await loadDocument(ctx, args.documentId);
    if (!canReadDocument(relation, ctx.user, document)) forbidden("You do not have access to this document.");
    return toMetadata(document);
  },
});

/** Admin, case manager, the uploading team member, or a user listed with "edit". */
export const updateMetadata = authedMutation({
  args: {
    documentId: v.id("documents"),
    title: v.optional(v.string()),
    description: v.optional(v.string()),
    documentType: v.optional(documentType),
    tags: v.optional(v.array(v.string())),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { document, relation } = await loadDocument(ctx, args.documentId);
    if (!canEditDocument(relation, ctx.user, document)) forbidden("You cannot change this document.");
    if (args.title !== undefined && !args.title.trim()) invalid("The title cannot be empty.");
    const { documentId, ...fields } = args;
    await ctx.db.patch("documents", documentId, fields);
    await writeAudit(ctx, {
      organizationId: document.organizationId,
      studentId: document.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "documents",
      targetId: documentId,
      details: Object.keys(fields).join(", "),
    });
    return null;
  },
});

/** Admin or case manager: who may see the document, and whether it is confidential (D15). */
export const updatePermissions = authedMutation({
  args: {
    documentId: v.id("documents"),
    isConfidential: v.optional(v.boolean()),
    accessPermissions: v.optional(accessPermissions),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const { document, relation } = await loadDocument(ctx, args.documentId);
    if (relation.kind !== "admin" && relation.kind !== "case_manager") {
      forbidden("Only the case manager or an administrator changes who can see a document.");
    }
    if (args.accessPermissions) {
      await requirePermittedUsers(ctx, document.organizationId, args.accessPermissions);
    }
    await ctx.db.patch("documents", document._id, {
      ...(args.isConfidential !== undefined ? { isConfidential: args.isConfidential } : {}),
      ...(args.accessPermissions !== undefined ? { accessPermissions: args.accessPermissions } : {}),
    });
    await writeAudit(ctx, {
      organizationId: document.organizationId,
      studentId: document.studentId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "documents",
      targetId: document._id,
      details: "permissions",
    });
    return null;
  },
});

/**
 * D15/D16: called by the download HTTP action with the caller's identity. Checks permission with
 * the access module, records the download in the same transaction, and hands back what the
 * action needs to stream the file.
 */
export const authorizeDownload = internalMutation({
  args: { documentId: v.string() },
  returns: v.object({
    storageId: v.id("_storage"),
    title: v.string(),
    mimeType: v.string(),
  }),
  handler: async (ctx, args) => {
    const user = await requireActiveUser(ctx);
    const documentId = ctx.db.normalizeId("documents", args.documentId);
    if (!documentId) return invalid("The download link names no document.");
    const document = await ctx.db.get("documents", documentId);
    if (!document) return notFound("The document");
    const student = await ctx.db.get("students", document.studentId);
    if (!student) return notFound("The document's student");
    const relation = await relationToStudent(ctx, user, student);
    if (!canDownloadDocument(relation, user, document)) {
      forbidden("You do not have permission to download this document.");
    }
    await writeAudit(ctx, {
      organizationId: document.organizationId,
      studentId: document.studentId,
      actorId: user._id,
      action: "download",
      targetTable: "documents",
      targetId: document._id,
    });
    return { storageId: document.storageId, title: document.title, mimeType: document.mimeType };
  },
});

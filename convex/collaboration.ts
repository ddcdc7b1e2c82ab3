// D12: who is in which collaborative IEP section. The specification's getDocumentEditors and
// updateDocumentPresence (D2), with document ids of the form iep/<iepId>/<section>, access checked
// on that IEP (D7), and the 30-second activity window served by the by_document index (D4).
import { v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import { invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery, type AuthedQueryCtx } from "./lib/functions";
import { requireStudentRead } from "./model/access";

export const ACTIVE_WINDOW_MS = 30_000;
const SECTION = /^[a-z][a-z0-9_]{0,63}$/;

/** Parses iep/<iepId>/<section> and refuses callers who may not read that IEP. */
async function requireDocumentAccess(ctx: AuthedQueryCtx, documentId: string) {
  const parts = documentId.split("/");
  if (parts.length !== 3 || parts[0] !== "iep" || !SECTION.test(parts[2])) {
    invalid(`"${documentId}" is not a document id of the form iep/<iepId>/<section>.`);
  }
  const iepId = ctx.db.normalizeId("ieps", parts[1]);
  if (!iepId) return invalid(`"${parts[1]}" is not an IEP id.`);
  const iep = await ctx.db.get("ieps", iepId as Id<"ieps">);
  if (!iep) return notFound("The IEP");
  await requireStudentRead(ctx, ctx.user, iep.studentId, "ieps");
  return iep;
}

/** Spec: the editing sessions active in the last 30 seconds (D12). Readers of the IEP. */
export const getDocumentEditors = authedQuery({
  args: { documentId: v.string() },
  handler: async (ctx, args) => {
    await requireDocumentAccess(ctx, args.documentId);
    const since = Date.now() - ACTIVE_WINDOW_MS;
    const sessions = await ctx.db
      .query("editingSessions")
      .withIndex("by_document", (q) => q.eq("documentId", args.documentId).gt("lastActivity", since))
      .collect();
    return await Promise.all(
      sessions.map(async (session) => {
        const user = await ctx.db.get("users", session.userId);
        return { ...session, userName: user ? `${user.firstName} ${user.lastName}` : null };
      }),
    );
  },
});

/** Spec: create or refresh the caller's session in the document. Readers of the IEP. */
export const updateDocumentPresence = authedMutation({
  args: {
    documentId: v.string(),
    cursorPosition: v.number(),
    selection: v.optional(v.object({ start: v.number(), end: v.number() })),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const iep = await requireDocumentAccess(ctx, args.documentId);
    if (!Number.isInteger(args.cursorPosition) || args.cursorPosition < 0) {
      invalid("The cursor position must be a whole number, 0 or more.");
    }
    const existing = await ctx.db
      .query("editingSessions")
      .withIndex("by_user_document", (q) => q.eq("userId", ctx.user._id).eq("documentId", args.documentId))
      .unique();
    const fields = {
      cursorPosition: args.cursorPosition,
      selection: args.selection,
      lastActivity: Date.now(),
    };
    if (existing) {
      await ctx.db.patch("editingSessions", existing._id, fields);
    } else {
      await ctx.db.insert("editingSessions", {
        ...fields,
        userId: ctx.user._id,
        organizationId: iep.organizationId,
        documentId: args.documentId,
      });
    }
    return null;
  },
});

/** The caller leaves the document (closing the editor). */
export const leaveDocument = authedMutation({
  args: { documentId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("editingSessions")
      .withIndex("by_user_document", (q) => q.eq("userId", ctx.user._id).eq("documentId", args.documentId))
      .unique();
    if (existing) await ctx.db.delete("editingSessions", existing._id);
    return null;
  },
});

/** Cron: sessions idle for a day are deleted, so the table does not grow without bound. */
export const pruneStaleSessions = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const stale = await ctx.db
      .query("editingSessions")
      .withIndex("by_last_activity", (q) => q.lt("lastActivity", Date.now() - 86_400_000))
      .take(500);
    for (const session of stale) await ctx.db.delete("editingSessions", session._id);
    return stale.length;
  },
});

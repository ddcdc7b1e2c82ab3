// File storage through ctx.storage (backend/src/fileStorage).
import { v } from "convex/values";
import { action, mutation, query } from "./_generated/server";

export const generateUploadUrl = mutation({
  args: {},
  handler: (ctx) => ctx.storage.generateUploadUrl(),
});

export const storeText = action({
  args: { text: v.string(), contentType: v.optional(v.string()) },
  handler: (ctx, { text, contentType }) => ctx.storage.store(new Blob([text], contentType ? { type: contentType } : {})),
});

export const readText = action({
  args: { id: v.id("_storage") },
  handler: async (ctx, { id }) => {
    const blob = await ctx.storage.get(id);
    return blob === null ? null : { text: await blob.text(), size: blob.size };
  },
});

export const metadata = query({
  args: { id: v.id("_storage") },
  handler: async (ctx, { id }) => {
    const doc = await ctx.db.system.get(id);
    return doc === null ? null : { sha256: doc.sha256, size: doc.size };
  },
});

export const url = query({
  args: { id: v.id("_storage") },
  handler: (ctx, { id }) => ctx.storage.getUrl(id),
});

export const listFiles = query({
  args: {},
  handler: async (ctx) => (await ctx.db.system.query("_storage").collect()).map((f) => f._id),
});

export const remove = mutation({
  args: { id: v.id("_storage") },
  handler: (ctx, { id }) => ctx.storage.delete(id),
});

export const removeThenFail = mutation({
  args: { id: v.id("_storage") },
  handler: async (ctx, { id }) => {
    await ctx.storage.delete(id);
    throw new Error("changed my mind");
  },
});

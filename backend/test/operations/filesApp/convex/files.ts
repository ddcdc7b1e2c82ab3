// File storage in the app: upload URLs, documents referencing stored files,
// and what the tests compare across an export and an import. Generic
// builders, so the app needs no generated code.
import { mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

export const generateUploadUrl = mutationGeneric({
  args: {},
  handler: (ctx) => ctx.storage.generateUploadUrl(),
});

export const attach = mutationGeneric({
  args: { name: v.string(), file: v.id("_storage") },
  handler: (ctx, args) => ctx.db.insert("attachments", args),
});

/** Every attachment with its file's URL and `_storage` document, reached through the reference. */
export const attachments = queryGeneric({
  args: {},
  handler: async (ctx) =>
    Promise.all(
      (await ctx.db.query("attachments").collect()).map(async (a) => ({
        name: a.name,
        file: a.file,
        url: await ctx.storage.getUrl(a.file),
        stored: await ctx.db.system.get(a.file),
      })),
    ),
});

export const storedFiles = queryGeneric({
  args: {},
  handler: (ctx) => ctx.db.system.query("_storage").collect(),
});

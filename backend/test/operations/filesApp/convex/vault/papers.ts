// File storage inside a component: its files belong to the component's own `_storage`.
import { mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

export const generateUploadUrl = mutationGeneric({
  args: {},
  handler: (ctx) => ctx.storage.generateUploadUrl(),
});

export const file = mutationGeneric({
  args: { label: v.string(), file: v.id("_storage") },
  handler: (ctx, args) => ctx.db.insert("papers", args),
});

export const papers = queryGeneric({
  args: {},
  handler: async (ctx) =>
    Promise.all(
      (await ctx.db.query("papers").collect()).map(async (p) => ({
        label: p.label,
        file: p.file,
        url: await ctx.storage.getUrl(p.file),
        stored: await ctx.db.system.get(p.file),
      })),
    ),
});

export const storedFiles = queryGeneric({
  args: {},
  handler: (ctx) => ctx.db.system.query("_storage").collect(),
});

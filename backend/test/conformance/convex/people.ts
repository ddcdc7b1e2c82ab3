// Full-text and vector search (backend/src/search).
import { v } from "convex/values";
import { action, mutation, query } from "./_generated/server";

export const add = mutation({
  args: { name: v.string(), group: v.string(), embedding: v.optional(v.array(v.float64())) },
  handler: (ctx, args) => ctx.db.insert("people", args),
});

export const search = query({
  args: { text: v.string(), group: v.string() },
  handler: async (ctx, { text, group }) =>
    (
      await ctx.db
        .query("people")
        .withSearchIndex("search_name", (q) => q.search("name", text).eq("group", group))
        .take(50)
    ).map((p) => p.name),
});

export const similar = action({
  args: { vector: v.array(v.float64()), group: v.string(), limit: v.optional(v.number()) },
  handler: async (ctx, { vector, group, limit }) =>
    ctx.vectorSearch("people", "by_embedding", { vector, limit, filter: (q) => q.eq("group", group) }),
});

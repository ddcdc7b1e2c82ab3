import { v } from "convex/values";
import { mutation, query } from "./_generated/server";

export const add = mutation({
  args: { label: v.string() },
  handler: async (ctx, { label }) => ctx.db.insert("items", { label }),
});

export const list = query({
  args: {},
  handler: async (ctx) => (await ctx.db.query("items").collect()).map((item) => item.label),
});

/** Reads an id that may belong to another component: must not see it. */
export const tryGet = query({
  args: { id: v.string() },
  handler: async (ctx, { id }) => {
    const normalized = ctx.db.normalizeId("items", id);
    if (normalized === null) return { normalized: false, doc: null };
    return { normalized: true, doc: (await ctx.db.get(normalized))?.label ?? null };
  },
});

/** What a component sees as the caller: auth never flows into components. */
export const whoAmI = query({
  args: {},
  handler: async (ctx) => (await ctx.auth.getUserIdentity())?.subject ?? null,
});

export const paginateLabels = query({
  args: { cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { cursor }) => {
    const page = await ctx.db.query("items").paginate({ cursor, numItems: 2 });
    return { labels: page.page.map((item) => item.label), isDone: page.isDone, continueCursor: page.continueCursor };
  },
});

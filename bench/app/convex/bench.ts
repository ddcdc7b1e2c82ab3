import { v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";

/** One small insert: the unit of the mutation-throughput benchmark. */
export const insertOne = mutation({
  args: { group: v.number(), seq: v.number() },
  handler: async (ctx, { group, seq }) => {
    await ctx.db.insert("items", { group, seq, payload: "x" });
  },
});

/** Bulk loading for the 1,000,000-document benchmarks. */
export const insertBatch = internalMutation({
  args: { firstSeq: v.number(), count: v.number(), groupSize: v.number() },
  handler: async (ctx, { firstSeq, count, groupSize }) => {
    for (let i = 0; i < count; i++) {
      const seq = firstSeq + i;
      await ctx.db.insert("items", { group: Math.floor(seq / groupSize), seq, payload: `item ${seq} of the benchmark table` });
    }
  },
});

/** An indexed range returning `n` documents. */
export const range = query({
  args: { group: v.number(), from: v.number(), n: v.number() },
  handler: async (ctx, { group, from, n }) =>
    ctx.db
      .query("items")
      .withIndex("by_group_seq", (q) => q.eq("group", group).gte("seq", from))
      .take(n),
});

export const counter = query({
  args: { name: v.string() },
  handler: async (ctx, { name }) => (await ctx.db.query("counters").withIndex("by_name", (q) => q.eq("name", name)).unique())?.value ?? 0,
});

export const bump = mutation({
  args: { name: v.string() },
  handler: async (ctx, { name }) => {
    const row = await ctx.db.query("counters").withIndex("by_name", (q) => q.eq("name", name)).unique();
    if (row) await ctx.db.patch(row._id, { value: row.value + 1 });
    else await ctx.db.insert("counters", { name, value: 1 });
  },
});

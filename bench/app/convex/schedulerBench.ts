// Functions for bench/backend/scheduler.mjs: schedule many jobs, and a job
// that records when it started (its `payload`) so the benchmark can measure
// throughput and the delay after the due time.
import { anyApi, internalMutationGeneric, mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

export const tick = internalMutationGeneric({
  args: { group: v.number(), seq: v.number() },
  handler: async (ctx, { group, seq }) => {
    await ctx.db.insert("items", { group, seq, payload: String(Date.now()) });
  },
});

export const scheduleAt = mutationGeneric({
  args: { group: v.number(), from: v.number(), count: v.number(), atMs: v.number() },
  handler: async (ctx, { group, from, count, atMs }) => {
    for (let seq = from; seq < from + count; seq++) await ctx.scheduler.runAt(atMs, anyApi.schedulerBench.tick, { group, seq });
  },
});

/** Start times (ms) of a group's jobs. */
export const startTimes = queryGeneric({
  args: { group: v.number() },
  handler: async (ctx, { group }) =>
    (await ctx.db.query("items").withIndex("by_group_seq", (q) => q.eq("group", group)).collect()).map((item) => Number(item.payload)),
});

export const countGroup = queryGeneric({
  args: { group: v.number() },
  handler: async (ctx, { group }) => (await ctx.db.query("items").withIndex("by_group_seq", (q) => q.eq("group", group)).collect()).length,
});

// Functions the scheduler tests schedule, cancel and inspect. Written with the
// generic builders and `anyApi` so the same file runs under convex-test, the
// in-process engine and a real push.
import { actionGeneric, anyApi, internalMutationGeneric, mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

const internal = anyApi;

export const record = internalMutationGeneric({
  args: { label: v.string() },
  handler: async (ctx, { label }) => {
    await ctx.db.insert("events", { label });
  },
});

export const fail = internalMutationGeneric({
  args: {},
  handler: async (ctx) => {
    await ctx.db.insert("events", { label: "never-committed" });
    throw new Error("boom from a scheduled mutation");
  },
});

export const scheduleRecord = mutationGeneric({
  args: { label: v.string(), delayMs: v.number() },
  handler: async (ctx, { label, delayMs }) => ctx.scheduler.runAfter(delayMs, internal.jobs.record, { label }),
});

export const scheduleRecordAt = mutationGeneric({
  args: { label: v.string(), atMs: v.number() },
  handler: async (ctx, { label, atMs }) => ctx.scheduler.runAt(atMs, internal.jobs.record, { label }),
});

export const scheduleMany = mutationGeneric({
  args: { label: v.string(), count: v.number(), delayMs: v.number() },
  handler: async (ctx, { label, count, delayMs }) => {
    for (let i = 0; i < count; i++) await ctx.scheduler.runAfter(delayMs, internal.jobs.record, { label });
    return count;
  },
});

export const scheduleThenThrow = mutationGeneric({
  args: { label: v.string() },
  handler: async (ctx, { label }) => {
    await ctx.scheduler.runAfter(0, internal.jobs.record, { label });
    throw new Error("changed my mind");
  },
});

export const scheduleFailing = mutationGeneric({
  args: {},
  handler: async (ctx) => ctx.scheduler.runAfter(0, internal.jobs.fail, {}),
});

export const cancel = mutationGeneric({
  args: { id: v.id("_scheduled_functions") },
  handler: async (ctx, { id }) => {
    await ctx.scheduler.cancel(id);
  },
});

export const recordFromAction = actionGeneric({
  args: { label: v.string() },
  handler: async (ctx, { label }) => {
    await ctx.runMutation(internal.jobs.record, { label });
  },
});

export const scheduleAction = mutationGeneric({
  args: { label: v.string(), delayMs: v.number() },
  handler: async (ctx, { label, delayMs }) => ctx.scheduler.runAfter(delayMs, anyApi.jobs.recordFromAction, { label }),
});

/** An action that schedules (the `1.0/actions/schedule` path) and cancels. */
export const scheduleFromAction = actionGeneric({
  args: { label: v.string(), cancelIt: v.boolean() },
  handler: async (ctx, { label, cancelIt }) => {
    const id = await ctx.scheduler.runAfter(cancelIt ? 60_000 : 0, internal.jobs.record, { label });
    if (cancelIt) await ctx.scheduler.cancel(id);
    return id;
  },
});

export const job = queryGeneric({
  args: { id: v.id("_scheduled_functions") },
  handler: async (ctx, { id }) => ctx.db.system.get(id),
});

export const jobs = queryGeneric({
  args: {},
  handler: async (ctx) => ctx.db.system.query("_scheduled_functions").collect(),
});

export const events = queryGeneric({
  args: { label: v.string() },
  handler: async (ctx, { label }) =>
    (await ctx.db.query("events").withIndex("by_label", (q) => q.eq("label", label)).collect()).length,
});

export const readEnv = queryGeneric({
  args: { name: v.string() },
  handler: async (_ctx, { name }) => process.env[name] ?? null,
});

import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internalMutation, internalQuery, mutation, query } from "./_generated/server";

const messageFields = { channel: v.string(), author: v.string(), body: v.string(), likes: v.optional(v.number()) };

export const send = mutation({
  args: messageFields,
  returns: v.id("messages"),
  handler: async (ctx, args) => ctx.db.insert("messages", { ...args, likes: args.likes ?? 0 }),
});

export const sendMany = mutation({
  args: { channel: v.string(), count: v.number() },
  handler: async (ctx, { channel, count }) => {
    for (let i = 0; i < count; i++) {
      await ctx.db.insert("messages", { channel, author: "bulk", body: `message ${i}`, likes: i });
    }
  },
});

export const list = query({
  args: { channel: v.string() },
  handler: async (ctx, { channel }) =>
    ctx.db.query("messages").withIndex("by_channel", (q) => q.eq("channel", channel)).collect(),
});

export const listAll = query({
  args: { order: v.optional(v.union(v.literal("asc"), v.literal("desc"))) },
  handler: async (ctx, { order }) => ctx.db.query("messages").order(order ?? "asc").collect(),
});

export const byLikes = query({
  args: {
    channel: v.string(),
    min: v.optional(v.number()),
    max: v.optional(v.number()),
    inclusive: v.boolean(),
    order: v.union(v.literal("asc"), v.literal("desc")),
  },
  handler: async (ctx, { channel, min, max, inclusive, order }) => {
    const rows = await ctx.db
      .query("messages")
      .withIndex("by_channel_likes", (q) => {
        const eq = q.eq("channel", channel);
        if (min !== undefined && max !== undefined) {
          return inclusive ? eq.gte("likes", min).lte("likes", max) : eq.gt("likes", min).lt("likes", max);
        }
        if (min !== undefined) return inclusive ? eq.gte("likes", min) : eq.gt("likes", min);
        if (max !== undefined) return inclusive ? eq.lte("likes", max) : eq.lt("likes", max);
        return eq;
      })
      .order(order)
      .collect();
    return rows.map((m) => m.likes);
  },
});

export const filtered = query({
  args: { channel: v.string(), minLikes: v.number(), author: v.string() },
  handler: async (ctx, { channel, minLikes, author }) => {
    const rows = await ctx.db
      .query("messages")
      .withIndex("by_channel", (q) => q.eq("channel", channel))
      .filter((q) => q.or(q.gte(q.field("likes"), minLikes), q.eq(q.field("author"), author)))
      .collect();
    return rows.map((m) => m.body);
  },
});

export const firstAndTake = query({
  args: { channel: v.string(), n: v.number() },
  handler: async (ctx, { channel, n }) => {
    const q = () => ctx.db.query("messages").withIndex("by_channel", (r) => r.eq("channel", channel));
    const first = await q().first();
    const taken = await q().order("desc").take(n);
    return { first: first?.body ?? null, taken: taken.map((m) => m.body) };
  },
});

export const uniqueByName = query({
  args: { name: v.string() },
  handler: async (ctx, { name }) => {
    const row = await ctx.db.query("counters").withIndex("by_name", (q) => q.eq("name", name)).unique();
    return row?.value ?? null;
  },
});

export const page = query({
  args: { channel: v.string(), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { channel, paginationOpts }) =>
    ctx.db.query("messages").withIndex("by_channel", (q) => q.eq("channel", channel)).paginate(paginationOpts),
});

export const get = query({
  args: { id: v.id("messages") },
  handler: async (ctx, { id }) => ctx.db.get(id),
});

export const normalize = query({
  args: { raw: v.string() },
  handler: async (ctx, { raw }) => ({
    asMessage: ctx.db.normalizeId("messages", raw),
    asCounter: ctx.db.normalizeId("counters", raw),
  }),
});

export const setBody = mutation({
  args: { id: v.id("messages"), body: v.string() },
  handler: async (ctx, { id, body }) => ctx.db.patch(id, { body }),
});

export const setTags = mutation({
  args: { id: v.id("messages"), tags: v.optional(v.array(v.string())) },
  handler: async (ctx, { id, tags }) => ctx.db.patch(id, { tags }),
});

export const replaceBody = mutation({
  args: { id: v.id("messages"), body: v.string() },
  handler: async (ctx, { id, body }) => {
    const old = await ctx.db.get(id);
    if (!old) throw new ConvexError({ code: "NOT_FOUND", id });
    await ctx.db.replace(id, { channel: old.channel, author: old.author, body, likes: old.likes });
  },
});

export const remove = mutation({
  args: { id: v.id("messages") },
  handler: async (ctx, { id }) => ctx.db.delete(id),
});

export const sendThenFail = mutation({
  args: { channel: v.string() },
  handler: async (ctx, { channel }) => {
    await ctx.db.insert("messages", { channel, author: "ghost", body: "never committed", likes: 0 });
    throw new Error("deliberate failure after a write");
  },
});

export const failWithData = mutation({
  args: {},
  handler: async () => {
    throw new ConvexError({ code: "FORBIDDEN", message: "not allowed", detail: { n: 1 } });
  },
});

export const secret = internalQuery({
  args: {},
  handler: async () => "internal only",
});

export const internalInsert = internalMutation({
  args: { channel: v.string(), body: v.string(), fail: v.boolean() },
  handler: async (ctx, { channel, body, fail }) => {
    await ctx.db.insert("messages", { channel, author: "nested", body, likes: 0 });
    if (fail) throw new ConvexError("nested failure");
  },
});

export const badReturn = query({
  args: {},
  returns: v.string(),
  handler: async () => 42 as unknown as string,
});

export const writeInQuery = query({
  args: {},
  handler: async (ctx) => {
    // A query's ctx.db has no insert; reach it the way a confused caller might.
    const db = ctx.db as unknown as { insert?: (t: string, v: unknown) => Promise<unknown> };
    if (!db.insert) throw new Error("queries cannot write");
    return db.insert("messages", {});
  },
});

export const moveToChannel = mutation({
  args: { id: v.id("messages"), channel: v.string() },
  handler: async (ctx, { id, channel }) => ctx.db.patch(id, { channel }),
});

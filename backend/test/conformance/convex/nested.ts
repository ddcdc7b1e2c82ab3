import { v } from "convex/values";
import { api, internal } from "./_generated/api";
import { action, mutation, query } from "./_generated/server";

/** A nested mutation that fails rolls back alone when its error is caught. */
export const outerCatchesInner = mutation({
  args: { channel: v.string() },
  handler: async (ctx, { channel }) => {
    await ctx.runMutation(internal.messages.internalInsert, { channel, body: "kept", fail: false });
    let caught: unknown = null;
    try {
      await ctx.runMutation(internal.messages.internalInsert, { channel, body: "rolled back", fail: true });
    } catch (error) {
      caught = error instanceof Error ? error.message : String(error);
    }
    await ctx.db.insert("messages", { channel, author: "outer", body: "outer", likes: 0 });
    return { caughtData: caught !== null };
  },
});

export const readsOwnWrites = mutation({
  args: { channel: v.string() },
  handler: async (ctx, { channel }) => {
    await ctx.db.insert("messages", { channel, author: "a", body: "fresh", likes: 1 });
    const seen = await ctx.runQuery(api.messages.list, { channel });
    return seen.length;
  },
});

export const viaAction = action({
  args: { channel: v.string() },
  handler: async (ctx, { channel }): Promise<number> => {
    await ctx.runMutation(api.messages.send, { channel, author: "action", body: "from action" });
    const rows = await ctx.runQuery(api.messages.list, { channel });
    return rows.length;
  },
});

export const determinism = query({
  args: {},
  handler: async () => {
    const a = Math.random();
    const b = Math.random();
    const t1 = Date.now();
    let spin = 0;
    for (let i = 0; i < 100000; i++) spin += i;
    const t2 = Date.now();
    return { randomsDiffer: a !== b, inRange: a >= 0 && a < 1, timeFrozen: t1 === t2, spin };
  },
});

export const logs = mutation({
  args: {},
  handler: async () => {
    console.log("hello from", "a mutation", { n: 1 });
    console.warn("careful");
    return null;
  },
});

export const insertInvalid = mutation({
  args: {},
  handler: async (ctx) => {
    // Deliberately wrong: `likes` must be a number. The schema must refuse it.
    await ctx.db.insert("messages", { channel: "x", author: "y", body: "z", likes: "many" as unknown as number });
  },
});

export const insertHuge = mutation({
  args: { bytes: v.number() },
  handler: async (ctx, { bytes }) => {
    await ctx.db.insert("blobs", { data: "x".repeat(bytes) });
  },
});

export const readOnly = query({
  args: {},
  handler: async (ctx) => (await ctx.db.query("counters").collect()).length,
});

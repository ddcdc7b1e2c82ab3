// Functions the operations tests call through the real CLI. Generic builders,
// so the app needs no generated code.
import { internalQueryGeneric, mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

export const add = mutationGeneric({
  args: { name: v.string(), n: v.number() },
  handler: async (ctx, { name, n }) => {
    console.log(`adding ${name}`, n);
    return await ctx.db.insert("items", { name, n, big: BigInt(n) * 1000000000000n, raw: new Uint8Array([n & 255, 1, 2]).buffer });
  },
});

export const addNote = mutationGeneric({
  args: { item: v.id("items"), text: v.string() },
  handler: async (ctx, args) => await ctx.db.insert("notes", args),
});

export const count = internalQueryGeneric({
  args: {},
  handler: async (ctx) => (await ctx.db.query("items").collect()).length,
});

export const echo = queryGeneric({
  args: { value: v.any() },
  handler: async (_ctx, { value }) => ({ echoed: value }),
});

export const getNoteItem = queryGeneric({
  args: { note: v.id("notes") },
  handler: async (ctx, { note }) => {
    const doc = await ctx.db.get(note);
    return doc === null ? null : await ctx.db.get(doc.item);
  },
});

export const fail = mutationGeneric({
  args: {},
  handler: async () => {
    console.warn("about to fail");
    throw new Error("deliberate failure for the operations test");
  },
});

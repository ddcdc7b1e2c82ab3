import { v } from "convex/values";
import { api, internal } from "./_generated/api";
import { action, internalAction, internalMutation, query } from "./_generated/server";

export const record = internalMutation({
  args: { kind: v.string(), detail: v.optional(v.string()) },
  handler: async (ctx, args) => ctx.db.insert("events", args),
});

export const failAfterRecording = internalMutation({
  args: { kind: v.string() },
  handler: async (ctx, { kind }) => {
    await ctx.db.insert("events", { kind });
    throw new Error("this mutation fails after its write");
  },
});

export const events = query({
  args: {},
  handler: async (ctx) => (await ctx.db.query("events").collect()).map((event) => event.kind),
});

/** fetch (loopback only in tests) and a timer, then a mutation with what it got. */
export const fetchAndRecord = action({
  args: { url: v.string(), delayMs: v.number() },
  handler: async (ctx, { url, delayMs }) => {
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const response = await fetch(url);
    const text = await response.text();
    await ctx.runMutation(internal.actions.record, { kind: "fetched", detail: text });
    return { status: response.status, text, waitedMs: Date.now() - started };
  },
});

/** Each inner call is its own transaction: the first write stays when a later one fails. */
export const stepwise = action({
  args: {},
  handler: async (ctx): Promise<{ afterStep1: string[]; failure: string; nested: string; final: string[] }> => {
    await ctx.runMutation(internal.actions.record, { kind: "step1" });
    const afterStep1: string[] = await ctx.runQuery(api.actions.events, {});
    let failure = "";
    try {
      await ctx.runMutation(internal.actions.failAfterRecording, { kind: "step2" });
    } catch (error) {
      failure = (error as Error).message;
    }
    const nested: string = await ctx.runAction(internal.actions.inner, { word: "nested" });
    return { afterStep1, failure, nested, final: await ctx.runQuery(api.actions.events, {}) };
  },
});

export const inner = internalAction({
  args: { word: v.string() },
  handler: async (_ctx, { word }) => word.toUpperCase(),
});

import { createFunctionHandle, type FunctionHandle } from "convex/server";
import { v } from "convex/values";
import { api, components } from "./_generated/api";
import { action, mutation, query } from "./_generated/server";

export const addApp = mutation({
  args: { label: v.string() },
  handler: async (ctx, { label }) => ctx.db.insert("items", { label }),
});

export const listApp = query({
  args: {},
  handler: async (ctx) => (await ctx.db.query("items").collect()).map((item) => item.label),
});

export const addWidget = mutation({
  args: { which: v.union(v.literal("A"), v.literal("B")), label: v.string() },
  handler: async (ctx, { which, label }): Promise<string> =>
    ctx.runMutation(which === "A" ? components.widgetA.items.add : components.widgetB.items.add, { label }),
});

export const listWidget = query({
  args: { which: v.union(v.literal("A"), v.literal("B")) },
  handler: async (ctx, { which }): Promise<string[]> =>
    ctx.runQuery(which === "A" ? components.widgetA.items.list : components.widgetB.items.list, {}),
});

export const tryGetInWidget = query({
  args: { which: v.union(v.literal("A"), v.literal("B")), id: v.string() },
  handler: async (ctx, { which, id }): Promise<{ normalized: boolean; doc: string | null }> =>
    ctx.runQuery(which === "A" ? components.widgetA.items.tryGet : components.widgetB.items.tryGet, { id }),
});

/** The app reading an id minted in a component. */
export const tryGetInApp = query({
  args: { id: v.string() },
  handler: async (ctx, { id }) => {
    const normalized = ctx.db.normalizeId("items", id);
    return { normalized: normalized !== null, doc: normalized ? ((await ctx.db.get(normalized))?.label ?? null) : null };
  },
});

export const paginateInWidget = query({
  args: { cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { cursor }): Promise<{ labels: string[]; isDone: boolean; continueCursor: string }> =>
    ctx.runQuery(components.widgetA.items.paginateLabels, { cursor }),
});

/** A handle to a component function and one to an app function, each called through the handle. */
export const callThroughHandles = mutation({
  args: { label: v.string() },
  handler: async (ctx, { label }) => {
    const widgetHandle: FunctionHandle<"mutation", { label: string }, string> = await createFunctionHandle(components.widgetB.items.add);
    const appHandle: FunctionHandle<"mutation", { label: string }, string> = await createFunctionHandle(api.components.addApp);
    await ctx.runMutation(widgetHandle, { label });
    await ctx.runMutation(appHandle, { label });
    return { widgetHandle, appHandle };
  },
});

export const scheduleThroughHandle = mutation({
  args: { label: v.string() },
  handler: async (ctx, { label }) => {
    const handle = await createFunctionHandle(components.widgetB.items.add);
    await ctx.scheduler.runAfter(0, handle, { label });
  },
});

export const widgetFromAction = action({
  args: { label: v.string() },
  handler: async (ctx, { label }): Promise<string[]> => {
    await ctx.runMutation(components.widgetA.items.add, { label });
    return ctx.runQuery(components.widgetA.items.list, {});
  },
});

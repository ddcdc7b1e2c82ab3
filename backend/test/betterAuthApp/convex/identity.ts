import { v } from "convex/values";
import { action, mutation, query } from "./_generated/server";
import { components } from "./_generated/api";

export const whoAmI = query({
  args: {},
  handler: async (ctx) => ctx.auth.getUserIdentity(),
});

/** The app sees the caller; the component it calls does not. */
export const whoAmIHereAndInComponent = query({
  args: {},
  handler: async (ctx) => ({
    app: (await ctx.auth.getUserIdentity())?.subject ?? null,
    component: await ctx.runQuery(components.widgetA.items.whoAmI, {}),
  }),
});

export const sign = mutation({
  args: { claims: v.optional(v.any()), expiresInSeconds: v.number() },
  handler: async (ctx, { claims, expiresInSeconds }) => ctx.auth.signJwt({ claims, expiresInSeconds }),
});

/** Actions have no ctx.auth.signJwt; this calls the syscall directly to check the backend refuses it too. */
export const signFromAction = action({
  args: {},
  handler: async () => {
    const convex = (globalThis as unknown as { Convex: { asyncSyscall(op: string, args: string): Promise<string> } }).Convex;
    return JSON.parse(await convex.asyncSyscall("1.0/signJwt", JSON.stringify({ expiresInSeconds: 60 }))) as string;
  },
});

"use node";
import { createHash } from "node:crypto";
import { v } from "convex/values";
import { api } from "./_generated/api";
import { action } from "./_generated/server";

export const digest = action({
  args: { text: v.string() },
  handler: async (ctx, { text }): Promise<{ sha256: string; events: string[] }> => ({
    sha256: createHash("sha256").update(text).digest("hex"),
    events: await ctx.runQuery(api.actions.events, {}),
  }),
});

import { queryGeneric } from "convex/server";
import { v } from "convex/values";

export const read = queryGeneric({
  args: { name: v.string() },
  handler: async (_ctx, { name }) => process.env[name] ?? null,
});

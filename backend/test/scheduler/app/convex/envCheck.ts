// Reads an env var from inside a child component (only with a real push).
import { componentsGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";

const components = componentsGeneric();

export const componentEnv = queryGeneric({
  args: { name: v.string() },
  handler: async (ctx, { name }): Promise<string | null> => ctx.runQuery(components.envProbe.probe.read, { name }),
});

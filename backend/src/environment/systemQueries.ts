// The system functions the CLI's `npx convex env get/list` query
// (node_modules/convex/src/cli/lib/env.ts → runSystemQuery over the sync
// WebSocket with the admin key):
//   _system/cli/queryEnvironmentVariables          → [{name, value}]
//   _system/cli/queryEnvironmentVariables:get {name} → {name, value} | null
// They are internal, so only admin-key callers reach them.
import { internalQueryGeneric } from "convex/server";
import { v } from "convex/values";
import type { LocalEngine } from "../engine/localEngine.js";
import { parseUdfPath, type RegisteredFunction, type ResolvedFunction } from "../runtime/loadedDeployment.js";
import type { EnvironmentVariables } from "./envStore.js";

const MODULE = "_system/cli/queryEnvironmentVariables";

export function installEnvSystemQueries(engine: LocalEngine, variables: EnvironmentVariables): void {
  const functions: Record<string, RegisteredFunction> = {
    default: internalQueryGeneric({ args: {}, handler: async () => variables.list() }) as unknown as RegisteredFunction,
    get: internalQueryGeneric({
      args: { name: v.string() },
      handler: async (_ctx, { name }: { name: string }) => variables.get(name),
    }) as unknown as RegisteredFunction,
  };
  const previous = engine.systemFunctions;
  engine.systemFunctions = (componentPath, udfPath): ResolvedFunction | undefined => {
    const [module, exportName] = parseUdfPath(udfPath);
    const fn = componentPath === "" && module === MODULE ? functions[exportName] : undefined;
    if (fn) return { component: "", udfPath: `${module}:${exportName}`, fn, kind: "query", visibility: "internal" };
    return previous?.(componentPath, udfPath);
  };
}

/**
 * Other layers may wrap `engine.runQuery` and answer every `_system/…` path
 * themselves (operations/observability does, for `npx convex data`). Call
 * this after them: the env queries then go straight to the engine, which
 * resolves them through `systemFunctions` like any internal query.
 */
export function routeEnvSystemQueries(engine: LocalEngine): void {
  const wrapped = engine.runQuery.bind(engine);
  const direct = Object.getPrototypeOf(engine).runQuery as LocalEngine["runQuery"];
  engine.runQuery = (call, journal) =>
    (call.componentPath ?? "") === "" && parseUdfPath(call.udfPath)[0] === MODULE ? direct.call(engine, call, journal) : wrapped(call, journal);
}

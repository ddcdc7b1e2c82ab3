// Loads a fixture app's TypeScript modules in this process and deploys them to
// a LocalEngine on a temporary database: the engine's own tests, without the
// CLI or any network.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConvexError, jsonToConvex } from "convex/values";
import { LocalEngine } from "../../src/engine/localEngine.js";
import type { FunctionCall, Outcome } from "../../src/engine/contract.js";
import type { DatabaseSchema } from "../../src/database/schema.js";
import { LoadedDeployment } from "../../src/runtime/loadedDeployment.js";

export interface InProcessApp {
  engine: LocalEngine;
  dir: string;
  call(kind: "query" | "mutation" | "action", name: string, args?: Record<string, unknown>, extra?: Partial<FunctionCall>): Promise<unknown>;
  close(): void;
}

export function outcomeValue(outcome: Outcome): unknown {
  if (outcome.success) return jsonToConvex(outcome.value as never);
  if (outcome.errorData !== undefined) {
    const error = new ConvexError(jsonToConvex(outcome.errorData as never) as never);
    error.message = outcome.errorMessage;
    throw error;
  }
  throw new Error(outcome.errorMessage);
}

export async function startInProcessApp(
  modules: Record<string, Record<string, unknown>>,
  schema: unknown,
  options: { dir?: string } = {},
): Promise<InProcessApp> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sems-engine-"));
  const engine = new LocalEngine({ databasePath: path.join(dir, "db.sqlite3"), adminKey: "test-admin-key" });
  const moduleMap = new Map<string, Record<string, unknown>>();
  for (const [file, namespace] of Object.entries(modules)) {
    const name = file.replace(/^.*\/convex\//, "").replace(/\.[jt]s$/, "");
    if (name.startsWith("_generated") || name === "schema") continue;
    moduleMap.set(name, namespace);
  }
  const deployment = new LoadedDeployment([{ path: "", modules: moduleMap, children: new Map() }]);
  // `export()` is internal to the convex package's types but is what the CLI evaluates too.
  const schemaJson = schema ? (JSON.parse((schema as { export(): string }).export()) as DatabaseSchema) : null;
  await engine.deploy(deployment, new Map([["", schemaJson]]));
  const call = async (kind: "query" | "mutation" | "action", name: string, args: Record<string, unknown> = {}, extra: Partial<FunctionCall> = {}) => {
    const { convexToJson } = await import("convex/values");
    const request: FunctionCall = { udfPath: name, args: convexToJson(args as never) as never, auth: { kind: "none" }, ...extra };
    const outcome = kind === "query" ? await engine.runQuery(request) : kind === "mutation" ? await engine.runMutation(request) : await engine.runAction(request);
    return outcomeValue(outcome);
  };
  return {
    engine,
    dir,
    call,
    close() {
      engine.close();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

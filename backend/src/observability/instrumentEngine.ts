// Observes every function execution of a LocalEngine without touching its
// internals: the engine's public run methods are wrapped on the instance, so
// calls from every protocol (HTTP API, sync WebSocket, `npx convex run`, the
// scheduler) and nested calls an action makes (`ctx.runQuery` goes through
// `this.runQuery`) each report one execution, as Convex logs them.
//
// The same wrapper answers `_system/…` queries (the CLI's `convex data`,
// `export`, `import`), which are the backend's own and not in any push.

import type { Engine, FunctionCall, JSONValue, QueryOutcome, ReadSet } from "../engine/contract.js";
import type { ExecutionReport, UdfTypeJson } from "./executionLog.js";

/** Answers a `_system/…` query, or returns undefined when it does not know the path. */
export type SystemQueryHandler = (call: FunctionCall) => Promise<JSONValue> | JSONValue | undefined;

export interface InstrumentOptions {
  onExecution(report: ExecutionReport): void;
  systemQuery?: SystemQueryHandler;
}

/** System query results come from backend state, not tracked reads: re-run on every commit. */
const RERUN_ON_ANY_COMMIT: ReadSet = { intersects: () => true };

type Wrappable = Pick<Engine, "runQuery" | "runMutation" | "runAction" | "latestTs">;

export function instrumentEngine(engine: Wrappable, options: InstrumentOptions): void {
  const runQuery = engine.runQuery.bind(engine);
  const runMutation = engine.runMutation.bind(engine);
  const runAction = engine.runAction.bind(engine);

  const report = (udfType: UdfTypeJson, call: FunctionCall, startedAtMs: number, startedHr: bigint, outcome: { success: boolean; errorMessage?: string; logLines: string[] }) => {
    try {
      options.onExecution({
        udfType,
        identifier: call.udfPath,
        componentPath: call.componentPath ?? "",
        startedAtMs,
        durationMs: Number(process.hrtime.bigint() - startedHr) / 1e6,
        success: outcome.success,
        ...(outcome.success ? {} : { error: outcome.errorMessage ?? "Function failed" }),
        logLines: outcome.logLines,
        ...(call.caller !== undefined ? { caller: call.caller } : {}),
      });
    } catch {
      // Observability must never fail a function call.
    }
  };

  engine.runQuery = async (call: FunctionCall, journal?: string | null): Promise<QueryOutcome> => {
    if (call.udfPath.startsWith("_system/")) return runSystemQuery(engine, options.systemQuery, call);
    const startedAtMs = Date.now();
    const startedHr = process.hrtime.bigint();
    const outcome = await runQuery(call, journal);
    report("Query", call, startedAtMs, startedHr, outcome);
    return outcome;
  };
  engine.runMutation = async (call) => {
    const startedAtMs = Date.now();
    const startedHr = process.hrtime.bigint();
    const outcome = await runMutation(call);
    report("Mutation", call, startedAtMs, startedHr, outcome);
    return outcome;
  };
  engine.runAction = async (call) => {
    const startedAtMs = Date.now();
    const startedHr = process.hrtime.bigint();
    const outcome = await runAction(call);
    report("Action", call, startedAtMs, startedHr, outcome);
    return outcome;
  };
}

async function runSystemQuery(engine: Wrappable, handler: SystemQueryHandler | undefined, call: FunctionCall): Promise<QueryOutcome> {
  const base = { ts: engine.latestTs(), readSet: RERUN_ON_ANY_COMMIT, journal: null, logLines: [] as string[] };
  if (call.auth.kind !== "admin") {
    return { ...base, success: false, errorMessage: `${call.udfPath} is a system function and requires the deployment's admin key.` };
  }
  try {
    const value = await handler?.(call);
    if (value === undefined) {
      return { ...base, success: false, errorMessage: `Could not find system function '${call.udfPath}' on this backend.` };
    }
    return { ...base, success: true, value };
  } catch (error) {
    return { ...base, success: false, errorMessage: error instanceof Error ? error.message : String(error) };
  }
}

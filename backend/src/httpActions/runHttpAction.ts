// Runs one HTTP action: the registered `httpAction(...)` export's
// `invokeHttpAction(request)` inside an execution context of kind
// "httpAction", so its `ctx.runQuery/runMutation/runAction` go through the
// action syscalls (each its own transaction) and `ctx.auth` sees the caller.
// Like actions, HTTP actions see real time and real randomness.
import { randomBytes } from "node:crypto";
import type { AuthState } from "../engine/contract.js";
import { executionStorage, type ExecutionContext } from "../runtime/executionContext.js";
import type { RegisteredFunction } from "../runtime/loadedDeployment.js";

export interface HttpActionRun {
  response: Response;
  logLines: string[];
}

export async function runHttpAction(options: {
  fn: RegisteredFunction;
  /** The component whose router matched ("" for the app). */
  component: string;
  /** "METHOD /route" as the router reports it, e.g. "POST /api/auth/*". */
  route: string;
  request: Request;
  auth: AuthState;
}): Promise<HttpActionRun> {
  if (typeof options.fn.invokeHttpAction !== "function") {
    throw new Error(`${options.route} is not routed to an HTTP action.`);
  }
  const context: ExecutionContext = {
    kind: "httpAction",
    component: options.component,
    udfPath: options.route,
    tx: null,
    auth: options.auth,
    streams: new Map(),
    nextStreamId: 1,
    paginateCalls: 0,
    journal: { endCursorIn: null, endCursorOut: null },
    logLines: [],
    frozenNowMs: null,
    random: null,
    requestId: randomBytes(8).toString("hex"),
    parent: null,
  };
  const invoke = options.fn.invokeHttpAction.bind(options.fn);
  const response = await executionStorage.run(context, () => invoke(options.request));
  return { response, logLines: context.logLines };
}

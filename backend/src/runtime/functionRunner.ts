// Runs one registered function: validates its arguments and return value
// against its own validators, sets up the execution context that syscalls
// find, freezes time and seeds randomness for queries and mutations, and turns
// what it throws into Convex's error shape.
import { jsonToConvex } from "convex/values";
import type { Transaction } from "../database/transaction.js";
import type { AuthState, JSONValue } from "../engine/contract.js";
import { LIMIT_MESSAGES, LIMITS, valueSize } from "../values/limits.js";
import { seededRandom } from "./isolation/seededRandom.js";
import { randomUint32 } from "../values/randomPool.js";
import { validateValue } from "../values/validator.js";
import { executionStorage, type ExecutionContext, type ExecutionKind } from "./executionContext.js";
import type { ResolvedFunction } from "./loadedDeployment.js";

/** A failure that reaches the caller as Convex's `{errorMessage, errorData}`. */
export class FunctionError extends Error {
  /** The console output of the failed execution, for the caller's log. */
  logLines: string[] = [];

  constructor(
    message: string,
    readonly errorData?: JSONValue,
  ) {
    super(message);
  }
}

export interface RunRequest {
  resolved: ResolvedFunction;
  /** The arguments object, Convex-encoded JSON. */
  args: JSONValue;
  auth: AuthState;
  tx: Transaction | null;
  kind: ExecutionKind;
  journalIn?: string | null;
  parent?: ExecutionContext | null;
  requestId?: string;
  tableNameOfId: (component: string, id: string) => string | null;
}

export interface RunResult {
  resultJson: string;
  logLines: string[];
  journalOut: string | null;
}

const realNow = Date.now.bind(Date);

let requestCounter = 0;
/** Request ids only need to be unique within this process's logs. */
function nextRequestId(): string {
  return `${realNow().toString(36)}-${(requestCounter++).toString(36)}`;
}

const parsedValidators = new WeakMap<() => string, JSONValue | null>();

/** A function's validator JSON, parsed once per loaded function (exporting it stringifies every time). */
function parseValidator(exported: (() => string) | undefined): JSONValue | null {
  if (!exported) return null;
  let parsed = parsedValidators.get(exported);
  if (parsed === undefined) {
    parsed = JSON.parse(exported()) as JSONValue | null;
    parsedValidators.set(exported, parsed);
  }
  return parsed;
}

/** Converts anything a function threw into Convex's error message and data. */
export function toFunctionError(thrown: unknown): FunctionError {
  if (thrown instanceof FunctionError) return thrown;
  if (thrown !== null && typeof thrown === "object") {
    const error = thrown as { message?: string; name?: string; data?: unknown; ConvexErrorSymbol?: unknown; stack?: string };
    if (error.ConvexErrorSymbol !== undefined || (error.name === "ConvexError" && error.data !== undefined)) {
      const data = typeof error.data === "string" ? (JSON.parse(error.data) as JSONValue) : (error.data as JSONValue);
      return new FunctionError(`Uncaught ConvexError: ${error.message ?? ""}`, data ?? null);
    }
    if ("data" in error && error.data !== undefined && error.name !== "Error") {
      return new FunctionError(error.message ?? String(thrown), error.data as JSONValue);
    }
    const name = error.name ?? "Error";
    const stack = error.stack?.split("\n").slice(1).filter((line) => line.includes("    at ")).slice(0, 8).join("\n");
    return new FunctionError(`Uncaught ${name}: ${error.message ?? String(thrown)}${stack ? `\n${stack}` : ""}`);
  }
  return new FunctionError(`Uncaught ${String(thrown)}`);
}

export async function runFunction(request: RunRequest): Promise<RunResult> {
  const { resolved, kind } = request;
  const parent = request.parent ?? null;
  const deterministic = kind === "query" || kind === "mutation";
  const context: ExecutionContext = {
    kind,
    component: resolved.component,
    udfPath: resolved.udfPath,
    tx: request.tx,
    auth: request.auth,
    streams: new Map(),
    nextStreamId: 1,
    paginateCalls: 0,
    journal: { endCursorIn: parseJournal(request.journalIn ?? null), endCursorOut: null },
    logLines: parent ? parent.logLines : [],
    frozenNowMs: deterministic ? (parent?.frozenNowMs ?? realNow()) : null,
    random: deterministic ? (parent?.random ?? seededRandom(randomUint32())) : null,
    requestId: request.requestId ?? parent?.requestId ?? nextRequestId(),
    parent,
  };
  const tableNameOfId = (id: string) => request.tableNameOfId(resolved.component, id);

  const argsValidator = parseValidator(resolved.fn.exportArgs);
  const args = jsonToConvex(request.args as never);
  if (!parent) {
    // Top-level calls only: nested calls pass values that were already checked.
    const size = valueSize(args);
    if (size > LIMITS.functionArgsSize) throw new FunctionError(LIMIT_MESSAGES.argumentsTooLarge(resolved.udfPath, size));
  }
  if (argsValidator) {
    const error = validateValue(argsValidator as never, args, { kind: "args", tableNameOfId });
    if (error) throw new FunctionError(error);
  }

  const argsJson = JSON.stringify([request.args]);
  const resultJson = await executionStorage.run(context, async () => {
    try {
      // Isolation (runtime/isolation): file-backed functions run on a worker thread that can be stopped.
      if (resolved.runner && resolved.location) return await resolved.runner.invoke(context, resolved, argsJson);
      switch (resolved.kind) {
        case "query":
          return await resolved.fn.invokeQuery!(argsJson);
        case "mutation":
          return await resolved.fn.invokeMutation!(argsJson);
        case "action":
          return await resolved.fn.invokeAction!(context.requestId, argsJson);
        default:
          throw new FunctionError(`${resolved.udfPath} is an HTTP action and can only be called over HTTP.`);
      }
    } catch (thrown) {
      const error = toFunctionError(thrown);
      error.logLines = context.logLines;
      throw error;
    }
  });

  const returnsValidator = parseValidator(resolved.fn.exportReturns);
  if (returnsValidator !== null) {
    const error = validateValue(returnsValidator as never, jsonToConvex(JSON.parse(resultJson)), { kind: "returns", tableNameOfId });
    if (error) throw new FunctionError(error);
  }
  return {
    resultJson,
    logLines: context.logLines,
    journalOut: context.journal.endCursorOut === null ? null : JSON.stringify({ endCursor: context.journal.endCursorOut }),
  };
}

function parseJournal(journal: string | null): string | null {
  if (!journal) return null;
  try {
    const parsed = JSON.parse(journal) as { endCursor?: unknown };
    return typeof parsed.endCursor === "string" ? parsed.endCursor : null;
  } catch {
    return null;
  }
}

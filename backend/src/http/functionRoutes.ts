// The function-calling HTTP API (`ConvexHttpClient`, `npx convex run`).
//
//   POST /api/query | /api/mutation | /api/action   {path, args: [obj], format?}
//   POST /api/function                              {componentPath?, path, args: obj, format?}  (admin only, as in Convex)
//   POST /api/query_ts                              → {ts}
//   POST /api/query_at_ts                           {path, args, ts, format?}
//   GET  /version, /instance_name, /instance_version, /
//
// A function's own failure is status 560 `{status:"error", errorMessage,
// errorData?, logLines}` (ConvexHttpClient's STATUS_CODE_UDF_FAILED); request
// problems are 4xx `{code, message}`.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiRoute, Engine, FunctionCall, JSONValue, Outcome } from "../engine/contract.js";
import { canonicalizeUdfPath, decodeTs, encodeTs } from "../sync/protocol.js";
import { firstLine } from "../sync/subscriptionManager.js";
import { DEFAULT_BODY_LIMIT_BYTES, HttpError, readJsonBody, sendJson, sendText } from "./httpUtil.js";
import { authenticateRequest } from "./requestAuth.js";

export const STATUS_CODE_UDF_FAILED = 560;

export interface FunctionRoutesOptions {
  engine: Engine;
  log: (line: string, level?: "info" | "debug") => void;
  /** Returned by GET /version and /instance_version. */
  version?: string;
  /** Returned by GET /instance_name. */
  instanceName?: string;
  bodyLimitBytes?: number;
}

type Kind = "query" | "mutation" | "action" | "any";

export function functionRoutes(options: FunctionRoutesOptions): ApiRoute[] {
  const { engine, log } = options;
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const version = options.version ?? "sems-backend";
  const instanceName = options.instanceName ?? "sems-local";
  let requestCount = 0;

  const callRoute = (path: string, kind: Kind, withTs = false): ApiRoute => ({
    method: "POST",
    path,
    async handle(request, response) {
      const tag = `http:${++requestCount}`;
      const body = await readJsonBody(request, limit);
      const auth = await authenticateRequest(engine, request);
      const udfPathRaw = body.path;
      if (typeof udfPathRaw !== "string" || udfPathRaw === "") {
        throw new HttpError(400, "BadRequest", "The request body needs a string `path` naming the function, e.g. \"messages:list\"");
      }
      const componentPath = body.componentPath ?? "";
      if (typeof componentPath !== "string") throw new HttpError(400, "BadRequest", "`componentPath` must be a string");
      if (kind === "any" && auth.kind !== "admin") {
        // Convex's /api/function is for admin tools (`npx convex run`).
        throw new HttpError(
          403,
          "BadDeployKey",
          "The provided deploy key was invalid for this deployment. /api/function requires the admin key.",
        );
      }
      const format = parseFormat(body.format);
      if (withTs) {
        if (typeof body.ts !== "string" || decodeTs(body.ts) === undefined) {
          throw new HttpError(400, "BadRequest", "`ts` must be a timestamp as returned by /api/query_ts");
        }
      }
      const call: FunctionCall = {
        udfPath: canonicalizeUdfPath(udfPathRaw),
        componentPath,
        args: parseArgs(body.args),
        auth,
        allowInternal: auth.kind === "admin",
        caller: tag,
      };
      const started = Date.now();
      const outcome = await run(engine, kind, call);
      log(
        `${tag} ${kind === "any" ? "function" : kind} ${call.udfPath} ${outcome.success ? "ok" : `failed: ${firstLine(outcome.errorMessage)}`} ${Date.now() - started}ms`,
        outcome.success ? "debug" : "info",
      );
      if (outcome.success) {
        if (outcome.valueJson !== undefined && format !== "json") {
          // The engine's own serialization, spliced in rather than parsed and stringified again.
          sendText(response, 200, `{"status":"success","value":${outcome.valueJson},"logLines":${JSON.stringify(outcome.logLines)}}`, "application/json");
        } else {
          sendJson(response, 200, { status: "success", value: exportValue(outcome.value, format), logLines: outcome.logLines });
        }
      } else {
        const reply: Record<string, JSONValue> = { status: "error", errorMessage: outcome.errorMessage, logLines: outcome.logLines };
        if (outcome.errorData !== undefined) reply.errorData = exportValue(outcome.errorData, format);
        sendJson(response, STATUS_CODE_UDF_FAILED, reply);
      }
    },
  });

  const text = (path: string, value: string): ApiRoute => ({
    method: "GET",
    path,
    handle: (_request: IncomingMessage, response: ServerResponse) => sendText(response, 200, value),
  });

  return [
    callRoute("/api/query", "query"),
    callRoute("/api/mutation", "mutation"),
    callRoute("/api/action", "action"),
    callRoute("/api/function", "any"),
    // No historical snapshots: the query runs at the latest ts (documented gap).
    callRoute("/api/query_at_ts", "query", true),
    {
      method: "POST",
      path: "/api/query_ts",
      handle: (_request, response) => sendJson(response, 200, { ts: encodeTs(engine.latestTs()) }),
    },
    text("/version", version),
    text("/instance_version", version),
    text("/instance_name", instanceName),
    text("/", "This Convex deployment is running. See https://docs.convex.dev/."),
  ];
}

async function run(engine: Engine, kind: Kind, call: FunctionCall): Promise<Outcome> {
  try {
    switch (kind) {
      case "query":
        return await engine.runQuery(call, null);
      case "mutation":
        return await engine.runMutation(call);
      case "action":
        return await engine.runAction(call);
      case "any":
        return await engine.runFunction(call);
    }
  } catch (error) {
    return { success: false, errorMessage: `Server Error: ${error instanceof Error ? error.message : String(error)}`, logLines: [] };
  }
}

/** `args` is the arguments object, or (as ConvexHttpClient sends it) a one-element array holding it. */
function parseArgs(args: unknown): JSONValue {
  if (args === undefined || args === null) return {};
  const value = Array.isArray(args) ? (args.length === 1 ? args[0] : undefined) : args;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "BadRequest", "`args` must be an object (or an array holding exactly one object)");
  }
  return value as JSONValue;
}

type Format = "convex_encoded_json" | "json";

function parseFormat(format: unknown): Format {
  if (format === undefined || format === null || format === "convex_encoded_json" || format === "convex_json") {
    return "convex_encoded_json";
  }
  if (format === "json" || format === "convex_cleaned_json" || format === "clean_json") return "json";
  throw new HttpError(400, "BadRequest", `Unknown format ${JSON.stringify(format)}; use "convex_encoded_json" or "json"`);
}

function exportValue(value: JSONValue, format: Format): JSONValue {
  return format === "json" ? toCleanJson(value) : value;
}

/** Convex-encoded JSON → plain JSON: int64 as a number, bytes as base64, special floats as strings. */
function toCleanJson(value: JSONValue): JSONValue {
  if (Array.isArray(value)) return value.map(toCleanJson);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const inner = value[keys[0]!];
    if (keys[0] === "$integer" && typeof inner === "string") {
      const bytes = Buffer.from(inner, "base64");
      return bytes.length === 8 ? Number(bytes.readBigInt64LE()) : inner;
    }
    if (keys[0] === "$bytes" && typeof inner === "string") return inner;
    if (keys[0] === "$float" && typeof inner === "string") {
      const bytes = Buffer.from(inner, "base64");
      if (bytes.length !== 8) return inner;
      const f = bytes.readDoubleLE(0);
      return Number.isFinite(f) ? f : String(f);
    }
  }
  const out: Record<string, JSONValue> = {};
  for (const key of keys) out[key] = toCleanJson(value[key]!);
  return out;
}


// Observability endpoints on the API port:
//   GET /health                     → 200 {status, version, uptimeSeconds, latestCommitTs, deployed}
//   GET /api/sems/metrics           → per-function counts and latency percentiles (admin key)
//   GET /api/stream_function_logs   → the CLI's log long poll (admin key), fed by ExecutionLog
//
// Mounted ahead of the push API's placeholder log stream (deploy/cliSupportRoutes.ts).

import type { IncomingMessage } from "node:http";
import type { ApiRoute } from "../engine/contract.js";
import { HttpError, sendJson } from "../http/httpUtil.js";
import type { ExecutionLog } from "./executionLog.js";
import type { FunctionMetrics } from "./functionMetrics.js";

export interface ObservabilityDeps {
  isAdminKey(key: string): boolean;
  latestTs(): bigint;
  isDeployed(): boolean;
  version: string;
  executionLog: ExecutionLog;
  metrics: FunctionMetrics;
  startedAtMs?: number;
  /** How long a log poll is held open when there is nothing new. Default 10 s. */
  logPollMs?: number;
}

/** Refuses (401/403) a request without `Authorization: Convex <adminKey>`. */
export function requireAdminKey(request: IncomingMessage, isAdminKey: (key: string) => boolean): void {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Convex\s+(.+)$/i.exec(header.trim());
  if (match === null) {
    throw new HttpError(401, "MissingAdminKey", "This endpoint needs the deployment's admin key (header `Authorization: Convex <adminKey>`).");
  }
  if (!isAdminKey(match[1]!.trim())) {
    throw new HttpError(403, "BadAdminKey", "The provided admin key was invalid for this instance");
  }
}

export function observabilityRoutes(deps: ObservabilityDeps): ApiRoute[] {
  const startedAtMs = deps.startedAtMs ?? Date.now();
  return [
    {
      method: "GET",
      path: "/health",
      handle: (_request, response) =>
        sendJson(response, 200, {
          status: "ok",
          version: deps.version,
          uptimeSeconds: Math.round((Date.now() - startedAtMs) / 1000),
          latestCommitTs: deps.latestTs().toString(),
          deployed: deps.isDeployed(),
        }),
    },
    {
      method: "GET",
      path: "/api/sems/metrics",
      handle: (request, response) => {
        requireAdminKey(request, deps.isAdminKey);
        sendJson(response, 200, {
          windowSeconds: deps.metrics.windowMs / 1000,
          uptimeSeconds: Math.round((Date.now() - startedAtMs) / 1000),
          functions: deps.metrics.snapshot(),
        });
      },
    },
    {
      method: "GET",
      path: "/api/stream_function_logs",
      async handle(request, response) {
        requireAdminKey(request, deps.isAdminKey);
        const raw = new URL(request.url ?? "/", "http://localhost").searchParams.get("cursor");
        const cursor = raw === null ? 0 : Number(raw);
        if (!Number.isFinite(cursor)) throw new HttpError(400, "BadCursor", `cursor must be a number, got ${JSON.stringify(raw)}`);
        const result = await deps.executionLog.poll(cursor, deps.logPollMs ?? 10_000, (stop) => response.on("close", stop));
        if (!response.destroyed) sendJson(response, 200, result);
      },
    },
  ];
}

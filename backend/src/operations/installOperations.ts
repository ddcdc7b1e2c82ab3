// Wires operations and observability into a running backend: every function
// execution feeds the log stream (`npx convex logs`, `npx convex dev`) and
// the metrics; `_system/cli/…` queries and the export/import endpoints serve
// `npx convex data | export | import`; /health and /api/sems/metrics report.

import type { ApiRoute } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { BlobStore } from "../fileStorage/blobStore.js";
import { ExecutionLog } from "../observability/executionLog.js";
import { FunctionMetrics } from "../observability/functionMetrics.js";
import { instrumentEngine } from "../observability/instrumentEngine.js";
import { observabilityRoutes } from "../observability/observabilityRoutes.js";
import { operationsRoutes } from "./operationsRoutes.js";
import { SnapshotOperations } from "./snapshotOperations.js";
import { SystemQueries } from "./systemQueries.js";

export interface OperationsOptions {
  dataDir: string;
  databasePath: string;
  version: string;
  log?: (line: string, level?: "info" | "debug") => void;
  /** Entries kept for `npx convex logs` (default 10,000 executions). */
  logCapacity?: number;
  logPollMs?: number;
  /** The file storage's blobs: exports include files and imports restore them only with it. */
  blobs?: BlobStore;
}

export interface Operations {
  routes: ApiRoute[];
  executionLog: ExecutionLog;
  metrics: FunctionMetrics;
  snapshots: SnapshotOperations;
  close(): void;
}

export function installOperations(engine: LocalEngine, options: OperationsOptions): Operations {
  const executionLog = new ExecutionLog(options.logCapacity ?? 10_000);
  const metrics = new FunctionMetrics();
  const log = options.log ?? (() => {});
  const snapshots = new SnapshotOperations(engine, options.databasePath, options.dataDir, (line) => log(line), options.blobs);
  const systemQueries = new SystemQueries(engine, options.databasePath, snapshots);
  instrumentEngine(engine, {
    onExecution(report) {
      executionLog.record(report);
      const name = report.componentPath ? `${report.componentPath}/${report.identifier}` : report.identifier;
      metrics.record(name, report.udfType, report.durationMs, report.success);
    },
    systemQuery: systemQueries.handle,
  });
  const isAdminKey = (key: string) => engine.isAdminKey(key);
  const routes = [
    ...observabilityRoutes({
      isAdminKey,
      latestTs: () => engine.latestTs(),
      isDeployed: () => (engine.loadedDeployment.component("")?.modules.size ?? 0) > 0,
      version: options.version,
      executionLog,
      metrics,
      ...(options.logPollMs !== undefined ? { logPollMs: options.logPollMs } : {}),
    }),
    ...operationsRoutes({ isAdminKey, operations: snapshots }),
  ];
  return { routes, executionLog, metrics, snapshots, close: () => systemQueries.close() };
}

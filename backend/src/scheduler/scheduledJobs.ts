// The `_scheduled_functions` system table, kept in step with the side table:
// each state change writes the user-visible document (what `ctx.db.system`
// reads, in Convex's shape) and the job's side-table row in the same
// transaction.
//
// Document shape (Convex's virtual `_scheduled_functions` table):
//   { name: "module.js:export", args: [args], scheduledTime: ms,
//     completedTime?: ms, state: {kind: pending|inProgress|success|canceled} | {kind: "failed", error} }
import { jsonToConvex, type Value } from "convex/values";
import type { Document, Transaction } from "../database/transaction.js";
import type { JSONValue } from "../engine/contract.js";
import { jobTableOf, type JobRow } from "./jobTable.js";

export const SCHEDULED_FUNCTIONS_TABLE = "_scheduled_functions";

export type JobState =
  | { kind: "pending" }
  | { kind: "inProgress" }
  | { kind: "success" }
  | { kind: "failed"; error: string }
  | { kind: "canceled" };

/** Convex's canonical udf path as `_scheduled_functions.name` shows it: the module with ".js". */
export function displayName(udfPath: string): string {
  const colon = udfPath.lastIndexOf(":");
  const module = colon < 0 ? udfPath : udfPath.slice(0, colon);
  const exportName = colon < 0 ? "default" : udfPath.slice(colon + 1);
  return `${module.endsWith(".js") ? module : `${module}.js`}:${exportName}`;
}

export interface NewJob {
  /** The scheduling component: its `_scheduled_functions` table holds the job. */
  component: string;
  targetComponent: string;
  udfPath: string;
  /** Convex-encoded argument object. */
  args: JSONValue;
  dueMs: number;
}

/** Inserts a pending job; returns its `_scheduled_functions` id. */
export function insertJob(tx: Transaction, job: NewJob): string {
  const id = tx.insertSystem(job.component, SCHEDULED_FUNCTIONS_TABLE, {
    name: displayName(job.udfPath),
    args: [jsonToConvex(job.args as never)],
    scheduledTime: job.dueMs,
    state: { kind: "pending" },
  });
  jobTableOf(tx.store.db).insert({ jobId: id, component: job.component, targetComponent: job.targetComponent, udfPath: job.udfPath, dueMs: job.dueMs });
  return id;
}

/** The job's stored document, or null. */
export function readJobDocument(tx: Transaction, jobId: string): Document | null {
  const stored = tx.store.get(jobId);
  return stored ? (jsonToConvex(JSON.parse(stored.json)) as Document) : null;
}

/** The job's arguments object, Convex-encoded, as the function runner takes it. */
export function jobArgs(tx: Transaction, jobId: string): JSONValue {
  const stored = tx.store.get(jobId);
  if (!stored) return {};
  const args = (JSON.parse(stored.json) as { args?: JSONValue[] }).args;
  return args?.[0] ?? {};
}

/** Moves a job to `state`: a terminal state stamps `completedTime` and drops the side-table row. */
export function setJobState(tx: Transaction, row: Pick<JobRow, "jobId" | "component">, state: JobState, nowMs: number): void {
  const doc = readJobDocument(tx, row.jobId);
  const table = jobTableOf(tx.store.db);
  if (doc) {
    const next: Document = { ...doc, state: state as unknown as Value };
    const terminal = state.kind !== "pending" && state.kind !== "inProgress";
    if (terminal) next.completedTime = nowMs;
    tx.replaceSystem(row.component, row.jobId, next);
  }
  if (state.kind === "pending" || state.kind === "inProgress") table.setState(row.jobId, state.kind);
  else table.delete(row.jobId);
}

/**
 * `ctx.scheduler.cancel(id)`: a pending or running job becomes canceled (a
 * running action finishes, but its outcome is no longer recorded, as in
 * Convex); a finished job is left as it is.
 */
export function cancelJob(tx: Transaction, component: string, jobId: string, nowMs: number): void {
  const tableName = tx.tableNameOfId(component, jobId);
  if (tableName !== SCHEDULED_FUNCTIONS_TABLE) {
    throw new Error(`Invalid argument \`id\` for \`scheduler.cancel\`: ${JSON.stringify(jobId)} is not an ID of the _scheduled_functions table.`);
  }
  const row = jobTableOf(tx.store.db).get(jobId);
  if (!row) return;
  setJobState(tx, row, { kind: "canceled" }, nowMs);
}

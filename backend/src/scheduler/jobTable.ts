// The scheduler's own SQLite side table: one row per job that is still to run
// (pending) or running (inProgress, actions only). It lives in the same
// database as `_scheduled_functions` and is written on the same connection in
// the same transaction (savepoints included), so a mutation that throws
// schedules nothing and a job's state and its row never disagree. Its
// (state, due_ms) index is what finds the next due job without a scan; rows
// of finished jobs are deleted, so the table stays as small as the backlog.
import type { Connection } from "../storage/sqlite.js";

export type JobRowState = "pending" | "inProgress";

export interface JobRow {
  jobId: string;
  /** The component whose `_scheduled_functions` table holds the job (the one that scheduled it). */
  component: string;
  /** The component of the function to run (differs for a function handle into another component). */
  targetComponent: string;
  /** Canonical "module:export" inside `targetComponent`. */
  udfPath: string;
  dueMs: number;
  state: JobRowState;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS scheduled_jobs (
  job_id TEXT PRIMARY KEY,
  component TEXT NOT NULL,
  target_component TEXT NOT NULL,
  udf_path TEXT NOT NULL,
  due_ms REAL NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scheduled_jobs_due ON scheduled_jobs (state, due_ms);
`;

const COLUMNS = "job_id AS jobId, component, target_component AS targetComponent, udf_path AS udfPath, due_ms AS dueMs, state";

type Statement = import("better-sqlite3").Statement<unknown[], unknown>;

/** Prepared statements over one connection. */
export class JobTable {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly setStateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly nextDueStmt: Statement;
  private readonly inProgressStmt: Statement;
  private readonly countStmt: Statement;

  constructor(readonly db: Connection) {
    db.exec(SCHEMA);
    this.insertStmt = db.prepare(
      "INSERT INTO scheduled_jobs (job_id, component, target_component, udf_path, due_ms, state) VALUES (?, ?, ?, ?, ?, 'pending')",
    );
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM scheduled_jobs WHERE job_id = ?`);
    this.setStateStmt = db.prepare("UPDATE scheduled_jobs SET state = ? WHERE job_id = ?");
    this.deleteStmt = db.prepare("DELETE FROM scheduled_jobs WHERE job_id = ?");
    this.dueStmt = db.prepare(`SELECT ${COLUMNS} FROM scheduled_jobs WHERE state = 'pending' AND due_ms <= ? ORDER BY due_ms LIMIT ?`);
    this.nextDueStmt = db.prepare("SELECT MIN(due_ms) AS dueMs FROM scheduled_jobs WHERE state = 'pending'");
    this.inProgressStmt = db.prepare(`SELECT ${COLUMNS} FROM scheduled_jobs WHERE state = 'inProgress'`);
    this.countStmt = db.prepare("SELECT state, COUNT(*) AS n FROM scheduled_jobs GROUP BY state");
  }

  insert(row: Omit<JobRow, "state">): void {
    this.insertStmt.run(row.jobId, row.component, row.targetComponent, row.udfPath, row.dueMs);
  }

  get(jobId: string): JobRow | undefined {
    return this.getStmt.get(jobId) as JobRow | undefined;
  }

  setState(jobId: string, state: JobRowState): void {
    this.setStateStmt.run(state, jobId);
  }

  delete(jobId: string): void {
    this.deleteStmt.run(jobId);
  }

  /** Pending jobs due at `nowMs`, earliest first. */
  due(nowMs: number, limit: number): JobRow[] {
    return this.dueStmt.all(nowMs, limit) as JobRow[];
  }

  /** When the earliest pending job falls due, or null when none is pending. */
  nextDueMs(): number | null {
    return (this.nextDueStmt.get() as { dueMs: number | null }).dueMs;
  }

  inProgress(): JobRow[] {
    return this.inProgressStmt.all() as JobRow[];
  }

  counts(): { pending: number; inProgress: number } {
    const result = { pending: 0, inProgress: 0 };
    for (const row of this.countStmt.all() as { state: JobRowState; n: number }[]) result[row.state] = row.n;
    return result;
  }
}

const tables = new WeakMap<Connection, JobTable>();

/** The job table of a connection (statements prepared once per connection). */
export function jobTableOf(db: Connection): JobTable {
  let table = tables.get(db);
  if (!table) tables.set(db, (table = new JobTable(db)));
  return table;
}

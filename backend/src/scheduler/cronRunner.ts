// Runs the jobs of each component's `crons.js` (`cronJobs()` default export).
//
// Each job's spec, next run time and last run are kept in SQLite
// (`cron_jobs`), so a restart neither loses nor repeats a run:
// - a mutation job runs and advances its next run time in one transaction
//   (exactly once);
// - an action job records that it started (and its next run time) before it
//   runs; a restart that finds it started does not run it again (at most
//   once, as Convex's "Transient error while executing action");
// - runs missed while the backend was down are made once on start, not once
//   per missed period; the next run is then computed from now.
// Every push re-syncs the table: new jobs are added, removed ones dropped,
// changed ones rescheduled; unchanged jobs keep their next run time.
import type { CronJobSpec } from "../deploy/deployment.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { executionStorage } from "../runtime/executionContext.js";
import { runFunction, toFunctionError } from "../runtime/functionRunner.js";
import { openConnection, type Connection } from "../storage/sqlite.js";
import { firstRun, nextRun, type CronScheduleSpec } from "./cronSchedule.js";
import { TRANSIENT_ACTION_ERROR } from "./jobExecutor.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cron_jobs (
  component TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  next_run_ms REAL NOT NULL,
  last_run_ms REAL,
  running_since_ms REAL,
  runs INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (component, name)
);
`;

interface CronRow {
  component: string;
  name: string;
  spec: string;
  nextRunMs: number;
  lastRunMs: number | null;
  runningSinceMs: number | null;
  runs: number;
}

interface StoredSpec {
  udfPath: string;
  args: CronJobSpec["args"];
  schedule: CronScheduleSpec;
}

/** The crons of each component of a push. */
export interface CronSource {
  components: { path: string; crons: CronJobSpec[] }[];
}

const COLUMNS =
  "component, name, spec, next_run_ms AS nextRunMs, last_run_ms AS lastRunMs, running_since_ms AS runningSinceMs, runs";
const MAX_TIMER_MS = 2 ** 31 - 1;

function specOf(job: CronJobSpec): string {
  return JSON.stringify({ udfPath: job.udfPath, args: job.args, schedule: job.schedule });
}

export interface CronRunnerOptions {
  log?: (line: string, level?: "info" | "debug") => void;
}

export class CronRunner {
  private readonly reader: Connection;
  private readonly log: (line: string, level?: "info" | "debug") => void;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private closed = false;
  private readonly actions = new Set<Promise<void>>();

  constructor(
    private readonly engine: LocalEngine,
    options: CronRunnerOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    engine.writer.exec(SCHEMA);
    this.reader = openConnection(engine.writer.name);
  }

  /** Settles action runs a previous process left unfinished (never re-run), then starts the timer. */
  async start(): Promise<void> {
    await this.engine.writeTransaction(async (tx) => {
      const db = tx.store.db;
      for (const row of db.prepare(`SELECT ${COLUMNS} FROM cron_jobs WHERE running_since_ms IS NOT NULL`).all() as CronRow[]) {
        this.log(`[cron] ${row.component ? `${row.component}/` : ""}${row.name} failed: ${TRANSIENT_ACTION_ERROR}`);
        db.prepare("UPDATE cron_jobs SET running_since_ms = NULL WHERE component = ? AND name = ?").run(row.component, row.name);
      }
    });
    this.wake();
  }

  /** Makes the stored jobs match a push's `crons.js` files. */
  async sync(source: CronSource): Promise<void> {
    const now = Date.now();
    await this.engine.writeTransaction(async (tx) => {
      const db = tx.store.db;
      const existing = new Map<string, CronRow>();
      for (const row of db.prepare(`SELECT ${COLUMNS} FROM cron_jobs`).all() as CronRow[]) existing.set(`${row.component}\u0000${row.name}`, row);
      const upsert = db.prepare(
        "INSERT INTO cron_jobs (component, name, spec, next_run_ms, last_run_ms, running_since_ms, runs) VALUES (?, ?, ?, ?, NULL, NULL, 0) " +
          "ON CONFLICT(component, name) DO UPDATE SET spec = excluded.spec, next_run_ms = excluded.next_run_ms",
      );
      for (const component of source.components) {
        for (const job of component.crons) {
          const key = `${component.path}\u0000${job.identifier}`;
          const spec = specOf(job);
          const row = existing.get(key);
          existing.delete(key);
          if (row && row.spec === spec) continue;
          upsert.run(component.path, job.identifier, spec, firstRun(job.schedule as CronScheduleSpec, job.identifier, now));
        }
      }
      const remove = db.prepare("DELETE FROM cron_jobs WHERE component = ? AND name = ?");
      for (const row of existing.values()) remove.run(row.component, row.name);
    });
    this.wake();
  }

  /** Stored jobs, for tests and the operator. */
  jobs(): CronRow[] {
    return this.reader.prepare(`SELECT ${COLUMNS} FROM cron_jobs ORDER BY component, name`).all() as CronRow[];
  }

  async idle(): Promise<void> {
    while (this.actions.size) await Promise.all([...this.actions]);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reader.close();
  }

  private wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runDue();
  }

  private async runDue(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        const due = this.reader
          .prepare(`SELECT ${COLUMNS} FROM cron_jobs WHERE running_since_ms IS NULL AND next_run_ms <= ? ORDER BY next_run_ms`)
          .all(Date.now()) as CronRow[];
        for (const row of due) {
          if (this.closed) return;
          await this.runJob(row);
        }
        if (due.length) this.again = true;
      } while (this.again && !this.closed);
      this.armTimer();
    } catch (error) {
      this.log(`[cron] ${(error as Error).stack ?? error}`);
      this.armTimer(1000);
    } finally {
      this.running = false;
    }
  }

  private armTimer(delayOverride?: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let delay = delayOverride;
    if (delay === undefined) {
      const { next } = this.reader.prepare("SELECT MIN(next_run_ms) AS next FROM cron_jobs WHERE running_since_ms IS NULL").get() as { next: number | null };
      if (next === null) return;
      delay = Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS);
    }
    executionStorage.exit(() => {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake();
      }, delay);
      // The servers keep the process alive; a pending job alone should not.
      this.timer.unref();
    });
  }

  private async runJob(seen: CronRow): Promise<void> {
    const spec = JSON.parse(seen.spec) as StoredSpec;
    const where = `${seen.component ? `${seen.component}/` : ""}${seen.name}`;
    let resolved;
    try {
      resolved = this.engine.loadedDeployment.resolve(seen.component, spec.udfPath);
      if (resolved.kind !== "mutation" && resolved.kind !== "action") throw new Error(`${spec.udfPath} is not a mutation or an action.`);
    } catch (error) {
      resolved = null;
      this.log(`[cron] ${where} failed: ${(error as Error).message}`);
    }
    const args = (spec.args[0] ?? {}) as never;
    const claim = (tx: { store: { db: Connection } }, now: number, runningSince: number | null): CronRow | null => {
      const db = tx.store.db;
      const row = db.prepare(`SELECT ${COLUMNS} FROM cron_jobs WHERE component = ? AND name = ?`).get(seen.component, seen.name) as CronRow | undefined;
      if (!row || row.spec !== seen.spec || row.runningSinceMs !== null || row.nextRunMs > now) return null;
      db.prepare("UPDATE cron_jobs SET next_run_ms = ?, last_run_ms = ?, running_since_ms = ?, runs = runs + 1 WHERE component = ? AND name = ?").run(
        nextRun(spec.schedule, seen.name, row.nextRunMs, now),
        now,
        runningSince,
        seen.component,
        seen.name,
      );
      return row;
    };

    if (resolved === null || resolved.kind === "mutation") {
      await this.engine.writeTransaction(async (tx) => {
        const now = Date.now();
        if (!claim(tx, now, null) || resolved === null) return;
        const depth = tx.savepoint();
        try {
          await runFunction({ resolved, args, auth: { kind: "none" }, tx, kind: "mutation", tableNameOfId: (c, id) => tx.tableNameOfId(c, id) });
          tx.releaseSavepoint(depth);
        } catch (thrown) {
          tx.rollbackSavepoint(depth);
          this.log(`[cron] ${where} failed: ${toFunctionError(thrown).message.split("\n")[0]}`);
        }
      });
      return;
    }
    const claimed = await this.engine.writeTransaction(async (tx) => claim(tx, Date.now(), Date.now()));
    if (!claimed) return;
    const action = resolved;
    const run = executionStorage.exit(async () => {
      const outcome = await this.engine.runAction({
        udfPath: action.udfPath,
        componentPath: action.component,
        args,
        auth: { kind: "none" },
        allowInternal: true,
        caller: `cron:${where}`,
      });
      if (!outcome.success) this.log(`[cron] ${where} failed: ${outcome.errorMessage.split("\n")[0]}`);
      await this.engine.writeTransaction(async (tx) => {
        tx.store.db.prepare("UPDATE cron_jobs SET running_since_ms = NULL WHERE component = ? AND name = ?").run(seen.component, seen.name);
      });
      this.wake();
    });
    const tracked: Promise<void> = run
      .catch((error) => this.log(`[cron] ${where}: ${(error as Error).message}`))
      .finally(() => this.actions.delete(tracked));
    this.actions.add(tracked);
  }
}

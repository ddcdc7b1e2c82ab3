// Runs scheduled functions when they fall due.
//
// - No polling: one timer is armed for the earliest pending job; any commit
//   that touches a `_scheduled_functions` table (a new job, a cancel) wakes
//   the executor to re-check.
// - Mutations run exactly once: the job's row is re-checked, the function runs
//   in a savepoint, and the job is marked success (or, after rolling the
//   savepoint back, failed) in the same SQLite transaction. Due mutations are
//   run in batches, one transaction per batch, each in its own savepoint.
// - Actions run at most once: inProgress is committed before the action
//   starts; a restart that finds a job inProgress marks it failed ("Transient
//   error while executing action"), as Convex does. At most
//   `maxConcurrentActions` actions run at a time.
// - Scheduled functions run without auth, as in Convex.
import type { IndexWriteSet } from "../database/readWriteSets.js";
import type { Transaction } from "../database/transaction.js";
import type { Commit } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { executionStorage } from "../runtime/executionContext.js";
import { runFunction, toFunctionError } from "../runtime/functionRunner.js";
import type { ResolvedFunction } from "../runtime/loadedDeployment.js";
import { openConnection, type Connection } from "../storage/sqlite.js";
import { jobTableOf, type JobRow, type JobTable } from "./jobTable.js";
import { jobArgs, SCHEDULED_FUNCTIONS_TABLE, setJobState, type JobState } from "./scheduledJobs.js";

export const TRANSIENT_ACTION_ERROR = "Transient error while executing action";

export interface JobExecutorOptions {
  log?: (line: string, level?: "info" | "debug") => void;
  /** Convex runs up to 10 scheduled functions in parallel by default. */
  maxConcurrentActions?: number;
  /** Due mutations run per write transaction. */
  mutationBatchSize?: number;
}

/** setTimeout's limit; a later job is re-checked when this timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class JobExecutor {
  private readonly reader: Connection;
  private readonly pendingView: JobTable;
  private readonly log: (line: string, level?: "info" | "debug") => void;
  private readonly maxActions: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | null = null;
  private timerDueMs = Infinity;
  private wakeQueued = false;
  private draining = false;
  private recheck = false;
  private closed = false;
  private readonly runningActions = new Set<Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  /** Jobs executed since start (tests and benchmarks read it). */
  executed = 0;

  constructor(
    private readonly engine: LocalEngine,
    options: JobExecutorOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.maxActions = options.maxConcurrentActions ?? 10;
    this.batchSize = options.mutationBatchSize ?? 64;
    jobTableOf(engine.writer); // creates the side table before anyone reads it
    // Its own connection: the writer may be inside an uncommitted transaction.
    this.reader = openConnection(engine.writer.name);
    this.pendingView = jobTableOf(this.reader);
  }

  /** Fails actions a previous run left in progress, then runs whatever is due and arms the timer. */
  async start(): Promise<void> {
    await this.engine.writeTransaction(async (tx) => {
      const table = jobTableOf(tx.store.db);
      for (const row of table.inProgress()) {
        setJobState(tx, row, { kind: "failed", error: TRANSIENT_ACTION_ERROR }, Date.now());
      }
    });
    this.unsubscribe = this.engine.onCommit((commit) => {
      if (this.touchesJobs(commit)) this.wake();
    });
    this.wake();
  }

  /** Re-checks due jobs soon (coalesced; outside any function's execution context). */
  wake(): void {
    if (this.closed) return;
    if (this.draining) {
      this.recheck = true;
      return;
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    executionStorage.exit(() =>
      setImmediate(() => {
        this.wakeQueued = false;
        void this.drain();
      }),
    );
  }

  /** Pending and running jobs, for tests and benchmarks. */
  counts(): { pending: number; inProgress: number } {
    return this.pendingView.counts();
  }

  /** Resolves once the running actions have finished. */
  async idle(): Promise<void> {
    while (this.runningActions.size) await Promise.all([...this.runningActions]);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reader.close();
  }

  private touchesJobs(commit: Commit): boolean {
    const writes = commit.writes as IndexWriteSet;
    if (writes.invalidatesAll) return true;
    for (const indexId of writes.keys.keys()) {
      if (this.engine.catalog.index(indexId)?.table.name === SCHEDULED_FUNCTIONS_TABLE) return true;
    }
    return false;
  }

  private async drain(): Promise<void> {
    if (this.closed || this.draining) return;
    this.draining = true;
    try {
      do {
        this.recheck = false;
        for (;;) {
          if (this.closed) return;
          const due = this.pendingView.due(Date.now(), this.batchSize);
          if (!due.length) break;
          await this.dispatch(due);
        }
      } while (this.recheck);
      this.armTimer();
    } catch (error) {
      this.log(`scheduler: ${(error as Error).stack ?? error}`);
      this.armTimer(Date.now() + 1000);
    } finally {
      this.draining = false;
    }
  }

  private armTimer(atMs?: number): void {
    if (this.closed) return;
    const dueMs = atMs ?? this.pendingView.nextDueMs();
    if (dueMs === null) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerDueMs = Infinity;
      return;
    }
    if (this.timer && this.timerDueMs === dueMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueMs = dueMs;
    const delay = Math.min(Math.max(0, dueMs - Date.now()), MAX_TIMER_MS);
    executionStorage.exit(() => {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerDueMs = Infinity;
        this.wake();
      }, delay);
      // The servers keep the process alive; a pending job alone should not.
      this.timer.unref();
    });
  }

  private resolveJob(row: JobRow): ResolvedFunction | string {
    try {
      const resolved = this.engine.loadedDeployment.resolve(row.targetComponent, row.udfPath);
      if (resolved.kind !== "mutation" && resolved.kind !== "action") return `${row.udfPath} is not a mutation or an action.`;
      return resolved;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private async dispatch(due: JobRow[]): Promise<void> {
    const mutations: { row: JobRow; resolved: ResolvedFunction | string }[] = [];
    for (const row of due) {
      const resolved = this.resolveJob(row);
      if (typeof resolved !== "string" && resolved.kind === "action") {
        // Keep order with the mutations due before it.
        if (mutations.length) await this.runMutations(mutations.splice(0));
        await this.startAction(row, resolved);
      } else {
        mutations.push({ row, resolved });
      }
    }
    if (mutations.length) await this.runMutations(mutations);
  }

  /** One transaction; each job in its savepoint; each job's state written beside its effects. */
  private async runMutations(jobs: { row: JobRow; resolved: ResolvedFunction | string }[]): Promise<void> {
    await this.engine.writeTransaction(async (tx) => {
      const table = jobTableOf(tx.store.db);
      for (const { row: seen, resolved } of jobs) {
        const row = table.get(seen.jobId);
        if (!row || row.state !== "pending") continue; // canceled, or already run
        this.executed++;
        if (typeof resolved === "string") {
          setJobState(tx, row, { kind: "failed", error: resolved }, Date.now());
          continue;
        }
        const depth = tx.savepoint();
        try {
          await runFunction({
            resolved,
            args: jobArgs(tx, row.jobId),
            auth: { kind: "none" },
            tx,
            kind: "mutation",
            tableNameOfId: (component, id) => tx.tableNameOfId(component, id),
          });
          tx.releaseSavepoint(depth);
          setJobState(tx, row, { kind: "success" }, Date.now());
        } catch (thrown) {
          tx.rollbackSavepoint(depth);
          const error = toFunctionError(thrown);
          this.log(`[scheduler] ${where(row)} failed: ${error.message.split("\n")[0]}`);
          setJobState(tx, row, { kind: "failed", error: error.message }, Date.now());
        }
      }
    });
  }

  private async startAction(seen: JobRow, resolved: ResolvedFunction): Promise<void> {
    while (this.runningActions.size >= this.maxActions) await Promise.race(this.runningActions);
    const started = await this.engine.writeTransaction(async (tx: Transaction) => {
      const row = jobTableOf(tx.store.db).get(seen.jobId);
      if (!row || row.state !== "pending") return null;
      setJobState(tx, row, { kind: "inProgress" }, Date.now());
      return { row, args: jobArgs(tx, row.jobId) };
    });
    if (!started) return;
    this.executed++;
    const run = executionStorage.exit(async () => {
      const outcome = await this.engine.runAction({
        udfPath: resolved.udfPath,
        componentPath: resolved.component,
        args: started.args,
        auth: { kind: "none" },
        allowInternal: true,
        caller: `scheduler:${seen.jobId}`,
      });
      const state: JobState = outcome.success ? { kind: "success" } : { kind: "failed", error: outcome.errorMessage };
      await this.engine.writeTransaction(async (tx) => {
        const row = jobTableOf(tx.store.db).get(seen.jobId);
        // Canceled while it ran: the cancel stands.
        if (row?.state === "inProgress") setJobState(tx, row, state, Date.now());
      });
    });
    const tracked = run.catch((error) => this.log(`scheduler: action job ${seen.jobId}: ${(error as Error).message}`)).finally(() => this.runningActions.delete(tracked));
    this.runningActions.add(tracked);
  }
}

function where(row: JobRow): string {
  return row.targetComponent ? `${row.targetComponent}/${row.udfPath}` : row.udfPath;
}

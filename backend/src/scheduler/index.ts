// The scheduler layer: `ctx.scheduler` syscalls, the executor of
// `_scheduled_functions` jobs, and the cron runner, installed on one engine.
import type { LocalEngine } from "../engine/localEngine.js";
import { CronRunner, type CronSource } from "./cronRunner.js";
import { JobExecutor, type JobExecutorOptions } from "./jobExecutor.js";
import { installSchedulerSyscalls } from "./schedulerSyscalls.js";

export { CronRunner, type CronSource } from "./cronRunner.js";
export { JobExecutor, TRANSIENT_ACTION_ERROR } from "./jobExecutor.js";

export interface Scheduler {
  jobs: JobExecutor;
  crons: CronRunner;
  /** Re-reads the crons of a push (call after every deploy, and on start with the last push). */
  syncCrons(source: CronSource): Promise<void>;
  close(): void;
}

/**
 * Installs the syscalls, fails actions a previous process left running, and
 * starts running due jobs. Call once the pushed code is active.
 */
export async function startScheduler(engine: LocalEngine, options: JobExecutorOptions = {}): Promise<Scheduler> {
  installSchedulerSyscalls(engine);
  const jobs = new JobExecutor(engine, options);
  const crons = new CronRunner(engine, options.log ? { log: options.log } : {});
  await jobs.start();
  await crons.start();
  return {
    jobs,
    crons,
    syncCrons: (source) => crons.sync(source),
    close() {
      jobs.close();
      crons.close();
    },
  };
}

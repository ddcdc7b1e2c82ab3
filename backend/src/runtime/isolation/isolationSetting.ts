// Where user code runs: on worker threads that can be stopped (`workers`: time
// limits, an endless loop cannot stall other clients), or in the backend's own
// thread (`inProcess`). In-process is the default for now: even with the
// main thread answering a running function's syscalls synchronously (no
// event-loop hop, see isolatedRunner.ts `serve`), a one-insert mutation still
// costs two cross-thread round trips (run/done and the insert), and workers
// reach ≈5,000 mutations/s against ≈9,200/s in-process on two cores
// (bench/backend/mutationThroughput.mjs, 64 in flight): beyond issue 4's 20%
// budget. What would close the gap: hand a whole mutation group to the worker
// so it starts each mutation without waiting for the main thread (one round
// trip per syscall, user code overlapping the main thread's bookkeeping), or
// run the group's database writes inside the worker.
// `SEMS_ISOLATION=inProcess|workers` chooses when the caller does not.
import type { IsolationOptions } from "./isolatedRunner.js";
import { IsolatedRunner } from "./isolatedRunner.js";

export type IsolationMode = "workers" | "inProcess";
export type IsolationSetting = IsolationMode | ({ mode: IsolationMode } & IsolationOptions);

export const DEFAULT_ISOLATION: IsolationMode = "inProcess";

export function isolationModeFromEnv(value: string | undefined = process.env.SEMS_ISOLATION): IsolationMode {
  if (value === undefined || value === "") return DEFAULT_ISOLATION;
  if (value === "workers" || value === "inProcess") return value;
  throw new Error(`SEMS_ISOLATION must be "workers" or "inProcess", got ${JSON.stringify(value)}.`);
}

export function createIsolation(
  setting: IsolationSetting | undefined,
  log: (line: string, level?: "info" | "debug") => void,
): IsolatedRunner | null {
  const resolved = setting ?? isolationModeFromEnv();
  const mode = typeof resolved === "string" ? resolved : resolved.mode;
  if (mode === "inProcess") return null;
  return new IsolatedRunner(typeof resolved === "string" ? {} : resolved, log);
}

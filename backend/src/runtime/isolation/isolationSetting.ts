// Where user code runs: on worker threads that can be stopped (`workers`: time
// limits, an endless loop cannot stall other clients), or in the backend's own
// thread (`inProcess`). In-process is the default for now: with today's
// per-syscall hops, workers cut mutation throughput by more than half
// (≈1,750/s against ≈5,500/s on two cores), beyond issue 4's 20% budget. The
// plan that closes the gap is to run whole mutation groups, database writes
// included, inside the worker. `SEMS_ISOLATION=inProcess|workers` chooses when
// the caller does not.
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

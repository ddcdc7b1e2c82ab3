// The scheduler suite on our engine in process (real timers), plus what only
// our backend records the way Convex does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "./app/convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";
import { startScheduler, type Scheduler } from "../../src/scheduler/index.js";
import { schedulerSuite, type SchedulerDriver } from "./schedulerSuite.js";

const modules = import.meta.glob<Record<string, unknown>>("./app/convex/jobs.ts", { eager: true });

let app: InProcessApp;
let scheduler: Scheduler;
let driver: SchedulerDriver;

async function settle(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { pending, inProgress } = scheduler.jobs.counts();
    if (pending === 0 && inProgress === 0) break;
    if (Date.now() > deadline) throw new Error(`jobs still pending after 10 s: ${pending} pending, ${inProgress} in progress`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await scheduler.jobs.idle();
}

beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  scheduler = await startScheduler(app.engine);
  driver = {
    query: (name, args) => app.call("query", name, args, { allowInternal: true }) as Promise<any>,
    mutation: (name, args) => app.call("mutation", name, args) as Promise<any>,
    action: (name, args) => app.call("action", name, args) as Promise<any>,
    settle,
    fullJobRecords: true,
  };
});
afterAll(() => {
  scheduler?.close();
  app?.close();
});

schedulerSuite(() => driver);

describe("scheduler (our backend)", () => {
  it("names the job as Convex does and keeps its arguments", async () => {
    const id = await driver.mutation("jobs:scheduleRecord", { label: "named", delayMs: 50 });
    const job = await driver.query("jobs:job", { id });
    expect(job.name).toBe("jobs.js:record");
    expect(job.args).toEqual([{ label: "named" }]);
    expect(Object.keys(job).sort()).toEqual(["_creationTime", "_id", "args", "name", "scheduledTime", "state"]);
    await settle();
  });

  it("runs a burst of due jobs exactly once each", async () => {
    await driver.mutation("jobs:scheduleMany", { label: "burst", count: 300, delayMs: 0 });
    await settle();
    expect(await driver.query("jobs:events", { label: "burst" })).toBe(300);
    const jobs = await driver.query("jobs:jobs", {});
    const burst = jobs.filter((job: any) => job.args[0].label === "burst");
    expect(burst).toHaveLength(300);
    expect(burst.every((job: any) => job.state.kind === "success")).toBe(true);
  });

  // How soon after its due time a job starts is measured by bench/backend/scheduler.mjs.
  it("runs a job at its due time, not before", async () => {
    const atMs = Date.now() + 150;
    const id = await driver.mutation("jobs:scheduleRecordAt", { label: "punctual", atMs });
    await settle();
    const job = await driver.query("jobs:job", { id });
    expect(job.completedTime).toBeGreaterThanOrEqual(atMs);
    expect(job.state.kind).toBe("success");
  });

  it("a user cannot write _scheduled_functions", async () => {
    const id = await driver.mutation("jobs:scheduleRecord", { label: "ro", delayMs: 0 });
    await expect(app.call("mutation", "jobs:cancel", { id: "not-an-id" })).rejects.toThrow();
    await settle();
    expect((await driver.query("jobs:job", { id })).state.kind).toBe("success");
  });
});

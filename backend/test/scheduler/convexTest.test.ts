// The scheduler suite on convex-test (the reference), with fake timers.
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, vi } from "vitest";
import schema from "./app/convex/schema.js";
import { schedulerSuite, type SchedulerDriver } from "./schedulerSuite.js";

const modules = import.meta.glob("./app/convex/jobs.ts");
// convex-test finds the functions folder by its `_generated` directory; this
// app is written without generated code, so a stand-in entry marks the root.
const allModules = {
  ...modules,
  "./app/convex/schema.ts": () => import("./app/convex/schema.js"),
  "./app/convex/_generated/server.js": async () => ({}),
};

let driver: SchedulerDriver;
beforeEach(() => {
  vi.useFakeTimers();
  const t = convexTest(schema, allModules);
  driver = {
    query: (name, args = {}) => t.query(makeFunctionReference<"query">(name), args),
    mutation: (name, args = {}) => t.mutation(makeFunctionReference<"mutation">(name), args),
    action: (name, args = {}) => t.action(makeFunctionReference<"action">(name), args),
    settle: () => t.finishAllScheduledFunctions(vi.runAllTimers),
    fullJobRecords: false,
  };
});
afterEach(() => {
  vi.useRealTimers();
});

schedulerSuite(() => driver);

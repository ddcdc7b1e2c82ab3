// Scheduler semantics every driver must share: convex-test (Convex's own
// reference, with fake timers) and our engine (real timers).
import { describe, expect, it } from "vitest";

export interface SchedulerDriver {
  query(name: string, args?: Record<string, unknown>): Promise<any>;
  mutation(name: string, args?: Record<string, unknown>): Promise<any>;
  action(name: string, args?: Record<string, unknown>): Promise<any>;
  /** Runs (or waits for) every scheduled function until none is pending. */
  settle(): Promise<void>;
  /** Our backend records what convex-test leaves out: the failure's error text and `completedTime` on every finished job. */
  fullJobRecords: boolean;
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function schedulerSuite(getDriver: () => SchedulerDriver): void {
  const d = () => getDriver();

  describe("scheduler", () => {
    it("runAfter runs the mutation once and records success in _scheduled_functions", async () => {
      const label = fresh("after");
      const id = await d().mutation("jobs:scheduleRecord", { label, delayMs: 0 });
      expect(typeof id).toBe("string");
      const pending = await d().query("jobs:job", { id });
      expect(pending).toMatchObject({ _id: id, args: [{ label }], state: { kind: "pending" } });
      expect(typeof pending.scheduledTime).toBe("number");
      expect(typeof pending._creationTime).toBe("number");
      await d().settle();
      expect(await d().query("jobs:events", { label })).toBe(1);
      const done = await d().query("jobs:job", { id });
      expect(done.state).toEqual({ kind: "success" });
      if (d().fullJobRecords) expect(done.completedTime).toBeGreaterThanOrEqual(done.scheduledTime);
      const all = await d().query("jobs:jobs", {});
      expect(all.map((job: { _id: string }) => job._id)).toContain(id);
    });

    it("runAt waits for its time", async () => {
      const label = fresh("at");
      const atMs = Date.now() + 300;
      const id = await d().mutation("jobs:scheduleRecordAt", { label, atMs });
      const job = await d().query("jobs:job", { id });
      expect(job.scheduledTime).toBe(atMs);
      expect(job.state).toEqual({ kind: "pending" });
      expect(await d().query("jobs:events", { label })).toBe(0);
      await d().settle();
      expect(await d().query("jobs:events", { label })).toBe(1);
      expect((await d().query("jobs:job", { id })).state).toEqual({ kind: "success" });
    });

    it("cancel of a pending job marks it canceled and it never runs", async () => {
      const label = fresh("cancel");
      const id = await d().mutation("jobs:scheduleRecord", { label, delayMs: 200 });
      await d().mutation("jobs:cancel", { id });
      expect((await d().query("jobs:job", { id })).state).toEqual({ kind: "canceled" });
      await d().settle();
      expect(await d().query("jobs:events", { label })).toBe(0);
      expect((await d().query("jobs:job", { id })).state).toEqual({ kind: "canceled" });
    });

    it("a failing job is marked failed and its writes are rolled back", async () => {
      const before = await d().query("jobs:events", { label: "never-committed" });
      const id = await d().mutation("jobs:scheduleFailing", {});
      await d().settle();
      const job = await d().query("jobs:job", { id });
      expect(job.state.kind).toBe("failed");
      if (d().fullJobRecords) {
        expect(job.state.error).toContain("boom from a scheduled mutation");
        expect(typeof job.completedTime).toBe("number");
      }
      expect(await d().query("jobs:events", { label: "never-committed" })).toBe(before);
    });

    it("a mutation that throws after scheduling schedules nothing", async () => {
      const label = fresh("throw");
      const before = (await d().query("jobs:jobs", {})).length;
      await expect(d().mutation("jobs:scheduleThenThrow", { label })).rejects.toThrow(/changed my mind/);
      await d().settle();
      expect((await d().query("jobs:jobs", {})).length).toBe(before);
      expect(await d().query("jobs:events", { label })).toBe(0);
    });

    it("runs scheduled actions", async () => {
      const label = fresh("action");
      const id = await d().mutation("jobs:scheduleAction", { label, delayMs: 0 });
      await d().settle();
      expect(await d().query("jobs:events", { label })).toBe(1);
      expect((await d().query("jobs:job", { id })).state).toEqual({ kind: "success" });
    });

    it("actions schedule and cancel too", async () => {
      const label = fresh("from-action");
      const ran = await d().action("jobs:scheduleFromAction", { label, cancelIt: false });
      const canceled = await d().action("jobs:scheduleFromAction", { label, cancelIt: true });
      await d().settle();
      expect(await d().query("jobs:events", { label })).toBe(1);
      expect((await d().query("jobs:job", { id: ran })).state).toEqual({ kind: "success" });
      expect((await d().query("jobs:job", { id: canceled })).state).toEqual({ kind: "canceled" });
    });
  });
}

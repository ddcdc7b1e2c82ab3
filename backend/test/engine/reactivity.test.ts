// Read sets and write sets: a commit must invalidate exactly the queries whose
// traversed index ranges it wrote into.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convexToJson } from "convex/values";
import schema from "../conformance/convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";
import type { Commit, QueryOutcome } from "../../src/engine/contract.js";

const modules = import.meta.glob<Record<string, unknown>>("../conformance/convex/*.ts", { eager: true });

let app: InProcessApp;
const commits: Commit[] = [];
beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  app.engine.onCommit((c) => commits.push(c));
});
afterAll(() => app?.close());

async function runQuery(udfPath: string, args: Record<string, unknown>): Promise<QueryOutcome> {
  return app.engine.runQuery({ udfPath, args: convexToJson(args as never) as never, auth: { kind: "none" } });
}

async function lastCommitOf(udfPath: string, args: Record<string, unknown>): Promise<Commit> {
  const before = commits.length;
  const outcome = await app.engine.runMutation({ udfPath, args: convexToJson(args as never) as never, auth: { kind: "none" } });
  expect(outcome.success).toBe(true);
  expect(commits.length).toBe(before + 1);
  return commits[commits.length - 1];
}

describe("reactivity", () => {
  it("invalidates a query when a document enters its range, not when another range changes", async () => {
    const watched = await runQuery("messages:list", { channel: "watched" });
    const other = await lastCommitOf("messages:send", { channel: "elsewhere", author: "a", body: "b" });
    expect(watched.readSet.intersects(other.writes)).toBe(false);
    const inside = await lastCommitOf("messages:send", { channel: "watched", author: "a", body: "b" });
    expect(watched.readSet.intersects(inside.writes)).toBe(true);
  });

  it("invalidates a get when that document changes", async () => {
    const id = (await app.call("mutation", "messages:send", { channel: "g", author: "a", body: "b" })) as string;
    const read = await runQuery("messages:get", { id });
    const unrelated = await lastCommitOf("messages:send", { channel: "g", author: "a", body: "c" });
    expect(read.readSet.intersects(unrelated.writes)).toBe(false);
    const patched = await lastCommitOf("messages:setBody", { id, body: "new" });
    expect(read.readSet.intersects(patched.writes)).toBe(true);
  });

  it("does not invalidate first() by writes beyond the row it returned", async () => {
    await app.call("mutation", "messages:sendMany", { channel: "f", count: 3 });
    const first = await runQuery("messages:byLikes", { channel: "f", min: 0, max: 0, inclusive: true, order: "asc" });
    expect(first.success && first.value).toEqual([0]);
    const beyond = await lastCommitOf("messages:send", { channel: "f", author: "z", body: "late", likes: 50 });
    expect(first.readSet.intersects(beyond.writes)).toBe(false);
    const within = await lastCommitOf("messages:send", { channel: "f", author: "z", body: "zero", likes: 0 });
    expect(first.readSet.intersects(within.writes)).toBe(true);
  });

  it("reports no commit for a mutation that writes nothing and rolls back a failed one", async () => {
    const before = commits.length;
    const ts = app.engine.latestTs();
    const outcome = await app.engine.runMutation({ udfPath: "messages:sendThenFail", args: { channel: "r" }, auth: { kind: "none" } });
    expect(outcome.success).toBe(false);
    expect(commits.length).toBe(before);
    expect(app.engine.latestTs()).toBe(ts);
  });

  it("skips a queued mutation whose caller no longer wants it, and keeps order for the rest", async () => {
    const before = commits.length;
    const send = (body: string, stillWanted?: () => boolean) =>
      app.engine.runMutation({ udfPath: "messages:send", args: { channel: "queued", author: "a", body }, auth: { kind: "none" }, stillWanted });
    // Queued together, they share a group commit; the unwanted one never runs.
    const outcomes = await Promise.all([send("first"), send("skipped", () => false), send("third")]);
    expect(outcomes.map((o) => o.success)).toEqual([true, false, true]);
    const rows = (await app.call("query", "messages:list", { channel: "queued" })) as { body: string }[];
    expect(rows.map((r) => r.body)).toEqual(["first", "third"]);
    expect(commits.length).toBeGreaterThan(before);
  });

  it("gives each commit a strictly greater timestamp", async () => {
    const a = await lastCommitOf("messages:send", { channel: "t", author: "a", body: "1" });
    const b = await lastCommitOf("messages:send", { channel: "t", author: "a", body: "2" });
    expect(b.ts > a.ts).toBe(true);
  });

  it("lets queries read a consistent snapshot while a mutation commits", async () => {
    // Many concurrent queries and mutations: every query sees whole mutations only.
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      work.push(app.call("mutation", "messages:sendMany", { channel: "snap", count: 5 }));
      work.push(
        runQuery("messages:list", { channel: "snap" }).then((o) => {
          expect(o.success).toBe(true);
          if (o.success) expect((o.value as unknown[]).length % 5).toBe(0);
        }),
      );
    }
    await Promise.all(work);
  });
});

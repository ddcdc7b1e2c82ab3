// A search query is reactive like any other: a ConvexClient subscription to
// it gets a new result when a matching document is inserted, renamed or
// deleted — and is not re-run for writes under another first filter value.
import { ConvexClient } from "convex/browser";
import { anyApi } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "./convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";
import { eventually, startServer, type RunningServer } from "../helpers/apiTestServer.js";

const modules = import.meta.glob<Record<string, unknown>>("./convex/*.ts", { eager: true });

let app: InProcessApp;
let server: RunningServer;
let client: ConvexClient;
beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  server = await startServer(app.engine);
  client = new ConvexClient(server.url, { logger: false });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  app?.close();
});

describe("search subscriptions", () => {
  it("update after an insert, a rename and a delete", async () => {
    const updates: string[][] = [];
    const unsubscribe = client.onUpdate(anyApi.students.search, { text: "ali", school: "reactive" }, (names: string[]) => updates.push(names));
    await eventually(() => updates.length === 1, 5000, "first result");
    expect(updates[0]).toEqual([]);

    const id = await app.call("mutation", "students:add", { name: "Alice Liddell", school: "reactive" });
    await eventually(() => updates.length === 2, 5000, "update after insert");
    expect(updates[1]).toEqual(["Alice Liddell"]);

    // Documents that do not match (another school, another name) leave the result as it was.
    await app.call("mutation", "students:add", { name: "Alison Elsewhere", school: "other-school" });
    await app.call("mutation", "students:add", { name: "Bob Reactive", school: "reactive" });
    expect(updates[updates.length - 1]).toEqual(["Alice Liddell"]);

    await app.call("mutation", "students:rename", { id, name: "Alicia Liddell" });
    await app.call("mutation", "students:add", { name: "Ali Baba", school: "reactive" });
    await eventually(() => updates[updates.length - 1].length === 2, 5000, "update after rename and insert");
    expect(new Set(updates[updates.length - 1])).toEqual(new Set(["Alicia Liddell", "Ali Baba"]));

    await app.call("mutation", "students:remove", { id });
    await eventually(() => updates[updates.length - 1].length === 1, 5000, "update after delete");
    expect(updates[updates.length - 1]).toEqual(["Ali Baba"]);
    unsubscribe();
  });

  it("records a read set that only search-index writes of the same filter value touch", async () => {
    const outcome = await app.engine.runQuery({ udfPath: "students:search", args: { text: "zed", school: "isolated" }, auth: { kind: "none" } });
    expect(outcome.success).toBe(true);
    const commits: boolean[] = [];
    const stop = app.engine.onCommit((commit) => commits.push(outcome.readSet.intersects(commit.writes)));
    await app.call("mutation", "students:add", { name: "Zed Other", school: "not-isolated" });
    await app.call("mutation", "students:add", { name: "Zed Here", school: "isolated" });
    stop();
    expect(commits).toEqual([false, true]);
  });
});

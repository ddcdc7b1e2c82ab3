// Components at runtime, through a real backend and the real CLI push: the
// app calls two instances of one local component and three npm components
// from their compiled dist/component; each instance has its own tables;
// function handles call (and schedule) across the component boundary;
// auth does not flow into components; paginate works inside a component.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import { eventually, startAppBackend, type AppBackend } from "../httpActions/appBackend.js";

let app: AppBackend;

beforeAll(async () => {
  app = await startAppBackend();
}, 120_000);
afterAll(() => app?.close());

const api = anyApi;

describe("components", () => {
  test("each component instance has its own tables, separate from the app's", async () => {
    const http = app.http();
    await http.mutation(api.components.addApp, { label: "app-1" });
    const idA = (await http.mutation(api.components.addWidget, { which: "A", label: "a-1" })) as string;
    const idB = (await http.mutation(api.components.addWidget, { which: "B", label: "b-1" })) as string;
    expect(await http.query(api.components.listApp, {})).toEqual(["app-1"]);
    expect(await http.query(api.components.listWidget, { which: "A" })).toEqual(["a-1"]);
    expect(await http.query(api.components.listWidget, { which: "B" })).toEqual(["b-1"]);
    expect(idA).not.toBe(idB);

    // An id minted in widgetA reads as its document only in widgetA.
    expect(await http.query(api.components.tryGetInWidget, { which: "A", id: idA })).toEqual({ normalized: true, doc: "a-1" });
    expect((await http.query(api.components.tryGetInWidget, { which: "B", id: idA }) as { doc: unknown }).doc).toBeNull();
    expect((await http.query(api.components.tryGetInApp, { id: idA }) as { doc: unknown }).doc).toBeNull();
    expect((await http.query(api.components.tryGetInWidget, { which: "A", id: idB }) as { doc: unknown }).doc).toBeNull();
  });

  test("component functions are not callable as the app's public API", async () => {
    await expect(app.http().query("items:list" as never, {})).rejects.toThrow(/Could not find public function/);
  });

  test("function handles call into a component and into the app", async () => {
    const http = app.http();
    const handles = (await http.mutation(api.components.callThroughHandles, { label: "via-handle" })) as { widgetHandle: string; appHandle: string };
    expect(handles.widgetHandle).toMatch(/^function:\/\//);
    expect(handles.appHandle).toMatch(/^function:\/\//);
    expect(handles.widgetHandle).not.toBe(handles.appHandle);
    expect(await http.query(api.components.listWidget, { which: "B" })).toContain("via-handle");
    expect(await http.query(api.components.listApp, {})).toContain("via-handle");
  });

  test("a function handle can be scheduled", async () => {
    const http = app.http();
    await http.mutation(api.components.scheduleThroughHandle, { label: "scheduled-handle" });
    await eventually(async () => ((await http.query(api.components.listWidget, { which: "B" })) as string[]).includes("scheduled-handle"), 10_000, "the scheduled handle to run");
  });

  test("an action calls a component's mutation and query, each its own transaction", async () => {
    const labels = (await app.http().action(api.components.widgetFromAction, { label: "from-action" })) as string[];
    expect(labels).toContain("from-action");
  });

  test("paginate works inside a component, page after page", async () => {
    const http = app.http();
    for (const label of ["p1", "p2", "p3"]) await http.mutation(api.components.addWidget, { which: "A", label });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = (await http.query(api.components.paginateInWidget, { cursor })) as { labels: string[]; isDone: boolean; continueCursor: string };
      seen.push(...page.labels);
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(seen).toEqual(expect.arrayContaining(["p1", "p2", "p3"]));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

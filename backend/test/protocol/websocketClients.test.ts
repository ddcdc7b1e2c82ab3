// The unmodified ConvexClient over the sync WebSocket against the real backend:
// subscriptions, several clients, and reconnection after a backend restart.
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { startFixtureBackend } from "../helpers/fixtureBackend.js";

const list = makeFunctionReference<"query", { channel: string }, { body: string }[]>("messages:list");
const send = makeFunctionReference<"mutation", { channel: string; author: string; body: string }, string>("messages:send");
const failWithData = makeFunctionReference<"mutation">("messages:failWithData");
const page = makeFunctionReference<"query">("messages:page");
const sendMany = makeFunctionReference<"mutation">("messages:sendMany");
const remove = makeFunctionReference<"mutation">("messages:remove");

let backend: BackendProcess;
beforeAll(async () => {
  backend = await startFixtureBackend();
}, 120_000);
afterAll(async () => {
  await backend?.stop();
});

/** Resolves with the first update that satisfies `predicate`. */
function waitFor<T>(client: ConvexClient, query: typeof list, args: { channel: string }, predicate: (rows: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for an update")), 10_000);
    const unsubscribe = client.onUpdate(query, args, (rows) => {
      if (predicate(rows as T)) {
        clearTimeout(timer);
        unsubscribe();
        resolve(rows as T);
      }
    });
  });
}

describe("ConvexClient over WebSocket", () => {
  it("subscribes, mutates and sees the update on several clients", async () => {
    const clients = [new ConvexClient(backend.url), new ConvexClient(backend.url), new ConvexClient(backend.url)];
    try {
      const channel = `ws-${Date.now()}`;
      const seen = clients.map((c) => waitFor<{ body: string }[]>(c, list, { channel }, (rows) => rows.length === 2));
      await clients[0].mutation(send, { channel, author: "a", body: "one" });
      await clients[1].mutation(send, { channel, author: "b", body: "two" });
      for (const rows of await Promise.all(seen)) expect(rows.map((r) => r.body)).toEqual(["one", "two"]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("resolves a mutation only after its result is visible to the same client", async () => {
    const client = new ConvexClient(backend.url);
    try {
      const channel = `ryw-${Date.now()}`;
      const initial = await waitFor<unknown[]>(client, list, { channel }, () => true);
      expect(initial).toEqual([]);
      let latest: { body: string }[] = [];
      const unsubscribe = client.onUpdate(list, { channel }, (rows) => (latest = rows));
      await client.mutation(send, { channel, author: "a", body: "mine" });
      expect(latest.map((r) => r.body)).toEqual(["mine"]);
      unsubscribe();
    } finally {
      await client.close();
    }
  });

  it("delivers ConvexError data over the socket", async () => {
    const client = new ConvexClient(backend.url);
    try {
      await expect(client.mutation(failWithData, {})).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    } finally {
      await client.close();
    }
  });

  it("keeps a reactive page's end boundary when a row inside it is deleted", async () => {
    const client = new ConvexClient(backend.url);
    const http = new ConvexHttpClient(backend.url);
    try {
      const channel = `page-${Date.now()}`;
      await http.mutation(sendMany, { channel, count: 5 });
      const rows = await http.query(list, { channel });
      const updates: { page: { body: string }[]; isDone: boolean }[] = [];
      let notify = () => {};
      const unsubscribe = client.onUpdate(page, { channel, paginationOpts: { numItems: 3, cursor: null } }, (r) => {
        updates.push(r as never);
        notify();
      });
      const next = (n: number) => new Promise<void>((resolve) => {
        notify = () => updates.length >= n && resolve();
        notify();
      });
      await next(1);
      expect(updates[0].page.map((m) => m.body)).toEqual(["message 0", "message 1", "message 2"]);
      expect(updates[0].isDone).toBe(false);
      // Deleting a row inside the page re-runs it up to the same end cursor
      // (the journal), so "message 3" is not pulled in: pages never overlap.
      await http.mutation(remove, { id: (rows[1] as unknown as { _id: string })._id });
      await next(2);
      expect(updates[1].page.map((m) => m.body)).toEqual(["message 0", "message 2"]);
      unsubscribe();
    } finally {
      await client.close();
    }
  });
});

describe("live pagination when a document moves into the range", () => {
  it("a patch that moves an older document into a watched page updates it", async () => {
    const client = new ConvexClient(backend.url);
    const http = new ConvexHttpClient(backend.url);
    const move = makeFunctionReference<"mutation">("messages:moveToChannel");
    try {
      const source = `src-${Date.now()}`;
      const dest = `dest-${Date.now()}`;
      const moved = await http.mutation(send, { channel: source, author: "a", body: "moved" });
      for (const body of ["d1", "d2", "d3"]) await http.mutation(send, { channel: dest, author: "a", body });
      const emptyDest = `empty-${Date.now()}`;
      const pages: Record<string, string[][]> = { dest: [], empty: [] };
      let notify = () => {};
      const watch = (channel: string, key: "dest" | "empty") =>
        client.onUpdate(page, { channel, paginationOpts: { numItems: 2, cursor: null } }, (r) => {
          pages[key].push((r as { page: { body: string }[] }).page.map((m) => m.body));
          notify();
        });
      const stopDest = watch(dest, "dest");
      const stopEmpty = watch(emptyDest, "empty");
      const until = (check: () => boolean) =>
        new Promise<void>((resolve) => {
          notify = () => check() && resolve();
          notify();
        });
      await until(() => pages.dest.length >= 1 && pages.empty.length >= 1);
      expect(pages.dest.at(-1)).toEqual(["d1", "d2"]);
      expect(pages.empty.at(-1)).toEqual([]);
      // Older than every document of the destination: it sorts first in the index.
      await http.mutation(move, { id: moved, channel: dest });
      await until(() => (pages.dest.at(-1) ?? []).includes("moved"));
      expect(pages.dest.at(-1)).toEqual(["moved", "d1", "d2"]);
      await http.mutation(move, { id: moved, channel: emptyDest });
      await until(() => (pages.empty.at(-1) ?? []).includes("moved"));
      expect(pages.empty.at(-1)).toEqual(["moved"]);
      stopDest();
      stopEmpty();
    } finally {
      await client.close();
    }
  });
});

describe("reconnection", () => {
  it("resubscribes after the backend restarts on the same port", async () => {
    const own = await startFixtureBackend();
    const client = new ConvexClient(own.url);
    try {
      const channel = `restart-${Date.now()}`;
      await waitFor(client, list, { channel }, () => true);
      await own.stop();
      const again = await startBackendProcess({ dataDir: own.dataDir, port: own.port, sitePort: own.sitePort });
      try {
        const after = waitFor<{ body: string }[]>(client, list, { channel }, (rows) => rows.length === 1);
        await new ConvexHttpClient(again.url).mutation(send, { channel, author: "a", body: "after restart" });
        expect((await after).map((r) => r.body)).toEqual(["after restart"]);
      } finally {
        await client.close();
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  }, 60_000);
});

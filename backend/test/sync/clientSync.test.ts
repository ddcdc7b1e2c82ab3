// The unmodified ConvexClient (convex/browser) against our sync endpoint,
// backed by the in-memory FakeEngine.

import { afterEach, describe, expect, test } from "vitest";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import { FakeEngine, sleep } from "../helpers/fakeEngine.js";
import { eventually, startServer, type RunningServer } from "../helpers/apiTestServer.js";

const api = anyApi;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(configure?: (engine: FakeEngine) => void): Promise<{ engine: FakeEngine; server: RunningServer }> {
  const engine = new FakeEngine();
  configure?.(engine);
  const server = await startServer(engine);
  cleanups.push(() => server.close());
  return { engine, server };
}

function client(url: string): ConvexClient {
  const c = new ConvexClient(url, { logger: false });
  cleanups.push(() => c.close());
  return c;
}

/** Collects every value a subscription delivers. */
function watch<T>(c: ConvexClient, ref: unknown, args: Record<string, unknown>) {
  const values: T[] = [];
  const errors: Error[] = [];
  const unsubscribe = c.onUpdate(
    ref as never,
    args as never,
    (v: unknown) => values.push(v as T),
    (e: Error) => errors.push(e),
  );
  return { values, errors, unsubscribe, last: () => values[values.length - 1] };
}

describe("sync with the real ConvexClient", () => {
  test("several clients see each other's mutations", async () => {
    const { server } = await setup();
    const clients = [client(server.url), client(server.url), client(server.url)];
    const watches = clients.map((c) => watch<number>(c, api.counter.get, { name: "a" }));
    await eventually(() => watches.every((w) => w.last() === 0), 5000, "initial results");

    const result = await clients[0]!.mutation(api.counter.increment as never, { name: "a" } as never);
    expect(result).toBe(1);
    // The mutating client reads its own write as soon as the mutation resolves.
    expect(watches[0]!.last()).toBe(1);
    await eventually(() => watches.every((w) => w.last() === 1), 5000, "update everywhere");

    await clients[2]!.mutation(api.counter.increment as never, { name: "a", by: 5 } as never);
    await eventually(() => watches.every((w) => w.last() === 6), 5000, "second update");
    expect(watches[1]!.values).toEqual([0, 1, 6]);
  });

  test("identical subscriptions are computed once and re-run only when their reads change", async () => {
    const { engine, server } = await setup();
    const clients = Array.from({ length: 5 }, () => client(server.url));
    const watches = clients.map((c) => watch<number>(c, api.counter.get, { name: "shared" }));
    const other = watch<number>(clients[0]!, api.counter.get, { name: "other" });
    await eventually(() => watches.every((w) => w.last() === 0) && other.last() === 0, 5000, "initial results");
    expect(engine.queryRuns("counter:get")).toBe(2); // "shared" once, "other" once
    expect(server.api.sync.manager.subscriptionCount).toBe(2);

    await clients[1]!.mutation(api.counter.increment as never, { name: "shared" } as never);
    await eventually(() => watches.every((w) => w.last() === 1), 5000, "shared update");
    expect(engine.queryRuns("counter:get")).toBe(3); // only "shared" re-ran

    // A write nobody reads re-runs nothing, yet the mutation still resolves
    // (the client needs a Transition reaching the mutation's ts).
    await clients[3]!.mutation(api.counter.increment as never, { name: "unwatched" } as never);
    expect(engine.queryRuns("counter:get")).toBe(3);
  });

  test("Remove stops updates and frees the shared subscription", async () => {
    const { engine, server } = await setup();
    const c = client(server.url);
    const w = watch<number>(c, api.counter.get, { name: "r" });
    await eventually(() => w.last() === 0);
    w.unsubscribe();
    await eventually(() => server.api.sync.manager.subscriptionCount === 0, 5000, "subscription released");
    const runs = engine.queryRuns("counter:get");
    await c.mutation(api.counter.increment as never, { name: "r" } as never);
    await sleep(100);
    expect(w.values).toEqual([0]);
    expect(engine.queryRuns("counter:get")).toBe(runs);
  });

  test("a client reconnects to a restarted server on the same port and resubscribes", async () => {
    const engine = new FakeEngine();
    let server = await startServer(engine);
    const port = server.port;
    const c = client(server.url);
    const w = watch<number>(c, api.counter.get, { name: "restart" });
    await eventually(() => w.last() === 0);

    await server.close();
    expect(engine.commitListenerCount).toBe(0); // the old manager let go of the engine
    server = await startServer(engine, port);
    cleanups.push(() => server.close());

    const http = new ConvexHttpClient(server.url, { logger: false });
    await http.mutation(api.counter.increment as never, { name: "restart" } as never);
    await eventually(() => w.last() === 1, 15_000, "update after reconnect");
    expect(server.api.sync.connectionCount).toBe(1);
    // A mutation over the new socket works too.
    await c.mutation(api.counter.increment as never, { name: "restart" } as never);
    await eventually(() => w.last() === 2);
  }, 30_000);

  test("query and mutation errors keep ConvexError data on the WebSocket", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const w = watch(c, api.errors.convexErrorQuery, {});
    await eventually(() => w.errors.length === 1, 5000, "query error");
    expect(w.errors[0]).toBeInstanceOf(ConvexError);
    expect((w.errors[0] as ConvexError<Value>).data).toEqual({ code: "LIMIT", limit: 5n });

    const mutationError = await c.mutation(api.errors.convexErrorMutation as never, {} as never).catch((e: unknown) => e);
    expect(mutationError).toBeInstanceOf(ConvexError);
    expect((mutationError as ConvexError<Value>).data).toEqual({ code: "LIMIT", limit: 5n });

    const actionError = await c.action(api.errors.convexErrorAction as never, {} as never).catch((e: unknown) => e);
    expect((actionError as ConvexError<Value>).data).toEqual({ code: "LIMIT", limit: 5n });

    const plain = await c.mutation(api.errors.plainMutation as never, {} as never).catch((e: unknown) => e);
    expect(plain).not.toBeInstanceOf(ConvexError);
    expect(String((plain as Error).message)).toContain("Uncaught Error: boom");

    const unknown = await c.mutation(api.nope.missing as never, {} as never).catch((e: unknown) => e);
    expect(String((unknown as Error).message)).toContain("Could not find public function for 'nope:missing'");
  });

  test("a query whose engine call throws reports QueryFailed and recovers after a write", async () => {
    const { engine, server } = await setup();
    const c = client(server.url);
    const w = watch(c, api.errors.throwingQuery, {});
    await eventually(() => w.errors.length === 1, 5000, "failure");
    expect(w.errors[0]!.message).toContain("engine blew up");
    engine.functions["errors:throwingQuery"] = { type: "query", handler: () => ({ value: "fine now" }) };
    await c.mutation(api.counter.increment as never, { name: "anything" } as never);
    await eventually(() => w.last() === "fine now", 5000, "recovery");
  });

  test("actions run and their mutations update subscribers", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const w = watch<number>(c, api.counter.get, { name: "act" });
    expect(await c.action(api.actions.double as never, { x: 21 } as never)).toBe(42);
    expect(await c.action(api.actions.incrementTwice as never, { name: "act" } as never)).toBe(2);
    await eventually(() => w.last() === 2);
  });

  test("a client that disconnects mid-mutation does not disturb the others", async () => {
    const { engine, server } = await setup();
    const leaver = client(server.url);
    const stayer = client(server.url);
    const w = watch<number>(stayer, api.counter.get, { name: "d" });
    await eventually(() => w.last() === 0);
    void leaver.mutation(api.counter.increment as never, { name: "d", delayMs: 150 } as never).catch(() => {});
    await eventually(() => engine.calls.some((call) => call.kind === "mutation"), 2000, "slow mutation started");
    await leaver.close();
    await eventually(() => w.last() === 1, 5000, "slow mutation committed and seen by the other client");
    await stayer.mutation(api.counter.increment as never, { name: "d" } as never);
    await eventually(() => w.last() === 2);
    expect(server.api.sync.connectionCount).toBe(1);
  });

  test("commits delivered after the mutation resolves still resolve the mutation", async () => {
    const { server } = await setup((engine) => (engine.commitDelivery = "async"));
    const c = client(server.url);
    const w = watch<number>(c, api.counter.get, { name: "late" });
    await eventually(() => w.last() === 0);
    expect(await c.mutation(api.counter.increment as never, { name: "late" } as never)).toBe(1);
    await eventually(() => w.last() === 1);
    // And a mutation touching nothing watched resolves too.
    expect(await c.mutation(api.counter.increment as never, { name: "elsewhere" } as never)).toBe(1);
  });

  test("large transitions arrive as TransitionChunks the client reassembles", async () => {
    const engine = new FakeEngine();
    const chunked = await startServer(engine, 0, { sync: { transitionChunkChars: 1000 } });
    cleanups.push(() => chunked.close());
    const c = client(chunked.url);
    const w = watch<string>(c, api.big.blob, { size: 5000 });
    await eventually(() => w.last()?.length === 5000, 5000, "chunked result");
  });
});

describe("auth over the WebSocket", () => {
  test("a good token's identity reaches the query; clearing auth removes it", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const changes: boolean[] = [];
    c.setAuth(async () => "good", (isAuthenticated) => changes.push(isAuthenticated));
    const w = watch<string | null>(c, api.auth.whoami, {});
    await eventually(() => w.last() === "https://auth.test|alice", 5000, "identity");
    await eventually(() => changes.includes(true), 5000, "onChange(true)");

    c.client.clearAuth();
    await eventually(() => w.last() === null, 5000, "anonymous again");
  });

  test("a token that expires is reported, and the client fetches a fresh one and stays signed in", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const fetches: boolean[] = [];
    const changes: boolean[] = [];
    // The first token expires after 300 ms; the refreshed one does not.
    c.setAuth(
      async ({ forceRefreshToken }) => {
        fetches.push(forceRefreshToken);
        return fetches.length === 1 ? "expiring:300" : "good";
      },
      (isAuthenticated) => changes.push(isAuthenticated),
    );
    const w = watch<string | null>(c, api.auth.whoami, {});
    await eventually(() => w.last() === "https://auth.test|alice", 5000, "identity");
    // The server's AuthError makes the client ask for a new token, as the Convex client does.
    await eventually(() => fetches.length >= 2 && fetches.at(-1) === true, 10_000, "a forced token refresh");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(w.last()).toBe("https://auth.test|alice");
    expect(changes.at(-1)).toBe(true);
  });

  test("a bad token is refused and the client reports it is not authenticated", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const changes: boolean[] = [];
    c.setAuth(async () => "bad", (isAuthenticated) => changes.push(isAuthenticated));
    const w = watch<string | null>(c, api.auth.whoami, {});
    await eventually(() => changes.includes(false), 10_000, "onChange(false)");
    await eventually(() => w.last() === null, 10_000, "query runs anonymously");
    expect(server.logs.some((line) => line.includes("authenticate User refused"))).toBe(true);
  });

  test("admin auth may call internal functions and act as a user", async () => {
    const { server } = await setup();
    const c = client(server.url);
    (c.client as unknown as { setAdminAuth(key: string, actingAs?: Record<string, string>): void }).setAdminAuth("admin-key", { subject: "carol", issuer: "https://auth.test" });
    const w = watch<string>(c, api.admin.secret, {});
    await eventually(() => w.last() === "the secret");
    const who = watch<string>(c, api.auth.whoami, {});
    await eventually(() => who.last() === "admin as https://auth.test|carol");
  });

  test("an internal query is refused without the admin key", async () => {
    const { server } = await setup();
    const c = client(server.url);
    const w = watch(c, api.admin.secret, {});
    await eventually(() => w.errors.length === 1);
    expect(w.errors[0]!.message).toContain("Could not find public function for 'admin:secret'");
  });
});

describe("pagination", () => {
  test("paginated queries get their journal back and resend it after a reconnect", async () => {
    const engine = new FakeEngine();
    for (let i = 0; i < 5; i++) engine.messages.push({ channel: "p", author: "x", body: `m${i}` });
    let server = await startServer(engine);
    const port = server.port;
    const c = client(server.url);
    const pages: { results: string[]; status: string }[] = [];
    c.onPaginatedUpdate_experimental(api.messages.page as never, { channel: "p" } as never, { initialNumItems: 2 }, (r: unknown) =>
      pages.push(r as { results: string[]; status: string }),
    );
    await eventually(() => pages.length > 0 && pages[pages.length - 1]!.results.length === 2, 5000, "first page");
    expect(pages[pages.length - 1]!.results).toEqual(["m0", "m1"]);

    // A row inserted before the page's end grows the page: the subscription
    // re-runs with the journal of its previous run, not the one it began with.
    engine.messages.unshift({ channel: "p", author: "x", body: "new-first" });
    await c.mutation(api.messages.send as never, { channel: "p", body: "m5" } as never);
    // Without the journal the page would be the first two rows: new-first, m0.
    await eventually(() => pages[pages.length - 1]!.results.join(",") === "new-first,m0,m1", 5000, "page keeps its boundary");

    // Restart: the client re-adds the query with the journal it received.
    await server.close();
    server = await startServer(engine, port);
    cleanups.push(() => server.close());
    await eventually(
      () => engine.calls.some((call) => call.udfPath === "messages:page" && call.journal === JSON.stringify({ endKey: "m1" })),
      15_000,
      "journal sent back",
    );
    engine.messages.unshift({ channel: "p", author: "x", body: "newer" });
    await c.mutation(api.messages.send as never, { channel: "p", body: "m6" } as never);
    await eventually(() => pages[pages.length - 1]!.results.join(",") === "newer,new-first,m0,m1", 5000, "boundary kept across reconnect");
  }, 30_000);
});

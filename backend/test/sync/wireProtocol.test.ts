// The sync protocol on the wire: exact message shapes, version bookkeeping,
// and what happens to bad input.

import { afterEach, describe, expect, test } from "vitest";
import { FakeEngine } from "../helpers/fakeEngine.js";
import { decodeWireTs, RawSyncClient, startServer, type RunningServer } from "../helpers/apiTestServer.js";
import { decodeTs, encodeTs } from "../../src/sync/protocol.js";
import type { ApiServerOptions } from "../../src/http/apiServer.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(extra: Partial<ApiServerOptions> = {}): Promise<{ engine: FakeEngine; server: RunningServer }> {
  const engine = new FakeEngine();
  const server = await startServer(engine, 0, extra);
  cleanups.push(() => server.close());
  return { engine, server };
}

async function connect(server: RunningServer): Promise<RawSyncClient> {
  const c = await RawSyncClient.connect(server.url);
  cleanups.push(() => c.close());
  c.send({ type: "Connect", sessionId: "00000000-0000-0000-0000-000000000000", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() });
  return c;
}

/** The next Transition that carries modifications (an Authenticate may be acknowledged on its own first). */
const withModifications = (m: Record<string, unknown>) => m.type === "Transition" && (m.modifications as unknown[]).length > 0;

const addCounter = (queryId: number, name: string, baseVersion = 0) => ({
  type: "ModifyQuerySet",
  baseVersion,
  newVersion: baseVersion + 1,
  modifications: [{ type: "Add", queryId, udfPath: "counter:get", args: [{ name }] }],
});

describe("timestamps", () => {
  test("u64 round-trips as base64 of 8 little-endian bytes", () => {
    expect(encodeTs(1n)).toBe("AQAAAAAAAAA=");
    expect(encodeTs(2n ** 64n - 1n)).toBe("//////////8=");
    expect(decodeTs(encodeTs(1234567890123n))).toBe(1234567890123n);
    expect(decodeTs("AQ==")).toBeUndefined();
  });
});

describe("sync wire protocol", () => {
  test("the first Transition starts at version zero and carries the query result", async () => {
    const { engine, server } = await setup();
    engine.counters.set("a", 7);
    const c = await connect(server);
    c.send(addCounter(0, "a"));
    const t = await c.ofType("Transition");
    expect(t.startVersion).toEqual({ querySet: 0, ts: encodeTs(0n), identity: 0 });
    expect(t.endVersion).toEqual({ querySet: 1, ts: encodeTs(engine.latestTs()), identity: 0 });
    expect(t.modifications).toEqual([{ type: "QueryUpdated", queryId: 0, value: 7, logLines: [], journal: null }]);
    expect(typeof t.clientClockSkew).toBe("number");
  });

  test("a mutation's response carries its ts and is followed by a Transition reaching it", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send(addCounter(0, "m"));
    const first = await c.ofType("Transition");
    c.send({ type: "Mutation", requestId: 0, udfPath: "counter:increment", args: [{ name: "m" }] });
    const response = await c.ofType("MutationResponse");
    expect(response).toMatchObject({ requestId: 0, success: true, result: 1, logLines: ["incremented m to 1"] });
    const mutationTs = decodeWireTs(response.ts);
    const t = await c.ofType("Transition");
    expect(t.startVersion).toEqual(first.endVersion); // serialized: each starts where the last ended
    expect(decodeWireTs((t.endVersion as { ts: string }).ts)).toBeGreaterThanOrEqual(mutationTs);
    expect(t.modifications).toEqual([{ type: "QueryUpdated", queryId: 0, value: 1, logLines: [], journal: null }]);
  });

  test("a mutation of an unknown function fails with a clear message and the socket stays up", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({ type: "Mutation", requestId: 3, udfPath: "nope:missing", args: [{}] });
    const response = await c.ofType("MutationResponse");
    expect(response.success).toBe(false);
    expect(response.result).toContain("Could not find public function for 'nope:missing'");
    c.send(addCounter(0, "still-alive"));
    await c.ofType("Transition");
  });

  test("Remove answers with QueryRemoved", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send(addCounter(0, "x"));
    await c.ofType("Transition");
    c.send({ type: "ModifyQuerySet", baseVersion: 1, newVersion: 2, modifications: [{ type: "Remove", queryId: 0 }] });
    const t = await c.ofType("Transition");
    expect(t.modifications).toEqual([{ type: "QueryRemoved", queryId: 0 }]);
    expect((t.endVersion as { querySet: number }).querySet).toBe(2);
  });

  test("invalid JSON gets a FatalError and a close; other clients carry on", async () => {
    const { server } = await setup();
    const bystander = await connect(server);
    const c = await connect(server);
    c.send("{not json");
    const fatal = await c.ofType("FatalError");
    expect(fatal.error).toMatch(/^Received Invalid JSON on websocket: /);
    await c.closed;
    bystander.send(addCounter(0, "b"));
    await bystander.ofType("Transition");
  });

  test("unknown message types, bad shapes and binary frames are refused", async () => {
    const { server } = await setup();
    const cases: [unknown, RegExp][] = [
      [{ type: "Bogus" }, /unknown message type "Bogus"/],
      [{ type: "Mutation", requestId: -1, udfPath: "a:b", args: [{}] }, /requestId must be a non-negative integer/],
      [{ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: 5, args: [] }] }, /udfPath must be a string/],
      [[1, 2, 3], /expected a JSON object/],
    ];
    for (const [frame, expected] of cases) {
      const c = await connect(server);
      c.send(frame);
      expect((await c.ofType("FatalError")).error).toMatch(expected);
      await c.closed;
    }
    const binary = await connect(server);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect((await binary.ofType("FatalError")).error).toMatch(/Received Invalid JSON/);
  });

  test("a wrong query set baseVersion is fatal, as in Convex", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send(addCounter(0, "v", 5));
    const fatal = await c.ofType("FatalError");
    expect(fatal.error).toBe("Base version 5 passed up doesn't match the current version 0");
    await c.closed;
  });

  test("a duplicate query id closes with 1011 so the client starts afresh", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send(addCounter(0, "dup"));
    c.send(addCounter(0, "dup", 1));
    await c.closed;
    expect(c.closeCode).toBe(1011);
    expect(server.logs.some((l) => l.includes("Duplicate query ID: 0"))).toBe(true);
  });

  test("frames above the payload limit close the socket with 1009", async () => {
    const { server } = await setup({ sync: { maxPayloadBytes: 1024 } });
    const c = await connect(server);
    c.send({ type: "Mutation", requestId: 0, udfPath: "counter:increment", args: [{ name: "x".repeat(5000) }] });
    await c.closed;
    expect(c.closeCode).toBe(1009);
    const other = await connect(server);
    other.send(addCounter(0, "fine"));
    await other.ofType("Transition");
  });

  test("idle connections get Pings", async () => {
    const { server } = await setup({ sync: { pingIntervalMs: 40 } });
    const c = await connect(server);
    await c.ofType("Ping", 2000);
  });

  test("components may only be addressed with admin auth", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({
      type: "ModifyQuerySet",
      baseVersion: 0,
      newVersion: 1,
      modifications: [{ type: "Add", queryId: 0, udfPath: "lib:get", args: [{}], componentPath: "presence" }],
    });
    const t = await c.ofType("Transition");
    expect(t.modifications).toEqual([
      expect.objectContaining({ type: "QueryFailed", queryId: 0, errorMessage: expect.stringContaining("non-root components") }),
    ]);
  });
});

describe("auth on the wire", () => {
  test("a good token bumps the identity version; a bad one gets AuthError and a close", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({ type: "Authenticate", tokenType: "User", value: "good", baseVersion: 0 });
    c.send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "auth:whoami", args: [{}] }] });
    const t = await c.next(withModifications);
    expect((t.endVersion as { identity: number }).identity).toBe(1);
    expect(t.modifications).toEqual([expect.objectContaining({ queryId: 0, value: "https://auth.test|alice" })]);

    c.send({ type: "Authenticate", tokenType: "User", value: "bad", baseVersion: 1 });
    const error = await c.ofType("AuthError");
    expect(error).toEqual({
      type: "AuthError",
      error: "Could not verify token: the token is not valid",
      baseVersion: 1,
      authUpdateAttempted: true,
    });
    await c.closed;
  });

  test("switching users re-runs queries under the new identity", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({ type: "Authenticate", tokenType: "User", value: "good", baseVersion: 0 });
    c.send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "auth:whoami", args: [{}] }] });
    await c.next(withModifications);
    c.send({ type: "Authenticate", tokenType: "User", value: "good-bob", baseVersion: 1 });
    const t = await c.next(withModifications);
    expect(t.endVersion).toMatchObject({ identity: 2, querySet: 1 });
    expect(t.modifications).toEqual([expect.objectContaining({ queryId: 0, value: "https://auth.test|bob" })]);
  });

  test("an expiring token gets AuthError with authUpdateAttempted false when it expires", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({ type: "Authenticate", tokenType: "User", value: "expiring:150", baseVersion: 0 });
    const t = await c.ofType("Transition");
    expect((t.endVersion as { identity: number }).identity).toBe(1);
    const error = await c.ofType("AuthError", 3000);
    expect(error).toEqual({ type: "AuthError", error: "Convex token identity expired", baseVersion: 1, authUpdateAttempted: false });
    await c.closed;
  });

  test("an Authenticate with the wrong baseVersion closes with 1011", async () => {
    const { server } = await setup();
    const c = await connect(server);
    c.send({ type: "Authenticate", tokenType: "None", baseVersion: 4 });
    await c.closed;
    expect(c.closeCode).toBe(1011);
  });
});

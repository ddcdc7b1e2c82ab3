// The HTTP API with the unmodified ConvexHttpClient, plus raw requests for
// the error paths a client library never produces.

import { afterEach, describe, expect, test } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { ConvexError, type Value } from "convex/values";
import { ADMIN_KEY, FakeEngine } from "../helpers/fakeEngine.js";
import { asInternal, startServer, type RunningServer } from "../helpers/apiTestServer.js";
import { decodeTs } from "../../src/sync/protocol.js";
import type { ApiServerOptions } from "../../src/http/apiServer.js";

const api = anyApi;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(extra: Partial<ApiServerOptions> = {}): Promise<{ engine: FakeEngine; server: RunningServer }> {
  const engine = new FakeEngine();
  const server = await startServer(engine, 0, extra);
  cleanups.push(() => server.close());
  return { engine, server };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });

describe("ConvexHttpClient", () => {
  test("query, mutation and action", async () => {
    const { server } = await setup();
    const client = new ConvexHttpClient(server.url, { logger: false });
    expect(await client.query(api.counter.get, { name: "h" })).toBe(0);
    expect(await client.mutation(api.counter.increment, { name: "h", by: 2 })).toBe(2);
    expect(await client.query(api.counter.get, { name: "h" })).toBe(2);
    expect(await client.action(api.actions.double, { x: 4 })).toBe(8);
    expect(server.logs.some((l) => /^http:\d+ mutation counter:increment ok \d+ms$/.test(l))).toBe(true);
  });

  test("function errors keep their message, and ConvexError its data", async () => {
    const { server } = await setup();
    const client = new ConvexHttpClient(server.url, { logger: false });
    for (const call of [
      () => client.query(api.errors.convexErrorQuery, {}),
      () => client.mutation(api.errors.convexErrorMutation, {}),
      () => client.action(api.errors.convexErrorAction, {}),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConvexError);
      expect((error as ConvexError<Value>).data).toEqual({ code: "LIMIT", limit: 5n });
    }
    const plain = await client.mutation(api.errors.plainMutation, {}).catch((e: unknown) => e);
    expect(plain).not.toBeInstanceOf(ConvexError);
    expect((plain as Error).message).toBe("Uncaught Error: boom");

    const raw = await post(`${server.url}/api/mutation`, JSON.stringify({ path: "errors:convexErrorMutation", args: [{}], format: "convex_encoded_json" }));
    expect(raw.status).toBe(560);
    expect(await raw.json()).toEqual({
      status: "error",
      errorMessage: "Uncaught ConvexError: limit reached",
      errorData: { code: "LIMIT", limit: { $integer: "BQAAAAAAAAA=" } },
      logLines: [],
    });
  });

  test("internal functions need the admin key", async () => {
    const { server } = await setup();
    const anonymous = new ConvexHttpClient(server.url, { logger: false });
    await expect(anonymous.query(api.admin.secret, {})).rejects.toThrow("Could not find public function for 'admin:secret'");
    const admin = new ConvexHttpClient(server.url, { logger: false });
    asInternal(admin).setAdminAuth(ADMIN_KEY);
    expect(await admin.query(api.admin.secret, {})).toBe("the secret");
    const actingAs = new ConvexHttpClient(server.url, { logger: false });
    asInternal(actingAs).setAdminAuth(ADMIN_KEY, { subject: "dave", issuer: "https://auth.test" });
    expect(await actingAs.query(api.auth.whoami, {})).toBe("admin as https://auth.test|dave");
  });

  test("/api/function (npx convex run) runs any kind of function, for the admin only", async () => {
    const { server } = await setup();
    const admin = new ConvexHttpClient(server.url, { logger: false });
    asInternal(admin).setAdminAuth(ADMIN_KEY);
    expect(await asInternal(admin).function("counter:increment", undefined, { name: "f" })).toBe(1);
    expect(await asInternal(admin).function("counter:get", undefined, { name: "f" })).toBe(1);
    const anonymous = new ConvexHttpClient(server.url, { logger: false });
    await expect(asInternal(anonymous).function("counter:get", undefined, { name: "f" })).rejects.toThrow(/BadDeployKey/);
  });

  test("bearer tokens: identity reaches the function; bad tokens get 401 {code, message}", async () => {
    const { server } = await setup();
    const client = new ConvexHttpClient(server.url, { logger: false, auth: "good" });
    expect(await client.query(api.auth.whoami, {})).toBe("https://auth.test|alice");
    const bad = await post(`${server.url}/api/query`, JSON.stringify({ path: "auth:whoami", args: [{}] }), { Authorization: "Bearer bad" });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ code: "InvalidAuthHeader", message: "Could not verify token: the token is not valid" });
    const badKey = await post(`${server.url}/api/query`, JSON.stringify({ path: "auth:whoami", args: [{}] }), { Authorization: "Convex wrong" });
    expect(badKey.status).toBe(401);
    expect((await badKey.json()).code).toBe("BadAdminKey");
    const badClient = new ConvexHttpClient(server.url, { logger: false, auth: "bad" });
    await expect(badClient.query(api.auth.whoami, {})).rejects.toThrow(/InvalidAuthHeader/);
  });

  test("query_ts and consistentQuery", async () => {
    const { engine, server } = await setup();
    const response = await post(`${server.url}/api/query_ts`, "");
    const { ts } = (await response.json()) as { ts: string };
    expect(decodeTs(ts)).toBe(engine.latestTs());
    const client = new ConvexHttpClient(server.url, { logger: false });
    expect(await client.consistentQuery(api.counter.get, { name: "c" })).toBe(0);
  });
});

describe("bad requests", () => {
  test("malformed JSON is a 400 that says so", async () => {
    const { server } = await setup();
    const response = await post(`${server.url}/api/query`, "{oops");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe("BadJsonBody");
    expect(body.message).toMatch(/^Failed to parse the request body as JSON: /);
  });

  test("missing path, bad args and unknown formats are 400s", async () => {
    const { server } = await setup();
    for (const body of [{ args: [{}] }, { path: "counter:get", args: [1, 2] }, { path: "counter:get", args: "x" }, { path: "counter:get", args: [{}], format: "xml" }]) {
      const response = await post(`${server.url}/api/query`, JSON.stringify(body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe("BadRequest");
    }
  });

  test("an oversized body is a 413 and the server keeps serving", async () => {
    const { server } = await setup({ functionRoutes: { bodyLimitBytes: 1024 } });
    const response = await post(`${server.url}/api/mutation`, JSON.stringify({ path: "counter:increment", args: [{ name: "x".repeat(5000) }] }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("RequestTooLarge");
    const client = new ConvexHttpClient(server.url, { logger: false });
    expect(await client.query(api.counter.get, { name: "ok" })).toBe(0);
  });

  test("unknown paths are 404 JSON, wrong methods 405", async () => {
    const { server } = await setup();
    const missing = await fetch(`${server.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: "NotFound", message: "No route for GET /api/nothing-here" });
    const wrongMethod = await fetch(`${server.url}/api/query`);
    expect(wrongMethod.status).toBe(405);
  });

  test("a WebSocket upgrade on another path is refused with 404", async () => {
    const { server } = await setup();
    const { default: WebSocket } = await import("ws");
    const ws = new WebSocket(server.url.replace("http", "ws") + "/api/nope");
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode));
      ws.on("error", () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});

describe("routes, CORS and health", () => {
  test("CORS: preflight and response headers mirror the origin", async () => {
    const { server } = await setup();
    const preflight = await fetch(`${server.url}/api/mutation`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,convex-client" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type,convex-client");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const response = await post(`${server.url}/api/query`, JSON.stringify({ path: "counter:get", args: [{ name: "c" }] }), { Origin: "http://localhost:5173" });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });

  test("/version and /instance_name", async () => {
    const { server } = await setup({ functionRoutes: { version: "9.9.9", instanceName: "sems-test" } });
    expect(await (await fetch(`${server.url}/version`)).text()).toBe("9.9.9");
    expect(await (await fetch(`${server.url}/instance_name`)).text()).toBe("sems-test");
  });

  test("registered routes: exact and prefix, added later, errors contained", async () => {
    const { server } = await setup();
    server.api.addRoutes([
      { method: "GET", path: "/custom/*", handle: (req, res) => void res.end(`prefix ${req.url}`) },
      { method: "GET", path: "/custom/exact", handle: (_req, res) => void res.end("exact") },
      {
        method: "POST",
        path: "/explode",
        handle: () => {
          throw new Error("route bug");
        },
      },
    ]);
    expect(await (await fetch(`${server.url}/custom/exact`)).text()).toBe("exact");
    expect(await (await fetch(`${server.url}/custom/a/b`)).text()).toBe("prefix /custom/a/b");
    const exploded = await fetch(`${server.url}/explode`, { method: "POST" });
    expect(exploded.status).toBe(500);
    expect(await exploded.json()).toEqual({ code: "InternalServerError", message: "route bug" });
    expect(await (await fetch(`${server.url}/version`)).text()).toBeTruthy();
  });
});

// The push API's HTTP behaviour without the CLI: authentication, compressed
// bodies, the support endpoints, and pushes the backend no longer knows.

import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { DeploymentStore } from "../../src/deploy/deploymentStore.js";
import { pushRoutes } from "../../src/deploy/pushApi.js";
import { startRouteServer, type RouteServer } from "../helpers/routeServer.js";

const ADMIN_KEY = "the-admin-key";

describe("push API over HTTP", () => {
  let server: RouteServer;
  let db: Database.Database;
  let modulesDir: string;

  beforeAll(async () => {
    db = new Database(":memory:");
    modulesDir = mkdtempSync(path.join(tmpdir(), "sems-modules-"));
    server = await startRouteServer(
      pushRoutes({
        isAdminKey: (key) => key === ADMIN_KEY,
        store: new DeploymentStore(db),
        modulesDir,
        applyDeployment: () => {
          throw new Error("nothing is pushed in these tests");
        },
        logPollMs: 50,
      }),
    );
  });

  afterAll(async () => {
    await server.close();
    db.close();
    rmSync(modulesDir, { recursive: true, force: true });
  });

  const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${route}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : body instanceof Uint8Array ? new Blob([Uint8Array.from(body)]) : JSON.stringify(body),
    });

  test("a wrong admin key gets 401 with {code, message}", async () => {
    const response = await post("/api/get_config_hashes", { version: "1.48.0", adminKey: "nope" }, { Authorization: "Convex nope" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: "BadAdminKey",
      message: expect.stringContaining("admin key is not valid") as unknown as string,
    });
  });

  test("a missing admin key gets 401 MissingAdminKey", async () => {
    const response = await post("/api/get_config_hashes", { version: "1.48.0" });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe("MissingAdminKey");
  });

  test("a right header key with a wrong body key is refused", async () => {
    const response = await post("/api/get_config_hashes", { adminKey: "nope" }, { Authorization: `Convex ${ADMIN_KEY}` });
    expect(response.status).toBe(401);
  });

  test("get_config_hashes of a fresh deployment reports no modules", async () => {
    const response = await post("/api/get_config_hashes", { version: "1.48.0", adminKey: ADMIN_KEY }, { Authorization: `Convex ${ADMIN_KEY}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      config: { functions: "convex/", authInfo: [] },
      moduleHashes: [],
      nodeDependencies: [],
      udfServerVersion: null,
    });
  });

  test("Brotli and gzip bodies are decoded (the key in the body authenticates)", async () => {
    const body = JSON.stringify({ version: "1.48.0", adminKey: ADMIN_KEY });
    for (const [encoding, bytes] of [
      ["br", brotliCompressSync(body)],
      ["gzip", gzipSync(body)],
    ] as const) {
      const response = await post("/api/get_config_hashes", new Uint8Array(bytes), { "Content-Encoding": encoding });
      expect(response.status, encoding).toBe(200);
    }
    const refused = await post("/api/get_config_hashes", new Uint8Array(gzipSync(JSON.stringify({ adminKey: "nope" }))), {
      "Content-Encoding": "gzip",
    });
    expect(refused.status).toBe(401);
  });

  test("a body that is not JSON is a 400", async () => {
    const response = await post("/api/deploy2/start_push", "{not json", { Authorization: `Convex ${ADMIN_KEY}` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("BadJsonBody");
  });

  test("wait_for_schema and finish_push of a push the backend does not know report a race", async () => {
    const auth = { Authorization: `Convex ${ADMIN_KEY}` };
    const wait = await post("/api/deploy2/wait_for_schema", { adminKey: ADMIN_KEY, schemaChange: { schemaIds: { pushId: "gone" } }, dryRun: false }, auth);
    expect(await wait.json()).toEqual({ type: "raceDetected" });
    const finish = await post("/api/deploy2/finish_push", { adminKey: ADMIN_KEY, startPush: { schemaChange: { schemaIds: { pushId: "gone" } } }, dryRun: false }, auth);
    expect(finish.status).toBe(400);
    expect(((await finish.json()) as { code: string }).code).toBe("RaceDetected");
  });

  test("get_canonical_urls derives the site URL (port + 1) from the Host", async () => {
    const response = await fetch(`${server.url}/api/v1/get_canonical_urls`, { headers: { Authorization: `Convex ${ADMIN_KEY}` } });
    const port = Number(new URL(server.url).port);
    expect(await response.json()).toEqual({ convexCloudUrl: server.url, convexSiteUrl: `http://127.0.0.1:${port + 1}` });
    const refused = await fetch(`${server.url}/api/v1/get_canonical_urls`);
    expect(refused.status).toBe(401);
  });

  test("stream_function_logs holds the poll and answers no entries with the same cursor", async () => {
    const started = Date.now();
    const response = await fetch(`${server.url}/api/stream_function_logs?cursor=1234`, { headers: { Authorization: `Convex ${ADMIN_KEY}` } });
    expect(await response.json()).toEqual({ entries: [], newCursor: 1234 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  test("the CLI's version check is answered locally", async () => {
    const response = await fetch(`${server.url}/v1/version`);
    expect(await response.json()).toEqual({ message: null });
  });
});

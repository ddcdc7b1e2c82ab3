// The unmodified Convex CLI pushes the fixture app (schema, queries,
// mutations, an internal function, a "use node" action, http.ts, crons.ts,
// auth.config.ts and the @convex-dev/presence component) to `pushRoutes`
// behind a bare HTTP server. The CLI runs a handful of times, so the tests
// share one server and run in order.

import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import type { Deployment } from "../../src/deploy/deployment.js";
import { DeploymentStore } from "../../src/deploy/deploymentStore.js";
import { pushRoutes } from "../../src/deploy/pushApi.js";
import { componentModulesDir, loadComponentModules } from "../../src/runtime/moduleLoader.js";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";
import { startRouteServer, type RouteServer } from "../helpers/routeServer.js";

const ADMIN_KEY = "sems-test-admin-key|0123456789abcdef";

class SchemaValidationError extends Error {
  constructor(
    message: string,
    readonly tableName: string,
  ) {
    super(message);
    this.name = "SchemaValidationError";
  }
}

describe("the Convex CLI against pushRoutes", () => {
  let db: Database.Database;
  let store: DeploymentStore;
  let modulesDir: string;
  let server: RouteServer;
  let project: TempProject;
  const applied: Deployment[] = [];
  let refuseNextPush: Error | null = null;
  const scratch: string[] = [];

  beforeAll(async () => {
    db = new Database(":memory:");
    store = new DeploymentStore(db);
    modulesDir = mkdtempSync(path.join(tmpdir(), "sems-modules-"));
    scratch.push(modulesDir);
    server = await startRouteServer(
      pushRoutes({
        isAdminKey: (key) => key === ADMIN_KEY,
        store,
        modulesDir,
        applyDeployment: (deployment) => {
          if (refuseNextPush !== null) {
            const error = refuseNextPush;
            refuseNextPush = null;
            throw error;
          }
          applied.push(deployment);
        },
        logPollMs: 100,
      }),
      ["/api/deploy2/start_push"],
    );
    project = copyFixtureProject();
  });

  afterAll(async () => {
    await server?.close();
    project?.remove();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    db?.close();
  });

  test("`convex deploy` pushes the app and its components and generates a typechecked api", async () => {
    const { stdout, stderr } = await deployWithCli({ projectDir: project.dir, url: server.url, adminKey: ADMIN_KEY });
    const output = stdout + stderr;

    expect(output).toContain(`Deployed Convex functions to ${server.url}`);
    expect(output).toContain("Installed component presence.");
    expect(output).toContain("Installed component presence/batchWorker.");
    expect(output).toMatch(/Added table indexes:\s+\[\+\] messages\.by_author/);
    for (const endpoint of [
      "POST /api/get_config_hashes",
      "POST /api/deploy2/start_push",
      "POST /api/deploy2/wait_for_schema",
      "POST /api/deploy2/finish_push",
    ]) {
      expect(server.requests).toContain(endpoint);
    }
    expect(applied).toHaveLength(1);
    expect(store.load()?.hash).toBe(applied[0]!.hash);

    const api = readFileSync(path.join(project.dir, "convex", "_generated", "api.d.ts"), "utf8");
    expect(api).toContain('"folder/nested": typeof folder_nested');
    expect(api).toContain("messages: typeof messages");
    expect(api).toContain("nodeAction: typeof nodeAction");
    expect(api).toContain('presence: import("@convex-dev/presence/_generated/component.js").ComponentApi<"presence">');
    expect(readFileSync(path.join(project.dir, "convex", "_generated", "dataModel.d.ts"), "utf8")).toContain(
      "DataModelFromSchemaDefinition<typeof schema>",
    );
  });

  test("the deployment carries the component tree, schemas, analysis, crons, routes and auth config", () => {
    const deployment = applied[0]!;
    expect(deployment.components.map((component) => component.path)).toEqual(["", "presence", "presence/batchWorker"]);
    const [app, presence, batchWorker] = deployment.components;
    expect(presence!.parentPath).toBe("");
    expect(batchWorker!.parentPath).toBe("presence");
    expect(app!.childComponents.map((child) => child.path)).toEqual(["presence"]);
    expect(presence!.childComponents.map((child) => child.name)).toEqual(["batchWorker"]);

    const messages = app!.analysis["messages.js"]!.functions;
    expect(messages.map(({ name, udfType, visibility }) => ({ name, udfType, visibility }))).toEqual([
      { name: "bump", udfType: "Mutation", visibility: { kind: "internal" } },
      { name: "list", udfType: "Query", visibility: { kind: "public" } },
      { name: "send", udfType: "Mutation", visibility: { kind: "public" } },
    ]);
    const list = messages.find((fn) => fn.name === "list")!;
    expect(JSON.parse(list.args!)).toEqual({
      type: "object",
      value: { author: { fieldType: { type: "string" }, optional: true } },
    });
    expect(JSON.parse(list.returns!).type).toBe("array");
    expect(app!.analysis["nodeAction.js"]!.functions).toMatchObject([{ name: "digest", udfType: "Action" }]);
    expect(app!.modules.find((module) => module.path === "nodeAction.js")!.environment).toBe("node");
    expect(app!.analysis["_deps"]).toBeUndefined();

    expect(app!.httpRoutes).toEqual([
      { method: "GET", path: "/hello" },
      { method: "POST", path: "/files/*" },
    ]);
    expect(app!.crons).toEqual([
      { identifier: "tick counter", udfPath: "messages:bump", args: [{}], schedule: { type: "interval", minutes: 5 } },
    ]);
    expect(deployment.authConfig.providers).toMatchObject([{ type: "customJwt", issuer: "https://issuer.example.test" }]);

    expect(app!.schema!.tables.map((table) => table.tableName)).toEqual(["messages", "counters"]);
    expect(app!.schema!.tables[0]!.indexes).toEqual([{ indexDescriptor: "by_author", fields: ["author"] }]);
    expect(presence!.schema!.tables.map((table) => table.tableName)).toContain("sessions");

    const presenceExports = Object.fromEntries(presence!.exports.branch);
    expect(presenceExports.public).toMatchObject({ type: "branch" });
    const publicFns = Object.fromEntries((presenceExports.public as { branch: [string, unknown][] }).branch);
    expect(publicFns.heartbeat).toEqual({ type: "leaf", leaf: "_reference/function/public:heartbeat" });
  });

  test("the stored deployment survives a restart and its modules load and run", async () => {
    const reopened = new DeploymentStore(db).load();
    expect(reopened).toEqual(applied[0]);

    // A fresh modules folder, as after a restart on a new machine.
    const freshDir = mkdtempSync(path.join(tmpdir(), "sems-modules-"));
    scratch.push(freshDir);
    const [app, presence, batchWorker] = reopened!.components;
    const appModules = await loadComponentModules(componentModulesDir(freshDir, reopened!.hash, ""), app!.modules);
    expect([...appModules.keys()].sort()).toEqual(["auth.config", "crons", "folder/nested", "http", "messages", "nodeAction"]);

    const messages = appModules.get("messages")!;
    expect(messages.list).toHaveProperty("isQuery", true);
    expect(messages.list).toHaveProperty("isPublic", true);
    expect(messages.bump).toHaveProperty("isMutation", true);
    expect(messages.bump).toHaveProperty("isInternal", true);
    expect(appModules.get("http")!.default).toHaveProperty("isRouter", true);

    const nested = appModules.get("folder/nested")!.hello as { invokeQuery(args: string): Promise<string> };
    expect(JSON.parse(await nested.invokeQuery("[{}]"))).toBe("hello from a nested module");
    const digest = appModules.get("nodeAction")!.digest as { invokeAction(requestId: string, args: string): Promise<string> };
    expect(JSON.parse(await digest.invokeAction("request-1", JSON.stringify([{ text: "abc" }])))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );

    const presenceModules = await loadComponentModules(componentModulesDir(freshDir, reopened!.hash, "presence"), presence!.modules);
    expect(presenceModules.get("public")!.heartbeat).toHaveProperty("isMutation", true);
    expect(presenceModules.get("public")!.heartbeat).toHaveProperty("isPublic", true);
    const workerModules = await loadComponentModules(
      componentModulesDir(freshDir, reopened!.hash, "presence/batchWorker"),
      batchWorker!.modules,
    );
    expect(workerModules.size).toBeGreaterThan(0);
  });

  test("a second push (`convex dev --once`) replaces the deployment with the changed code", async () => {
    const messagesFile = path.join(project.dir, "convex", "messages.ts");
    writeFileSync(
      messagesFile,
      readFileSync(messagesFile, "utf8") +
        '\nexport const count = query({ args: {}, handler: async (ctx) => (await ctx.db.query("messages").collect()).length });\n',
    );
    const before = applied[0]!;
    const { stdout, stderr } = await deployWithCli({
      projectDir: project.dir,
      url: server.url,
      adminKey: ADMIN_KEY,
      args: ["dev", "--once", "--typecheck", "disable", "--tail-logs", "disable"],
    });
    expect(stdout + stderr).toMatch(/Convex functions ready!|Deployed Convex functions/);
    expect(applied).toHaveLength(2);
    const after = store.load()!;
    expect(after.hash).not.toBe(before.hash);
    expect(after.components[0]!.analysis["messages.js"]!.functions.map((fn) => fn.name)).toContain("count");
    // The CLI sent unchanged app modules by hash only; they come back from the previous push.
    const request = server.bodies.filter((body) => body.path === "/api/deploy2/start_push").at(-1)!.json as {
      appDefinition: { changedModules: { path: string }[]; unchangedModuleHashes: { path: string }[] };
    };
    const unchanged = request.appDefinition.unchangedModuleHashes.map((module) => module.path);
    expect(unchanged).toContain("auth.config.js");
    expect(request.appDefinition.changedModules.map((module) => module.path)).toContain("messages.js");
    for (const modulePath of unchanged) {
      expect(after.components[0]!.modules.find((module) => module.path === modulePath)).toEqual(
        before.components[0]!.modules.find((module) => module.path === modulePath),
      );
    }
    expect(after.components[0]!.modules.map((module) => module.path).sort()).toEqual(
      [...unchanged, ...request.appDefinition.changedModules.map((module) => module.path)].sort(),
    );
  });

  test("a push refused by schema validation is reported by the CLI, which exits 1", async () => {
    refuseNextPush = new SchemaValidationError(
      'Document with ID "k57abc" in table "messages" does not match the schema: Object is missing the required field `author`.',
      "messages",
    );
    const messagesFile = path.join(project.dir, "convex", "messages.ts");
    writeFileSync(messagesFile, readFileSync(messagesFile, "utf8") + "\nexport const other = query({ args: {}, handler: async () => 1 });\n");
    const previous = store.load()!.hash;
    const result = await deployWithCli({
      projectDir: project.dir,
      url: server.url,
      adminKey: ADMIN_KEY,
      args: ["deploy", "--yes", "--typecheck", "disable"],
      allowFailure: true,
    });
    const output = result.stdout + result.stderr;
    expect(result.exitCode).toBe(1);
    expect(output).toContain("Schema validation failed.");
    expect(output).toContain('Document with ID "k57abc" in table "messages" does not match the schema');
    expect(store.load()!.hash).toBe(previous);
    expect(applied).toHaveLength(2);
  });

  test("`convex codegen` writes _generated from the push analysis without deploying", async () => {
    const fresh = copyFixtureProject();
    try {
      await deployWithCli({ projectDir: fresh.dir, url: server.url, adminKey: ADMIN_KEY, args: ["codegen", "--typecheck", "disable"] });
      const api = readFileSync(path.join(fresh.dir, "convex", "_generated", "api.d.ts"), "utf8");
      expect(api).toContain('presence: import("@convex-dev/presence/_generated/component.js").ComponentApi<"presence">');
      expect(applied).toHaveLength(2);
    } finally {
      fresh.remove();
    }
  });

  test("a wrong admin key is refused with a clear message", async () => {
    const requestsBefore = server.requests.length;
    const result = await deployWithCli({
      projectDir: project.dir,
      url: server.url,
      adminKey: "not-the-key",
      args: ["deploy", "--yes", "--typecheck", "disable"],
      allowFailure: true,
    });
    const output = result.stdout + result.stderr;
    expect(result.exitCode).toBe(1);
    expect(output).toContain("401 Unauthorized: BadAdminKey: The provided admin key is not valid for this deployment.");
    expect(server.requests.slice(requestsBefore)).not.toContain("POST /api/deploy2/start_push");
    expect(applied).toHaveLength(2);
  });
});

import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";

import type { ComponentDeployment, Deployment } from "../../src/deploy/deployment.js";
import { DeploymentStore } from "../../src/deploy/deploymentStore.js";

function component(path: string, modules: ComponentDeployment["modules"]): ComponentDeployment {
  return {
    path,
    definitionPath: path === "" ? "" : `../node_modules/${path}`,
    name: path,
    parentPath: path === "" ? null : "",
    args: null,
    definition: null,
    definitionMetadata: { definitionType: { type: "app" }, childComponents: [], httpMounts: {}, exports: { type: "branch", branch: [] } },
    modules,
    schemaModule: null,
    schema: null,
    childComponents: [],
    httpMounts: {},
    exports: { type: "branch", branch: [] },
    analysis: {},
    httpRoutes: null,
    crons: [],
  };
}

function deployment(hash: string, source: string): Deployment {
  return {
    hash,
    createdAtMs: 1_700_000_000_000,
    components: [
      component("", [
        { path: "messages.js", source, sourceMap: '{"version":3}', environment: "isolate" },
        { path: "act.js", source: "export {}", environment: "node" },
      ]),
      component("child", [{ path: "lib.js", source: "export const x = 1;", environment: "isolate" }]),
    ],
    authConfig: { providers: [{ domain: "https://auth.example.test", applicationID: "app" }] },
    functionsDir: "convex/",
    udfServerVersion: "1.48.0",
    nodeVersion: null,
    nodeDependencies: [],
  };
}

describe("DeploymentStore", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("is empty before the first save", () => {
    const store = new DeploymentStore(new Database(":memory:"));
    expect(store.load()).toBeNull();
    expect(store.currentHash()).toBeNull();
    expect(store.moduleHashes()).toEqual([]);
  });

  test("a saved deployment is what a new store on the same database file loads", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sems-store-"));
    dirs.push(dir);
    const file = path.join(dir, "backend.sqlite");
    const first = new Database(file);
    const saved = deployment("a".repeat(64), "export const a = 1;");
    new DeploymentStore(first).save(saved);
    first.close();

    const reopened = new DeploymentStore(new Database(file));
    expect(reopened.load()).toEqual(saved);
    expect(reopened.currentHash()).toBe(saved.hash);
  });

  test("moduleHashes lists the app's modules hashed like the CLI (sha256 of source then source map)", () => {
    const store = new DeploymentStore(new Database(":memory:"));
    store.save(deployment("b".repeat(64), "export const b = 2;"));
    const expected = createHash("sha256").update("export const b = 2;").update('{"version":3}').digest("hex");
    expect(store.moduleHashes()).toEqual([
      { path: "messages.js", hash: expected, environment: "isolate" },
      { path: "act.js", hash: createHash("sha256").update("export {}").digest("hex"), environment: "node" },
    ]);
  });

  test("a later save replaces the current deployment and heads the history", () => {
    const store = new DeploymentStore(new Database(":memory:"));
    store.save(deployment("1".repeat(64), "export const v = 1;"));
    store.save(deployment("2".repeat(64), "export const v = 2;"));
    store.save(deployment("3".repeat(64), "export const v = 3;"));
    expect(store.currentHash()).toBe("3".repeat(64));
    expect(store.load()!.components[0]!.modules[0]!.source).toBe("export const v = 3;");
    expect(store.recentHashes(2)).toEqual(["3".repeat(64), "2".repeat(64)]);
  });
});

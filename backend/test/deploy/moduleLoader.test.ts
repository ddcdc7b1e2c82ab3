import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";

import {
  componentDepsImports,
  componentModulesDir,
  loadComponentDefinition,
  loadComponentModules,
  pruneDeploymentDirs,
} from "../../src/runtime/moduleLoader.js";

describe("moduleLoader", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sems-loader-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("component folders never collide with each other or with module folders", () => {
    const root = "/m";
    expect(componentModulesDir(root, "h", "")).toBe(path.join("/m", "h", "app"));
    expect(componentModulesDir(root, "h", "presence")).toBe(path.join("/m", "h", "component.presence"));
    expect(componentModulesDir(root, "h", "presence/batchWorker")).toBe(path.join("/m", "h", "component.presence.batchWorker"));
  });

  test("entry modules load with their relative chunk imports, keyed without .js", async () => {
    const dir = tempDir();
    const modules = await loadComponentModules(dir, [
      { path: "folder/sub.js", source: 'import { base } from "../_deps/CHUNK.js";\nexport const value = base * 2;', environment: "isolate" },
      { path: "_deps/CHUNK.js", source: "export const base = 21;", environment: "isolate" },
      { path: "top.js", source: 'import { value } from "./folder/sub.js";\nexport default value + 1;', environment: "isolate" },
    ]);
    expect([...modules.keys()]).toEqual(["folder/sub", "top"]);
    expect(modules.get("folder/sub")!.value).toBe(42);
    expect(modules.get("top")!.default).toBe(43);
  });

  test('"use node" modules get a working require for bundled CommonJS code', async () => {
    const dir = tempDir();
    const modules = await loadComponentModules(dir, [
      {
        path: "nodeOnly.js",
        source: 'var __require = typeof require !== "undefined" ? require : () => { throw new Error("no require"); };\nexport const sep = __require("node:path").sep;',
        environment: "node",
      },
    ]);
    expect(modules.get("nodeOnly")!.sep).toBe(path.sep);
  });

  test("module paths cannot escape the component folder", async () => {
    const dir = tempDir();
    await expect(loadComponentModules(dir, [{ path: "../evil.js", source: "export {}", environment: "isolate" }])).rejects.toThrow(
      'Invalid module path "../evil.js"',
    );
  });

  test("a definition's _componentDeps imports receive {componentDefinitionPath, defaultName}", async () => {
    const dir = tempDir();
    const childPath = "../node_modules/@acme/thing/dist/component";
    const id = Buffer.from(childPath).toString("base64url");
    const source = `import child from "./_componentDeps/${id}";\nexport default { child };`;
    expect(componentDepsImports(source)).toEqual([id]);
    const definition = (await loadComponentDefinition(dir, { path: "convex.config.js", source, environment: "isolate" }, [
      { definitionPath: childPath, defaultName: "thing" },
    ])) as { child: unknown };
    expect(definition.child).toEqual({ componentDefinitionPath: childPath, defaultName: "thing" });
  });

  test("pruning keeps only the named deployment folders", () => {
    const dir = tempDir();
    for (const name of ["a".repeat(64), "b".repeat(64), "c".repeat(64), "not-a-deployment"]) mkdirSync(path.join(dir, name));
    pruneDeploymentDirs(dir, ["b".repeat(64)]);
    expect(existsSync(path.join(dir, "a".repeat(64)))).toBe(false);
    expect(existsSync(path.join(dir, "b".repeat(64)))).toBe(true);
    expect(existsSync(path.join(dir, "c".repeat(64)))).toBe(false);
    expect(existsSync(path.join(dir, "not-a-deployment"))).toBe(true);
  });
});

// `npx convex env set/get/list/remove` through the real CLI against the real
// backend; the values reach the app's functions as `process.env`, never a
// child component's, and never the backend's own environment.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackendProcess, tempDataDir, type BackendProcess } from "../helpers/backendProcess.js";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";

const appDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "scheduler", "app");
const readEnv = makeFunctionReference<"query">("jobs:readEnv");
const componentEnv = makeFunctionReference<"query">("envCheck:componentEnv");

let project: TempProject;
let backend: BackendProcess;
let dataDir: string;

const cli = (...args: string[]) => deployWithCli({ projectDir: project.dir, url: backend.url, adminKey: backend.adminKey, args });

beforeAll(async () => {
  project = copyFixtureProject(appDir);
  dataDir = tempDataDir("sems-env-");
  // A variable of the backend's own process: functions must not see it.
  backend = await startBackendProcess({ dataDir, env: { SEMS_PRIVATE_PROBE: "backend-only" } });
  await cli("deploy", "--yes", "--typecheck", "disable");
}, 180_000);

afterAll(async () => {
  await backend?.stop();
  project?.remove();
});

describe("environment variables", () => {
  it("set, get, list and remove through the CLI, visible to the app's queries", async () => {
    const client = new ConvexHttpClient(backend.url);
    expect(await client.query(readEnv, { name: "SECRET_WORD" })).toBeNull();

    await cli("env", "set", "SECRET_WORD", "swordfish");
    await cli("env", "set", "OTHER_VAR", "two words");
    expect((await cli("env", "get", "SECRET_WORD")).stdout.trim()).toBe("swordfish");
    const listed = (await cli("env", "list", "--include-values")).stdout;
    expect(listed).toContain("SECRET_WORD=swordfish");
    expect(listed).toContain("OTHER_VAR=");
    expect(await client.query(readEnv, { name: "SECRET_WORD" })).toBe("swordfish");
    expect(await client.query(readEnv, { name: "OTHER_VAR" })).toBe("two words");

    await cli("env", "remove", "OTHER_VAR");
    expect(await client.query(readEnv, { name: "OTHER_VAR" })).toBeNull();
    expect((await cli("env", "list", "--include-values")).stdout).not.toContain("OTHER_VAR");
    const missing = await cli("env", "get", "OTHER_VAR");
    expect(`${missing.stdout}${missing.stderr}`).toContain('Environment variable "OTHER_VAR" not found');
  }, 120_000);

  it("gives a module's top level the deployment's variables while it loads, as Convex does", async () => {
    await cli("env", "set", "LOAD_TIME_PROBE", "read-at-load");
    // A new module, pushed after the variable is set: its top level runs at this push.
    fs.writeFileSync(
      path.join(project.dir, "convex", "loadTime.ts"),
      [
        'import { query } from "./_generated/server";',
        "const atLoad = process.env.LOAD_TIME_PROBE ?? null;",
        "export const probe = query({ args: {}, handler: async () => atLoad });",
        "",
      ].join("\n"),
    );
    await cli("deploy", "--yes", "--typecheck", "disable", "--codegen", "disable");
    const client = new ConvexHttpClient(backend.url);
    expect(await client.query(makeFunctionReference<"query">("loadTime:probe"), {})).toBe("read-at-load");
  }, 120_000);

  it("refuses an invalid name", async () => {
    const result = await deployWithCli({
      projectDir: project.dir,
      url: backend.url,
      adminKey: backend.adminKey,
      args: ["env", "set", "1BAD", "x"],
      allowFailure: true,
    });
    expect(result.exitCode).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/invalid/i);
  }, 60_000);

  it("sets CONVEX_CLOUD_URL and CONVEX_SITE_URL, and hides the backend's own environment", async () => {
    const client = new ConvexHttpClient(backend.url);
    expect(await client.query(readEnv, { name: "CONVEX_CLOUD_URL" })).toBe(backend.url);
    expect(await client.query(readEnv, { name: "CONVEX_SITE_URL" })).toBe(backend.siteUrl);
    expect(await client.query(readEnv, { name: "SEMS_PRIVATE_PROBE" })).toBeNull();
    expect(await client.query(readEnv, { name: "PATH" })).toBeNull();
  });

  it("a component cannot read the app's variables", async () => {
    const client = new ConvexHttpClient(backend.url);
    await cli("env", "set", "APP_ONLY", "for-the-app");
    expect(await client.query(readEnv, { name: "APP_ONLY" })).toBe("for-the-app");
    expect(await client.query(componentEnv, { name: "APP_ONLY" })).toBeNull();
    expect(await client.query(componentEnv, { name: "SECRET_WORD" })).toBeNull();
    expect(await client.query(componentEnv, { name: "CONVEX_CLOUD_URL" })).toBe(backend.url);
  }, 60_000);

  it("keeps the variables across a restart", async () => {
    await backend.stop();
    backend = await startBackendProcess({ dataDir, adminKey: backend.adminKey });
    const client = new ConvexHttpClient(backend.url);
    expect(await client.query(readEnv, { name: "SECRET_WORD" })).toBe("swordfish");
  }, 60_000);
});

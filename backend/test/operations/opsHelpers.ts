// Shared by the operations tests: a backend with the operations app pushed,
// the CLI run against it (with a timeout, or streaming until a line shows),
// and reading whole tables back through `_system/cli/tableData`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { convexCliPath, deployWithCli, type CliResult } from "../helpers/deployWithCli.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";

export const OPERATIONS_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "app");

export function copyOperationsApp(): TempProject {
  return copyFixtureProject(OPERATIONS_APP_DIR);
}

export async function cli(backend: BackendProcess, project: TempProject, args: string[], allowFailure = false): Promise<CliResult> {
  return deployWithCli({ projectDir: project.dir, url: backend.url, adminKey: backend.adminKey, args, allowFailure, timeoutMs: 120_000 });
}

export async function deployOperationsApp(backend: BackendProcess, project: TempProject): Promise<void> {
  await cli(backend, project, ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"]);
}

export async function startOperationsBackend(project: TempProject): Promise<BackendProcess> {
  const backend = await startBackendProcess();
  await deployOperationsApp(backend, project);
  return backend;
}

/**
 * Starts a long-running CLI command (`logs`), resolves with its output once
 * `ready` shows, and lets the caller wait for more before killing it.
 */
export function streamCli(backend: BackendProcess, project: TempProject, args: string[]) {
  const child = spawn(process.execPath, [convexCliPath(), ...args], {
    cwd: project.dir,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CONVEX_") && !k.startsWith("VITEST"))),
      CONVEX_SELF_HOSTED_URL: backend.url,
      CONVEX_SELF_HOSTED_ADMIN_KEY: backend.adminKey,
      CONVEX_VERSION_API_ORIGIN: backend.url,
      CONVEX_PROVISION_HOST: backend.url,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const waitFor = (predicate: (text: string) => boolean, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (predicate(output)) {
          clearInterval(check);
          resolve(output);
        } else if (Date.now() - started > timeoutMs || child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`convex ${args.join(" ")}: expected output did not appear (exit ${child.exitCode}):\n${output}`));
        }
      }, 50);
    });
  return {
    waitFor,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

async function post(backend: BackendProcess, route: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${backend.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** A function call with the admin key; returns the Convex-encoded value (throws on failure). */
export async function callFunction(backend: BackendProcess, udfPath: string, args: unknown, componentPath = ""): Promise<any> {
  const { status, json } = await post(backend, "/api/function", { path: udfPath, args, componentPath });
  if (status !== 200) throw new Error(`${udfPath} failed (${status}): ${JSON.stringify(json)}`);
  return json.value;
}

/** Every document of a table, in creation order, as Convex-encoded JSON. */
export async function dumpTable(backend: BackendProcess, table: string, componentPath = ""): Promise<any[]> {
  const docs: any[] = [];
  let cursor: string | null = null;
  for (;;) {
    const { status, json } = await post(backend, "/api/query", {
      path: "_system/cli/tableData",
      componentPath,
      args: { table, order: "asc", paginationOpts: { cursor, numItems: 1000 } },
    });
    if (status !== 200) throw new Error(`tableData ${table} failed (${status}): ${JSON.stringify(json)}`);
    docs.push(...json.value.page);
    if (json.value.isDone) return docs;
    cursor = json.value.continueCursor;
  }
}

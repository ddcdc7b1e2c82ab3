// A real backend process with the betterAuthApp fixture (Better Auth,
// prosemirror-sync, presence, two `widget` instances, HTTP routes) pushed by
// the real Convex CLI. What the app reads (SITE_URL, BETTER_AUTH_SECRET, test
// providers) is set as deployment environment variables before the push, as
// `npx convex env set` does (same endpoint), so module top levels see them.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { freePort, startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";

export const BETTER_AUTH_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "betterAuthApp");

export interface AppBackend {
  backend: BackendProcess;
  project: TempProject;
  http(): ConvexHttpClient;
  client(): ConvexClient;
  close(): Promise<void>;
}

export async function startAppBackend(env: Record<string, string> = {}): Promise<AppBackend> {
  const sitePort = await freePort();
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  const backend = await startBackendProcess({ sitePort });
  const project = copyFixtureProject(BETTER_AUTH_APP_DIR);
  const clients: { close(): unknown }[] = [];
  try {
    await setDeploymentEnv(backend, { SITE_URL: siteUrl, BETTER_AUTH_SECRET: "sems-test-secret-0123456789abcdef0123456789", ...env });
    // Codegen on (the temp copy has no _generated), typecheck off: fast and independent of tsc.
    await deployWithCli({ projectDir: project.dir, url: backend.url, adminKey: backend.adminKey, args: ["deploy", "--yes", "--typecheck", "disable"] });
  } catch (error) {
    await backend.stop();
    project.remove();
    throw error;
  }
  return {
    backend,
    project,
    http: () => new ConvexHttpClient(backend.url, { logger: false }),
    client: () => {
      const client = new ConvexClient(backend.url, { logger: false });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await backend.stop();
      project.remove();
    },
  };
}

/** What `npx convex env set` sends: POST /api/update_environment_variables with the admin key. */
export async function setDeploymentEnv(backend: BackendProcess, variables: Record<string, string>): Promise<void> {
  const response = await fetch(`${backend.url}/api/update_environment_variables`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
    body: JSON.stringify({ changes: Object.entries(variables).map(([name, value]) => ({ name, value })) }),
  });
  if (!response.ok) throw new Error(`setting environment variables failed: ${response.status} ${await response.text()}`);
}

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

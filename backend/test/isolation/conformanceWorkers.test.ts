// The conformance suite through a real backend process with isolation workers
// on explicitly (whatever the default is), over loopback with the unmodified
// ConvexHttpClient, after deploying the conformance fixture with the real CLI.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll } from "vitest";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import type { Driver } from "../conformance/driver.js";
import { conformanceSuite } from "../conformance/suite.js";

const fixtureDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "conformance");

let backend: BackendProcess;
let driver: Driver;
beforeAll(async () => {
  backend = await startBackendProcess({ env: { SEMS_ISOLATION: "workers" } });
  await deployWithCli({
    projectDir: fixtureDir,
    url: backend.url,
    adminKey: backend.adminKey,
    args: ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"],
  });
  const client = new ConvexHttpClient(backend.url);
  driver = {
    query: (name, args = {}) => client.query(makeFunctionReference<"query">(name), args),
    mutation: (name, args = {}) => client.mutation(makeFunctionReference<"mutation">(name), args),
    action: (name, args = {}) => client.action(makeFunctionReference<"action">(name), args),
    enforcesVisibility: true,
    enforcesLimits: true,
    convexErrorTexts: true,
    freezesTime: true,
    ranksSearchResults: true,
  };
}, 120_000);
afterAll(async () => {
  await backend?.stop();
});

conformanceSuite(() => driver);

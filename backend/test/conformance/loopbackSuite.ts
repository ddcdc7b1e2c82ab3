// The conformance suite through a real backend process and the unmodified
// ConvexHttpClient over loopback, after deploying the fixture with the real CLI.
// `env` configures the backend process (e.g. its isolation mode).
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll } from "vitest";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { deployFixture } from "../helpers/fixtureBackend.js";
import type { Driver } from "./driver.js";
import { conformanceSuite } from "./suite.js";

export function loopbackConformanceSuite(env: Record<string, string> = {}): void {
  let backend: BackendProcess;
  let driver: Driver;
  beforeAll(async () => {
    backend = await startBackendProcess({ env });
    await deployFixture(backend);
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
}

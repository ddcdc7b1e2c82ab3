// The conformance suite on the engine itself, in process (no CLI, no network).
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { installFileStorage } from "../../src/fileStorage/installFileStorage.js";
import { installVectorSearch } from "../../src/search/vectorSearch.js";
import schema from "./convex/schema.js";
import type { Driver } from "./driver.js";
import { conformanceSuite } from "./suite.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";

const modules = import.meta.glob<Record<string, unknown>>("./convex/*.ts", { eager: true });

let app: InProcessApp;
let driver: Driver;
beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  // Layers the backend process adds (application.ts): ctx.storage and ctx.vectorSearch.
  installFileStorage(app.engine, { blobsDir: path.join(app.dir, "blobs"), cloudUrl: () => "http://127.0.0.1:0", tokenSecret: "test" });
  installVectorSearch(app.engine);
  driver = {
    query: (name, args) => app.call("query", name, args) as Promise<any>,
    mutation: (name, args) => app.call("mutation", name, args) as Promise<any>,
    action: (name, args) => app.call("action", name, args) as Promise<any>,
    enforcesVisibility: true,
    enforcesLimits: true,
    convexErrorTexts: true,
    freezesTime: true,
    ranksSearchResults: true,
  };
});
afterAll(() => app?.close());

conformanceSuite(() => driver);

// The parity assertions on the real backend process (site port and HTTP API).
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll } from "vitest";
import { startAppBackend, type AppBackend } from "./appBackend.js";
import { httpParitySuite, type HttpDriver } from "./httpParity.js";

let app: AppBackend;
let driver: HttpDriver;
beforeAll(async () => {
  app = await startAppBackend();
  const client = app.http();
  driver = {
    fetch: (path, init) => fetch(`${app.backend.siteUrl}${path}`, init),
    query: (name, args = {}) => client.query(makeFunctionReference<"query">(name), args),
    mutation: (name, args = {}) => client.mutation(makeFunctionReference<"mutation">(name), args),
  };
}, 120_000);
afterAll(() => app?.close());

httpParitySuite(() => driver);

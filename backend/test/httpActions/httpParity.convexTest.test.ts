// The parity assertions on convex-test: the fixture's app modules, with the
// `widget` component registered twice as the app mounts it.
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { beforeAll } from "vitest";
import schema from "../betterAuthApp/convex/schema.js";
import widgetSchema from "../betterAuthApp/convex/widget/schema.js";
import { httpParitySuite, type HttpDriver } from "./httpParity.js";

const modules = import.meta.glob(["../betterAuthApp/convex/**/*.*s", "!../betterAuthApp/convex/widget/**"]);
const widgetModules = import.meta.glob("../betterAuthApp/convex/widget/**/*.*s");

let driver: HttpDriver;
beforeAll(() => {
  const t = convexTest(schema, modules);
  t.registerComponent("widgetA", widgetSchema, widgetModules);
  t.registerComponent("widgetB", widgetSchema, widgetModules);
  driver = {
    fetch: (path, init) => t.fetch(path, init),
    query: (name, args = {}) => t.query(makeFunctionReference<"query">(name), args),
    mutation: (name, args = {}) => t.mutation(makeFunctionReference<"mutation">(name), args),
  };
});

httpParitySuite(() => driver);

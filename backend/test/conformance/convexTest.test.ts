// The reference run: the conformance suite on the official convex-test package.
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { beforeAll } from "vitest";
import schema from "./convex/schema.js";
import type { Driver } from "./driver.js";
import { conformanceSuite } from "./suite.js";

const modules = import.meta.glob("./convex/**/*.*s");

let driver: Driver;
beforeAll(() => {
  const t = convexTest(schema, modules);
  driver = {
    query: (name, args = {}) => t.query(makeFunctionReference<"query">(name), args),
    mutation: (name, args = {}) => t.mutation(makeFunctionReference<"mutation">(name), args),
    action: (name, args = {}) => t.action(makeFunctionReference<"action">(name), args),
    // convex-test lets tests call internal functions and does not enforce Convex's value limits.
    enforcesVisibility: false,
    enforcesLimits: false,
    convexErrorTexts: false,
    freezesTime: false,
    ranksSearchResults: false,
  };
});

conformanceSuite(() => driver);

// Functions that run at the same time must keep their own request state across an `await`.
// Convex runs one execution at a time per isolate, and libraries rely on it: Better Auth's
// stand-in for AsyncLocalStorage (@better-auth/core async_hooks/pure) keeps "the current
// request" in a module field unless `globalThis.AsyncLocalStorage` exists. Executions here
// share one realm, so the backend offers Node's AsyncLocalStorage, which the stand-in prefers;
// without it, overlapping sign-in requests overwrote each other's state (spurious 401s).
import { actionGeneric, makeFunctionReference, queryGeneric } from "convex/server";
import { v } from "convex/values";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";

/** The library's own fallback, as in @better-auth/core: a field set before an await. */
class ModuleFieldStore<T> {
  #current: T | undefined;
  run<R>(store: T, fn: () => Promise<R>): Promise<R> {
    const previous = this.#current;
    this.#current = store;
    return fn().finally(() => (this.#current = previous));
  }
  getStore(): T | undefined {
    return this.#current;
  }
}

/** What the library does at load: prefer the platform's AsyncLocalStorage. */
function requestStore(): { run<R>(store: string, fn: () => Promise<R>): Promise<R>; getStore(): string | undefined } {
  const Platform = (globalThis as { AsyncLocalStorage?: new () => never }).AsyncLocalStorage;
  return Platform ? new Platform() : new ModuleFieldStore<string>();
}

let store: ReturnType<typeof requestStore>;
const pause = queryGeneric({ args: {}, handler: async () => null });
const ownStateAcrossAwait = actionGeneric({
  args: { tag: v.string() },
  handler: async (ctx, { tag }) =>
    store.run(tag, async () => {
      await ctx.runQuery(makeFunctionReference<"query">("state:pause"), {});
      return store.getStore() ?? null;
    }),
});

let app: InProcessApp;

beforeAll(async () => {
  app = await startInProcessApp({ "./convex/state.ts": { pause, ownStateAcrossAwait } }, undefined);
  // After the engine is up, as the deployed bundle's top level would run.
  store = requestStore();
});

afterAll(() => app?.close());

describe("concurrent executions and request state", () => {
  it("the platform offers AsyncLocalStorage, as libraries written for Convex look for it", () => {
    expect(typeof (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage).toBe("function");
  });

  it("actions started while another waits do not change what the first one reads", async () => {
    const tags = ["a", "b", "c", "d"];
    const seen = await Promise.all(tags.map((tag) => app.call("action", "state:ownStateAcrossAwait", { tag })));
    expect(seen).toEqual(tags);
  });
});

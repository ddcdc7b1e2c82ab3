/* eslint-disable */
/**
 * Generated `ComponentApi` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type { FunctionReference } from "convex/server";

/**
 * A utility for referencing a Convex component's exposed API.
 *
 * Useful when expecting a parameter like `components.myComponent`.
 * Usage:
 * ```ts
 * async function myFunction(ctx: QueryCtx, component: ComponentApi) {
 *   return ctx.runQuery(component.someFile.someQuery, { ...args });
 * }
 * ```
 */
export type ComponentApi<Name extends string | undefined = string | undefined> =
  {
    items: {
      add: FunctionReference<
        "mutation",
        "internal",
        { label: string },
        any,
        Name
      >;
      list: FunctionReference<"query", "internal", {}, any, Name>;
      paginateLabels: FunctionReference<
        "query",
        "internal",
        { cursor: string | null },
        any,
        Name
      >;
      tryGet: FunctionReference<"query", "internal", { id: string }, any, Name>;
      whoAmI: FunctionReference<"query", "internal", {}, any, Name>;
    };
  };

// Issue 5 §4: every public function × every role, allowed or refused (D6, D7, D15), on convex-test.
// The table (accessMatrixRows.testing.ts) is shared with tests/integration/accessMatrix.test.ts,
// which runs the same assertions on the embedded backend over HTTP.
import { beforeAll, describe, expect, test } from "vitest";
import { ROWS, runRow, type MatrixClient } from "./accessMatrixRows.testing";
import { as, buildWorld, type World } from "./world.testing";

describe("access matrix: every public function × every role", () => {
  let shared: World;
  beforeAll(async () => {
    shared = await buildWorld();
  });

  test.each(ROWS.map((row) => [row.fn, row] as const))("%s", async (_name, row) => {
    // convex-test's client takes function references or inline functions; the table only passes
    // references, so it is a MatrixClient (its overloads are too wide for TypeScript to see that).
    const clientFor = (world: World, role: Parameters<typeof as>[1]) => as(world, role) as unknown as MatrixClient;
    const { actual, expected } = await runRow(row, shared, buildWorld, clientFor);
    expect(actual).toEqual(expected);
  });

  test("the table names every public function", async () => {
    const modules = await import("./modules.testing");
    const publicNames: string[] = [];
    for (const [path, load] of Object.entries(modules.modules)) {
      if (path.includes("/_generated/") || path.includes("/model/") || path.includes("/lib/")) continue;
      const moduleName = path.replace(/^\.\.\//, "").replace(/\.ts$/, "");
      const exports = (await load()) as Record<string, { isPublic?: boolean; isQuery?: boolean; isMutation?: boolean }>;
      for (const [name, fn] of Object.entries(exports)) {
        if (fn && fn.isPublic && (fn.isQuery || fn.isMutation)) publicNames.push(`${moduleName}.${name}`);
      }
    }
    expect(publicNames.length).toBeGreaterThan(60);
    const covered = new Set(ROWS.map((r) => r.fn.split(" ")[0]));
    expect(publicNames.filter((n) => !covered.has(n))).toEqual([]);
  });
});

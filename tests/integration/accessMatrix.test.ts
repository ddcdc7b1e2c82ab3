// The access matrix of convex/test/accessMatrix.test.ts — the same table (accessMatrixRows.testing.ts)
// and the same assertions — on the embedded backend: every public function × every role through
// ConvexHttpClient (HTTP actions through fetch on the site URL), each role an identity the admin
// key acts as. Queries share one world; mutation rows get fresh worlds as runRow says.
import { beforeAll, describe, expect, inject, test } from "vitest";
import type { AccessWorld } from "../../convex/fixtures/accessWorld";
import { ROWS, runRow } from "../../convex/test/accessMatrixRows.testing";
import { clientAs } from "./semsBackend";
import { createWorld } from "./worlds";

const backend = inject("semsBackend");

describe("access matrix on the embedded backend: every public function × every role", () => {
  let shared: AccessWorld;
  beforeAll(async () => {
    shared = await createWorld(backend);
  });

  // Rows are independent (each mutation row works on worlds of its own), so they run side by side.
  test.concurrent.each(ROWS.map((row) => [row.fn, row] as const))("%s", async (_name, row) => {
    const { actual, expected } = await runRow(row, shared, () => createWorld(backend), (world, role) => clientAs(backend, world, role));
    expect(actual).toEqual(expected);
  });
});

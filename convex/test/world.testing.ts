// Shared convex-test world: the access-matrix world of convex/fixtures/accessWorld.ts (also loaded
// into the embedded backend by tests/integration), in a fresh convex-test database per call.
import { convexTest } from "convex-test";
import schema from "../schema";
import { insertAccessWorld, WORLD_FILE, type AccessWorld, type Role, type WorldFiles } from "../fixtures/accessWorld";
import { ENCRYPTION_KEYS_ENV } from "../model/crypto";
import { todayIso } from "../model/dates";
import { modules } from "./modules.testing";

// A fixed 32-byte test key (D14); real deployments set their own in the environment.
// eslint-disable-next-line @convex-dev/no-process-env -- test setup, not deployed code
process.env[ENCRYPTION_KEYS_ENV] ??= `test:${btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)))}`;

export { DOB, emailOf, MEDICAL, ROLES, type Role } from "../fixtures/accessWorld";

export function newTest() {
  return convexTest(schema, modules);
}
export type TestConvex = ReturnType<typeof newTest>;

/** The access-matrix world (convex/fixtures/accessWorld.ts) in its own convex-test database. */
export interface World extends AccessWorld {
  t: TestConvex;
}

export async function buildWorld(): Promise<World> {
  const t = newTest();
  const world = await t.run(async (ctx) => {
    const store = async () => await ctx.storage.store(new Blob([WORLD_FILE.text], { type: WORLD_FILE.mimeType }));
    const files: WorldFiles = [await store(), await store(), await store()];
    return await insertAccessWorld(ctx, { today: todayIso(), tag: "", files });
  });
  return { t, ...world };
}

/** The client a role calls with: an identity carrying the user's email, or none. */
export function as(world: World, role: Role) {
  if (role === "anonymous") return world.t;
  const user = world.users[role];
  return world.t.withIdentity({ email: user.email, subject: `auth|${role}`, name: `${user.firstName} ${user.lastName}` });
}

/** The ConvexError code a promise rejects with, or "OK". */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    const parsed = typeof data === "string" ? safeJson(data) : data;
    if (parsed && typeof parsed === "object" && "code" in parsed) return String((parsed as { code: unknown }).code);
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Access-matrix worlds (convex/fixtures/accessWorld.ts) on the shared deployment: each in two
// organizations of its own, its users' emails made unique by a tag.
import { internal } from "../../convex/_generated/api";
import type { AccessWorld } from "../../convex/fixtures/accessWorld";
import { callInternal, type SemsBackendInfo } from "./semsBackend";

let worlds = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

export async function createWorld(backend: SemsBackendInfo): Promise<AccessWorld> {
  worlds += 1;
  return (await callInternal(backend, internal.testFixtures.createAccessWorld, { tag: `w${worlds}-${run}` })) as AccessWorld;
}

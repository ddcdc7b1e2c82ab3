// Internal functions that load the access-matrix world (convex/fixtures/accessWorld.ts) into a
// real deployment, for tests/integration on the embedded backend. Internal only: callable with the
// deployment's admin key (as `npx convex run` does), never by a signed-in user — like seed.ts.
// Each world lives in two organizations of its own; `tag` keeps its users' emails unique.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalAction, internalMutation } from "./_generated/server";
import { insertAccessWorld as insertWorldDocuments, WORLD_FILE, type AccessWorld, type WorldFiles } from "./fixtures/accessWorld";
import { todayIso } from "./model/dates";

/** Stores the world's three files (only actions may store files), then inserts the world. */
export const createAccessWorld = internalAction({
  args: { tag: v.string() },
  returns: v.any(),
  handler: async (ctx, { tag }): Promise<AccessWorld> => {
    const store = async () => await ctx.storage.store(new Blob([WORLD_FILE.text], { type: WORLD_FILE.mimeType }));
    const files: WorldFiles = [await store(), await store(), await store()];
    return await ctx.runMutation(internal.testFixtures.insertAccessWorld, { tag, files });
  },
});

export const insertAccessWorld = internalMutation({
  args: { tag: v.string(), files: v.array(v.id("_storage")) },
  returns: v.any(),
  handler: async (ctx, { tag, files }): Promise<AccessWorld> => {
    if (tag === "") throw new Error("A world on a shared deployment needs a tag: emails are unique.");
    if (files.length !== 3) throw new Error("The world needs exactly three stored files.");
    return await insertWorldDocuments(ctx, { today: todayIso(), tag, files: files as WorldFiles });
  },
});

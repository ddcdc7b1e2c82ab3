// The conformance suite: Convex semantics the embedded backend must share with
// Convex. Every driver runs these same assertions.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Driver } from "./driver.js";

let channelCounter = 0;
/** A fresh channel per test, so tests never see each other's documents. */
function freshChannel(): string {
  return `c${Date.now().toString(36)}${(channelCounter++).toString(36)}`;
}

async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export function conformanceSuite(getDriver: () => Driver): void {
  const d = () => getDriver();

  describe("documents", () => {
    it("inserts, gets, patches, replaces and deletes", async () => {
      const channel = freshChannel();
      const id = await d().mutation("messages:send", { channel, author: "ada", body: "hello" });
      expect(typeof id).toBe("string");
      const doc = await d().query("messages:get", { id });
      expect(doc).toMatchObject({ _id: id, channel, author: "ada", body: "hello", likes: 0 });
      expect(typeof doc._creationTime).toBe("number");

      await d().mutation("messages:setBody", { id, body: "patched" });
      expect((await d().query("messages:get", { id })).body).toBe("patched");

      await d().mutation("messages:setTags", { id, tags: ["a", "b"] });
      expect((await d().query("messages:get", { id })).tags).toEqual(["a", "b"]);
      // Patching a field to undefined removes it.
      await d().mutation("messages:setTags", { id, tags: undefined });
      expect("tags" in (await d().query("messages:get", { id }))).toBe(false);

      await d().mutation("messages:replaceBody", { id, body: "replaced" });
      const replaced = await d().query("messages:get", { id });
      expect(replaced).toMatchObject({ _id: id, body: "replaced", _creationTime: doc._creationTime });

      await d().mutation("messages:remove", { id });
      expect(await d().query("messages:get", { id })).toBeNull();
    });

    it("normalizes ids of the right table only", async () => {
      const channel = freshChannel();
      const id = await d().mutation("messages:send", { channel, author: "a", body: "b" });
      expect(await d().query("messages:normalize", { raw: id })).toEqual({ asMessage: id, asCounter: null });
      expect(await d().query("messages:normalize", { raw: "not-an-id" })).toEqual({ asMessage: null, asCounter: null });
    });

    it("orders _creationTime strictly", async () => {
      const channel = freshChannel();
      await d().mutation("messages:sendMany", { channel, count: 5 });
      const rows = await d().query("messages:list", { channel });
      const times = rows.map((r: any) => r._creationTime);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
    });
  });

  describe("queries", () => {
    it("reads index ranges with every bound, in both orders", async () => {
      const channel = freshChannel();
      await d().mutation("messages:sendMany", { channel, count: 10 });
      await d().mutation("messages:sendMany", { channel: freshChannel(), count: 3 });
      const q = (args: object) => d().query("messages:byLikes", { channel, inclusive: true, order: "asc", ...args });
      expect(await q({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await q({ order: "desc" })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect(await q({ min: 3, max: 6 })).toEqual([3, 4, 5, 6]);
      expect(await q({ min: 3, max: 6, inclusive: false })).toEqual([4, 5]);
      expect(await q({ min: 7 })).toEqual([7, 8, 9]);
      expect(await q({ min: 7, inclusive: false, order: "desc" })).toEqual([9, 8]);
      expect(await q({ max: 2 })).toEqual([0, 1, 2]);
      expect(await q({ max: 2, inclusive: false, order: "desc" })).toEqual([1, 0]);
      expect(await q({ min: 20 })).toEqual([]);
    });

    it("applies filter expressions after the index", async () => {
      const channel = freshChannel();
      await d().mutation("messages:send", { channel, author: "x", body: "low", likes: 1 });
      await d().mutation("messages:send", { channel, author: "x", body: "high", likes: 9 });
      await d().mutation("messages:send", { channel, author: "vip", body: "vip", likes: 0 });
      expect(await d().query("messages:filtered", { channel, minLikes: 5, author: "vip" })).toEqual(["high", "vip"]);
    });

    it("supports first, take, unique and full scans in both orders", async () => {
      const channel = freshChannel();
      await d().mutation("messages:sendMany", { channel, count: 4 });
      expect(await d().query("messages:firstAndTake", { channel, n: 2 })).toEqual({ first: "message 0", taken: ["message 3", "message 2"] });
      expect(await d().query("messages:firstAndTake", { channel: freshChannel(), n: 2 })).toEqual({ first: null, taken: [] });
      const asc = await d().query("messages:listAll", { order: "asc" });
      const desc = await d().query("messages:listAll", { order: "desc" });
      expect(desc.map((m: any) => m._id)).toEqual(asc.map((m: any) => m._id).reverse());
      expect(await d().query("messages:uniqueByName", { name: "nobody" })).toBeNull();
    });

    it("paginates with cursors until done", async () => {
      const channel = freshChannel();
      await d().mutation("messages:sendMany", { channel, count: 7 });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      for (;;) {
        const result: any = await d().query("messages:page", { channel, paginationOpts: { numItems: 3, cursor } });
        pages++;
        seen.push(...result.page.map((m: any) => m.body));
        expect(typeof result.continueCursor).toBe("string");
        if (result.isDone) break;
        cursor = result.continueCursor;
        expect(pages).toBeLessThan(10);
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `message ${i}`));
      expect(pages).toBeGreaterThanOrEqual(3);
    });
  });

  describe("transactions", () => {
    it("rolls back every write of a mutation that throws", async () => {
      const channel = freshChannel();
      const error = await errorOf(d().mutation("messages:sendThenFail", { channel }));
      expect(String(error.message)).toContain("deliberate failure after a write");
      expect(await d().query("messages:list", { channel })).toEqual([]);
    });

    it("rolls back only a nested mutation whose error is caught", async () => {
      const channel = freshChannel();
      const result = await d().mutation("nested:outerCatchesInner", { channel });
      expect(result).toEqual({ caughtData: true });
      const bodies = (await d().query("messages:list", { channel })).map((m: any) => m.body).sort();
      expect(bodies).toEqual(["kept", "outer"]);
    });

    it("lets a mutation read its own writes", async () => {
      const channel = freshChannel();
      expect(await d().mutation("nested:readsOwnWrites", { channel })).toBe(1);
    });

    it("runs actions whose inner calls are their own transactions", async () => {
      const channel = freshChannel();
      expect(await d().action("nested:viaAction", { channel })).toBe(1);
      expect(await d().query("messages:list", { channel })).toHaveLength(1);
    });
  });

  describe("errors and validation", () => {
    it("passes ConvexError data to the caller intact", async () => {
      const error = await errorOf(d().mutation("messages:failWithData", {}));
      expect(error.data).toEqual({ code: "FORBIDDEN", message: "not allowed", detail: { n: 1 } });
    });

    it("refuses arguments that do not match the validator", async () => {
      const error = await errorOf(d().mutation("messages:send", { channel: 1, author: "a", body: "b" }));
      expect(String(error.message)).toMatch(/channel|string/);
      if (d().convexErrorTexts) expect(String(error.message)).toMatch(/ArgumentValidationError/);
      const missing = await errorOf(d().mutation("messages:send", { author: "a", body: "b" }));
      expect(String(missing.message)).toMatch(/channel/);
    });

    it("refuses an id of the wrong table", async () => {
      const channel = freshChannel();
      const id = await d().mutation("messages:send", { channel, author: "a", body: "b" });
      const error = await errorOf(d().query("messages:get", { id: id.slice(0, -1) + (id.endsWith("a") ? "b" : "a") }));
      expect(String(error.message)).toMatch(/ArgumentValidationError|Validator/);
    });

    it("refuses a return value that does not match `returns`", async () => {
      const error = await errorOf(d().query("messages:badReturn", {}));
      expect(String(error.message)).toMatch(/string|42/);
      if (d().convexErrorTexts) expect(String(error.message)).toMatch(/ReturnsValidationError/);
    });

    it("refuses a document that breaks the schema", async () => {
      const error = await errorOf(d().mutation("nested:insertInvalid", {}));
      expect(String(error.message)).toMatch(/many/);
      if (d().convexErrorTexts) expect(String(error.message)).toMatch(/does not match the schema/);
      expect(await d().query("messages:list", { channel: "x" })).toEqual([]);
    });

    it("keeps internal functions from clients", async () => {
      if (!d().enforcesVisibility) return;
      const error = await errorOf(d().query("messages:secret", {}));
      expect(String(error.message)).toMatch(/Could not find public function/);
    });

    it("refuses arguments over the 16 MiB limit", async () => {
      if (!d().enforcesLimits) return;
      const error = await errorOf(d().mutation("messages:send", { channel: "big", author: "a", body: "x".repeat(17 * 1024 * 1024) }));
      expect(String(error.message)).toMatch(/too large/i);
    });

    it("enforces the document size limit", async () => {
      if (!d().enforcesLimits) return;
      const error = await errorOf(d().mutation("nested:insertHuge", { bytes: 1_100_000 }));
      expect(String(error.message)).toMatch(/too large/i);
    });
  });

  // ---- search and vector search (backend/src/search) ----
  describe("search", () => {
    it("finds documents by any term, the last one as a prefix, within the filter value", async () => {
      const group = freshChannel();
      const other = freshChannel();
      for (const name of ["Maria Lopez", "Mario Rossi", "Ana Lopez", "Jonathan Smith"]) await d().mutation("people:add", { name, group });
      await d().mutation("people:add", { name: "Maria Other", group: other });
      expect(new Set(await d().query("people:search", { text: "lopez", group }))).toEqual(new Set(["Maria Lopez", "Ana Lopez"]));
      expect(new Set(await d().query("people:search", { text: "mari", group }))).toEqual(new Set(["Maria Lopez", "Mario Rossi"]));
      expect(await d().query("people:search", { text: "smi", group })).toEqual(["Jonathan Smith"]);
      expect(await d().query("people:search", { text: "nobody", group })).toEqual([]);
      // Convex documents relevance order (documents matching more terms first);
      // convex-test returns matches in creation order.
      if (d().ranksSearchResults) {
        expect((await d().query("people:search", { text: "ana lopez", group }))[0]).toBe("Ana Lopez");
      }
    });

    it("sees a new document in the same search right after its insert", async () => {
      const group = freshChannel();
      expect(await d().query("people:search", { text: "newcomer", group })).toEqual([]);
      await d().mutation("people:add", { name: "Newcomer Kid", group });
      expect(await d().query("people:search", { text: "newcomer", group })).toEqual(["Newcomer Kid"]);
    });
  });

  describe("vector search", () => {
    it("orders by cosine similarity, filtered and limited", async () => {
      const group = freshChannel();
      const ids: Record<string, string> = {};
      for (const [name, embedding] of [["right", [1, 0]], ["diagonal", [1, 1]], ["up", [0, 3]], ["left", [-1, 0]]] as const) {
        ids[name] = await d().mutation("people:add", { name, group, embedding: [...embedding] });
      }
      await d().mutation("people:add", { name: "elsewhere", group: freshChannel(), embedding: [1, 0] });
      const hits = await d().action("people:similar", { vector: [1, 0.2], group });
      expect(hits.map((h: any) => h._id)).toEqual([ids.right, ids.diagonal, ids.up, ids.left]);
      expect(hits[0]._score).toBeCloseTo(1 / Math.sqrt(1.04), 6);
      expect(hits[3]._score).toBeCloseTo(-1 / Math.sqrt(1.04), 6);
      const two = await d().action("people:similar", { vector: [0, 1], group, limit: 2 });
      expect(two.map((h: any) => h._id)).toEqual([ids.up, ids.diagonal]);
    });
  });

  // ---- file storage (backend/src/fileStorage) ----
  describe("file storage", () => {
    it("stores, reads back, describes, links and deletes a file", async () => {
      const text = "Individualized Education Program — draft ✓";
      const id = await d().action("files:storeText", { text, contentType: "text/plain" });
      expect(typeof id).toBe("string");
      expect(await d().action("files:readText", { id })).toEqual({ text, size: Buffer.byteLength(text) });
      const metadata = await d().query("files:metadata", { id });
      expect(metadata.size).toBe(Buffer.byteLength(text));
      expect(metadata.sha256).toBe(createHash("sha256").update(text).digest("base64"));
      expect(typeof (await d().query("files:url", { id }))).toBe("string");
      expect(await d().query("files:listFiles", {})).toContain(id);

      await d().mutation("files:remove", { id });
      expect(await d().query("files:metadata", { id })).toBeNull();
      expect(await d().query("files:url", { id })).toBeNull();
      expect(await d().action("files:readText", { id })).toBeNull();
      expect(await d().query("files:listFiles", {})).not.toContain(id);
    });

    it("keeps a file whose delete was rolled back", async () => {
      const id = await d().action("files:storeText", { text: "keep me" });
      await errorOf(d().mutation("files:removeThenFail", { id }));
      expect(await d().action("files:readText", { id })).toEqual({ text: "keep me", size: 7 });
    });

    it("hands out upload URLs", async () => {
      const url: string = await d().mutation("files:generateUploadUrl", {});
      expect(url).toMatch(/\/api\/storage\/upload\?token=./);
    });
  });

  describe("determinism", () => {
    it("freezes Date.now and seeds Math.random within one execution", async () => {
      const result = await d().query("nested:determinism", {});
      expect(result).toMatchObject({ randomsDiffer: true, inRange: true });
      // Convex documents Date.now() as fixed for a query or mutation; convex-test does not freeze it.
      if (d().freezesTime) expect(result.timeFrozen).toBe(true);
    });
  });
}

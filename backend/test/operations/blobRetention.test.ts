// The blob store's two aids to snapshot export/import: removals wait while an
// export retains the blobs, and an import's preferred key (a file's Convex
// `internalId`) is taken only when no blob has it.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { BlobStore } from "../../src/fileStorage/blobStore.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function store(): BlobStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-blobs-"));
  dirs.push(dir);
  return new BlobStore(dir);
}

test("a removal while blobs are retained happens on the last release", async () => {
  const blobs = store();
  const { key } = await blobs.writeBytes(Buffer.from("kept for the export"));
  const releaseA = blobs.retainAll();
  const releaseB = blobs.retainAll();
  await blobs.remove(key);
  expect(fs.existsSync(blobs.pathOf(key))).toBe(true);
  await releaseA();
  await releaseA(); // a second release of the same hold changes nothing
  expect(fs.existsSync(blobs.pathOf(key))).toBe(true);
  await releaseB();
  expect(fs.existsSync(blobs.pathOf(key))).toBe(false);
  // Without a hold, removal is immediate.
  const other = await blobs.writeBytes(Buffer.from("x"));
  await blobs.remove(other.key);
  expect(fs.existsSync(blobs.pathOf(other.key))).toBe(false);
});

test("a preferred key is used when free and never replaces an existing blob", async () => {
  const blobs = store();
  const wanted = randomUUID();
  const first = await blobs.write([Buffer.from("first")], Infinity, wanted);
  expect(first.key).toBe(wanted);
  const second = await blobs.write([Buffer.from("second")], Infinity, wanted);
  expect(second.key).not.toBe(wanted);
  expect(fs.readFileSync(blobs.pathOf(wanted), "utf8")).toBe("first");
  expect(fs.readFileSync(blobs.pathOf(second.key), "utf8")).toBe("second");
  // A preferred key that is not a blob key is ignored.
  const odd = await blobs.write([Buffer.from("odd")], Infinity, "../escape");
  expect(BlobStore.isKey(odd.key)).toBe(true);
  expect(fs.readdirSync(blobs.dir).sort()).toEqual([wanted, second.key, odd.key].sort());
});

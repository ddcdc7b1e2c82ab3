// File storage on the engine in process, with the blob directory in view:
// blobs on disk, deletion only when the deleting transaction commits, the
// start-up sweep, the size limit, byte ranges and upload tokens.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "../conformance/convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";
import { BlobStore, BlobTooLargeError } from "../../src/fileStorage/blobStore.js";
import { parseRange } from "../../src/fileStorage/byteRange.js";
import { installFileStorage } from "../../src/fileStorage/installFileStorage.js";
import { createUploadToken, verifyUploadToken } from "../../src/fileStorage/uploadToken.js";
import { LocalEngine } from "../../src/engine/localEngine.js";

const modules = import.meta.glob<Record<string, unknown>>("../conformance/convex/*.ts", { eager: true });

let app: InProcessApp;
let blobsDir: string;
const blobFiles = () => fs.readdirSync(blobsDir).filter((name) => !name.startsWith("."));

beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  blobsDir = path.join(app.dir, "blobs");
  installFileStorage(app.engine, { blobsDir, cloudUrl: () => "http://127.0.0.1:9", tokenSecret: "secret" });
});
afterAll(() => app?.close());

describe("blobs on disk", () => {
  it("writes the stored bytes to one file and unlinks it when the delete commits, not before", async () => {
    const before = new Set(blobFiles());
    const id = (await app.call("action", "files:storeText", { text: "abc" })) as string;
    const added = blobFiles().filter((name) => !before.has(name));
    expect(added).toHaveLength(1);
    expect(fs.readFileSync(path.join(blobsDir, added[0]), "utf8")).toBe("abc");

    // A delete whose mutation fails never commits: the blob stays.
    await expect(app.call("mutation", "files:removeThenFail", { id })).rejects.toThrow(/changed my mind/);
    expect(fs.existsSync(path.join(blobsDir, added[0]))).toBe(true);

    await app.call("mutation", "files:remove", { id });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the unlink is asynchronous
    expect(fs.existsSync(path.join(blobsDir, added[0]))).toBe(false);
    await expect(app.call("mutation", "files:remove", { id })).rejects.toThrow(/not found/);
  });

  it("sweeps interrupted uploads and unreferenced blobs at start, keeping stored files", async () => {
    const id = (await app.call("action", "files:storeText", { text: "kept" })) as string;
    const kept = blobFiles();
    fs.writeFileSync(path.join(blobsDir, ".upload-00000000-0000-4000-8000-000000000000"), "half a fi");
    fs.writeFileSync(path.join(blobsDir, "11111111-1111-4111-8111-111111111111"), "orphan");
    const lines: string[] = [];
    const second = new LocalEngine({ databasePath: path.join(app.dir, "db.sqlite3"), adminKey: "k" });
    try {
      installFileStorage(second, { blobsDir, cloudUrl: () => "", tokenSecret: "secret", log: (line) => lines.push(line) });
    } finally {
      second.close();
    }
    expect(fs.readdirSync(blobsDir).sort()).toEqual(kept.sort());
    expect(lines.join("\n")).toMatch(/1 interrupted upload\(s\) and 1 unreferenced blob/);
    expect(await app.call("action", "files:readText", { id })).toEqual({ text: "kept", size: 4 });
  });
});

describe("BlobStore", () => {
  it("refuses a stream over the limit and leaves nothing behind", async () => {
    const store = new BlobStore(path.join(app.dir, "limit-test"));
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1000, 7));
    await expect(store.write(Readable.from(chunks), 5000)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(fs.readdirSync(store.dir)).toEqual([]);
    const written = await store.write(Readable.from(chunks), 10_000);
    expect(written.size).toBe(10_000);
    expect(fs.readdirSync(store.dir)).toEqual([written.key]);
  });
});

describe("byte ranges", () => {
  it("parses single, open, suffix and unsatisfiable ranges", () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-200", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=95-", 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-500", 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,5-6", 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100, '"old"', '"new"')).toBeNull();
  });
});

describe("upload tokens", () => {
  it("accepts its own tokens until they expire and refuses forged ones", () => {
    const now = 1_000_000;
    const token = createUploadToken("secret", "child", now);
    expect(verifyUploadToken("secret", token, now + 59 * 60 * 1000)).toEqual({ component: "child" });
    expect(() => verifyUploadToken("secret", token, now + 61 * 60 * 1000)).toThrow(/expired/);
    expect(() => verifyUploadToken("other", token, now)).toThrow(/not issued/);
    const [payload, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ c: "", e: now * 10 })).toString("base64url");
    expect(() => verifyUploadToken("secret", `${forged}.${signature}`, now)).toThrow(/not issued/);
    expect(payload.length).toBeGreaterThan(0);
  });
});

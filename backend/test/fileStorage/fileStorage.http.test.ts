// File storage through the real backend process: upload URLs from a mutation,
// the upload POST, download URLs with content type, length, ETag and byte
// ranges, delete, the size limit, and a backend killed mid-upload.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHash, randomBytes } from "node:crypto";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { createUploadToken } from "../../src/fileStorage/uploadToken.js";

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "conformance");
const LIMIT = 1024 * 1024;

let backend: BackendProcess;
let client: ConvexHttpClient;
const query = (name: string, args: Record<string, unknown> = {}) => client.query(makeFunctionReference<"query">(name), args);
const mutation = (name: string, args: Record<string, unknown> = {}) => client.mutation(makeFunctionReference<"mutation">(name), args);
const blobFiles = () => fs.readdirSync(path.join(backend.dataDir, "blobs"));

beforeAll(async () => {
  backend = await startBackendProcess({ env: { SEMS_MAX_UPLOAD_BYTES: String(LIMIT) } });
  await deployWithCli({
    projectDir: fixtureDir,
    url: backend.url,
    adminKey: backend.adminKey,
    args: ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"],
  });
  client = new ConvexHttpClient(backend.url);
}, 120_000);
afterAll(async () => {
  await backend?.stop();
});

async function upload(bytes: Uint8Array, contentType = "application/pdf"): Promise<string> {
  const url: string = await mutation("files:generateUploadUrl");
  expect(url.startsWith(`${backend.url}/api/storage/upload?token=`)).toBe(true);
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": contentType }, body: bytes as unknown as BodyInit });
  expect(response.status).toBe(200);
  const { storageId } = (await response.json()) as { storageId: string };
  return storageId;
}

describe("upload and download", () => {
  it("serves uploaded bytes with type, length, ETag and ranges", async () => {
    const bytes = randomBytes(300_000);
    const id = await upload(bytes);
    const metadata = await query("files:metadata", { id });
    expect(metadata).toEqual({ size: bytes.length, sha256: createHash("sha256").update(bytes).digest("base64") });
    const url: string = await query("files:url", { id });
    expect(url).toMatch(new RegExp(`^${backend.url}/api/storage/[0-9a-f-]{36}$`));
    expect(url).not.toContain(id); // the URL is a capability of its own, not derivable from the id

    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("application/pdf");
    expect(full.headers.get("content-length")).toBe(String(bytes.length));
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    const etag = full.headers.get("etag")!;
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await fetch(url, { headers: { Range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);

    const suffix = await fetch(url, { headers: { Range: "bytes=-100" } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(bytes.length - 100))).toBe(true);

    const open = await fetch(url, { headers: { Range: `bytes=${bytes.length - 10}-` } });
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const beyond = await fetch(url, { headers: { Range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${bytes.length}`);

    const cached = await fetch(url, { headers: { "If-None-Match": etag } });
    expect(cached.status).toBe(304);

    // Deleting the file: the URL stops serving and the blob leaves the disk.
    const blobKey = url.slice(url.lastIndexOf("/") + 1);
    expect(blobFiles()).toContain(blobKey);
    await mutation("files:remove", { id });
    expect((await fetch(url)).status).toBe(404);
    await expect.poll(() => blobFiles().includes(blobKey)).toBe(false);
    expect(await query("files:url", { id })).toBeNull();
  });

  it("keeps an upload with no content type typeless", async () => {
    const url: string = await mutation("files:generateUploadUrl");
    const response = await fetch(url, { method: "POST", body: new Uint8Array([1, 2, 3]) });
    const { storageId } = (await response.json()) as { storageId: string };
    const served = await fetch((await query("files:url", { id: storageId })) as string);
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("refuses forged tokens and unknown files", async () => {
    const url: string = await mutation("files:generateUploadUrl");
    const forged = url.slice(0, -3) + (url.endsWith("AAA") ? "BBB" : "AAA");
    const response = await fetch(forged, { method: "POST", body: "x" });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toMatch(/not (valid|issued)/);
    expect((await fetch(`${backend.url}/api/storage/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

/** POSTs with http.request so the test controls chunking and sees early replies. */
function rawUpload(url: string, options: { declaredLength?: number; chunks: number; chunkSize: number }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "Content-Type": "application/octet-stream" };
    if (options.declaredLength !== undefined) headers["Content-Length"] = options.declaredLength;
    const request = http.request(url, { method: "POST", headers }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body }));
      response.on("error", reject);
    });
    request.on("error", () => {}); // the server may close while we still write: the reply is what counts
    let sent = 0;
    const chunk = Buffer.alloc(options.chunkSize, 1);
    const writeMore = () => {
      while (sent < options.chunks) {
        sent++;
        if (!request.write(chunk)) {
          request.once("drain", writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

describe("size limit", () => {
  it("refuses a declared oversize upload with 413 and a JSON message", async () => {
    const url: string = await mutation("files:generateUploadUrl");
    const before = blobFiles().length;
    const reply = await rawUpload(url, { declaredLength: LIMIT + 1, chunks: 4, chunkSize: 1024 });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).message).toMatch(/larger than the maximum upload size of 1048576 bytes/);
    expect(blobFiles().length).toBe(before);
  });

  it("refuses a chunked upload once it passes the limit, leaving no file", async () => {
    const url: string = await mutation("files:generateUploadUrl");
    const before = blobFiles().length;
    const reply = await rawUpload(url, { chunks: 40, chunkSize: 64 * 1024 });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).code).toBe("FileTooLarge");
    await expect.poll(() => blobFiles().length).toBe(before);
    // Exactly the limit is fine.
    const ok = await fetch((await mutation("files:generateUploadUrl")) as string, { method: "POST", body: new Uint8Array(LIMIT) });
    expect(ok.status).toBe(200);
  });
});

describe("crash during an upload", () => {
  it("never serves half a file and cleans the temporary at the next start", async () => {
    const filesBefore: string[] = await query("files:listFiles");
    const token = createUploadToken(backend.adminKey, "");
    const request = http.request(`${backend.url}/api/storage/upload?token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "Content-Length": 512 * 1024 },
    });
    request.on("error", () => {});
    request.write(Buffer.alloc(200 * 1024, 9));
    const blobsDir = path.join(backend.dataDir, "blobs");
    await expect.poll(() => fs.readdirSync(blobsDir).some((name) => name.startsWith(".upload-")), { timeout: 5000 }).toBe(true);
    await backend.kill();
    expect(fs.readdirSync(blobsDir).some((name) => name.startsWith(".upload-"))).toBe(true);

    backend = await startBackendProcess({ dataDir: backend.dataDir, env: { SEMS_MAX_UPLOAD_BYTES: String(LIMIT) } });
    client = new ConvexHttpClient(backend.url);
    expect(fs.readdirSync(blobsDir).filter((name) => name.startsWith("."))).toEqual([]);
    expect(backend.output()).toMatch(/removed 1 interrupted upload/);
    expect(await query("files:listFiles")).toEqual(filesBefore);
    // Every remaining blob is a whole stored file.
    for (const id of filesBefore) {
      const url = (await query("files:url", { id })) as string;
      const { size } = await query("files:metadata", { id });
      expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(size);
    }
  }, 60_000);
});

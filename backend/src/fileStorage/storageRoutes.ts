// The file storage HTTP surface on the API port, as Convex serves it:
// - POST /api/storage/upload?token=… streams the body into a blob and answers
//   {storageId}; a body over the limit is refused with 413 (a declared
//   Content-Length at once, a chunked one as soon as it passes the limit);
// - GET|HEAD /api/storage/<key> streams the bytes with Content-Type,
//   Content-Length, ETag and single byte ranges (206 / 416).
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { ApiRoute } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { HttpError, sendJson } from "../http/httpUtil.js";
import { readSnapshot } from "../search/snapshotReader.js";
import { BlobStore, BlobTooLargeError } from "./blobStore.js";
import { parseRange } from "./byteRange.js";
import { findStoredFileByKey, insertStoredFile } from "./storedFiles.js";
import { UploadTokenError, verifyUploadToken } from "./uploadToken.js";

export interface StorageRouteOptions {
  engine: LocalEngine;
  blobs: BlobStore;
  tokenSecret: string;
  maxUploadBytes: number;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "FileTooLarge", new BlobTooLargeError(limit).message);
}

/** Stops reading a refused upload without keeping its bytes. */
function discardRest(request: IncomingMessage): void {
  request.on("error", () => {});
  request.resume();
}

async function upload(options: StorageRouteOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const token = url.searchParams.get("token");
  if (!token) {
    discardRest(request);
    throw new HttpError(400, "MissingUploadToken", "The upload URL has no token: get one from ctx.storage.generateUploadUrl().");
  }
  let component: string;
  try {
    component = verifyUploadToken(options.tokenSecret, token).component;
  } catch (error) {
    discardRest(request);
    if (error instanceof UploadTokenError) throw new HttpError(401, "InvalidUploadToken", error.message);
    throw new HttpError(400, "InvalidUploadToken", "The upload URL's token is malformed.");
  }
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > options.maxUploadBytes) {
    discardRest(request);
    throw tooLarge(options.maxUploadBytes);
  }
  let written;
  try {
    written = await options.blobs.write(request, options.maxUploadBytes);
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      discardRest(request);
      throw tooLarge(options.maxUploadBytes);
    }
    throw error;
  }
  const contentType = request.headers["content-type"] || null;
  let storageId: string;
  try {
    storageId = await options.engine.writeTransaction(async (tx) => insertStoredFile(tx, component, { ...written, contentType }));
  } catch (error) {
    await options.blobs.remove(written.key);
    throw error;
  }
  sendJson(response, 200, { storageId });
}

async function download(options: StorageRouteOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const key = decodeURIComponent((request.url ?? "").split("?")[0].slice("/api/storage/".length));
  const file = BlobStore.isKey(key) ? readSnapshot(options.engine, (tx) => findStoredFileByKey(tx, key)) : null;
  if (!file) throw new HttpError(404, "FileNotFound", "File not found");
  // Open before answering: the blob of a file deleted a moment ago may be unlinked
  // by now; an open descriptor keeps reading whole bytes either way.
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(options.blobs.pathOf(key), "r");
  } catch {
    throw new HttpError(404, "FileNotFound", "File not found");
  }
  try {
    const etag = `"${file.sha256}"`;
    response.setHeader("Content-Type", file.contentType ?? "application/octet-stream");
    response.setHeader("ETag", etag);
    response.setHeader("Accept-Ranges", "bytes");
    response.setHeader("Cache-Control", "private, max-age=2592000, immutable");
    if (request.headers["if-none-match"] === etag) {
      response.statusCode = 304;
      response.end();
      return;
    }
    const range = parseRange(request.headers.range, file.size, request.headers["if-range"] as string | undefined, etag);
    if (range === "unsatisfiable") {
      response.statusCode = 416;
      response.setHeader("Content-Range", `bytes */${file.size}`);
      response.setHeader("Content-Length", 0);
      response.end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? file.size - 1;
    response.statusCode = range ? 206 : 200;
    if (range) response.setHeader("Content-Range", `bytes ${start}-${end}/${file.size}`);
    response.setHeader("Content-Length", Math.max(0, end - start + 1));
    if (request.method === "HEAD" || end < start) {
      response.end();
      return;
    }
    const stream = handle.createReadStream({ start, end, highWaterMark: 1 << 20, autoClose: false });
    await pipeline(stream, response);
  } finally {
    await handle.close().catch(() => {});
  }
}

export function storageRoutes(options: StorageRouteOptions): ApiRoute[] {
  return [
    { method: "POST", path: "/api/storage/upload", handle: (request, response) => upload(options, request, response) },
    { method: "GET", path: "/api/storage/*", handle: (request, response) => download(options, request, response) },
  ];
}

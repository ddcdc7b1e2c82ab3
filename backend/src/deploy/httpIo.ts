// Request and response plumbing for the push API: bodies arrive Brotli- or
// gzip-compressed and weigh megabytes; errors go out as `{code, message}`.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Transform } from "node:stream";

import { PushError } from "./pushError.js";

/** Largest decompressed body accepted (a big app with components is a few MB). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Reads the whole body, undoing `Content-Encoding: br | gzip | deflate`. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const encoding = String(request.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  let decoder: Transform | null;
  switch (encoding) {
    case "br":
      decoder = createBrotliDecompress();
      break;
    case "gzip":
    case "x-gzip":
      decoder = createGunzip();
      break;
    case "deflate":
      decoder = createInflate();
      break;
    case "identity":
    case "":
      decoder = null;
      break;
    default:
      throw new PushError(415, "UnsupportedContentEncoding", `Content-Encoding "${encoding}" is not supported.`);
  }
  const stream = decoder === null ? request : request.pipe(decoder);
  if (decoder !== null) request.on("error", (error) => decoder.destroy(error));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) throw new PushError(413, "PayloadTooLarge", `Request body is larger than ${MAX_BODY_BYTES} bytes.`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof PushError) throw error;
    throw new PushError(400, "BadRequestBody", `Could not read the request body (${encoding}): ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body (an empty body is `{}`). */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new PushError(400, "BadJsonBody", `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  response.end(body);
}

export function sendError(response: ServerResponse, error: PushError): void {
  if (response.headersSent) {
    response.destroy(error);
    return;
  }
  sendJson(response, error.status, { code: error.code, message: error.message });
}

/** The key of an `Authorization: Convex <adminKey>` header, or null. */
export function adminKeyFromHeader(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Convex\s+(.+)$/i.exec(header.trim());
  return match === null ? null : match[1]!.trim();
}

/** Runs a handler and sends its result as JSON, or its error as `{code, message}`. */
export async function respond(response: ServerResponse, handler: () => Promise<unknown>): Promise<void> {
  try {
    const result = await handler();
    if (!response.writableEnded) sendJson(response, 200, result);
  } catch (error) {
    if (error instanceof PushError) {
      sendError(response, error);
    } else {
      console.error("[push api]", error);
      sendError(response, new PushError(500, "InternalServerError", `Hit an error while pushing:\n${(error as Error)?.message ?? String(error)}`));
    }
  }
}

export function badAdminKey(): PushError {
  return new PushError(
    401,
    "BadAdminKey",
    "The provided admin key is not valid for this deployment. Check CONVEX_SELF_HOSTED_ADMIN_KEY (or --admin-key).",
  );
}

export function missingAdminKey(): PushError {
  return new PushError(401, "MissingAdminKey", "This endpoint needs the deployment's admin key (header `Authorization: Convex <adminKey>`).");
}

/** Consumes the rest of a request we refuse, so the client sees our answer rather than a reset connection. */
export async function drain(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return;
  await new Promise<void>((resolve) => {
    request.on("end", resolve);
    request.on("error", () => resolve());
    request.on("close", resolve);
    request.resume();
  });
}

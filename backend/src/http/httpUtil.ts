// Small helpers shared by the API port's routes: JSON replies, bounded body
// reading, and the CORS headers the Convex backend sends to browser clients.

import type { IncomingMessage, ServerResponse } from "node:http";

/** A request the route refuses; becomes `status` with `{code, message}`, the Convex backend's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Convex functions take at most 16 MiB of arguments; leave room for the JSON envelope. */
export const DEFAULT_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, JSON.stringify(body), "application/json");
}

export function sendText(response: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.statusCode = status;
  response.setHeader("Content-Type", contentType);
  response.setHeader("Content-Length", Buffer.byteLength(text));
  response.end(text);
}

export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, { code: error.code, message: error.message });
}

/** Reads the whole body, refusing (413) once it exceeds `limitBytes`. */
export function readBody(request: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limitBytes) {
      request.resume(); // drain, so the connection can carry the reply
      reject(tooLarge(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on("error", (error) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
    });
  });
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, "RequestTooLarge", `Request body is larger than the limit of ${limitBytes} bytes`);
}

/** Reads and parses a JSON object body; 400 with the parser's complaint when it is not one. */
export async function readJsonBody(request: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT_BYTES): Promise<Record<string, unknown>> {
  const body = await readBody(request, limitBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "BadJsonBody", `Failed to parse the request body as JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, "BadJsonBody", "The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

const CORS_METHODS = "GET, POST, OPTIONS, PATCH, DELETE, PUT";

/**
 * The Convex backend's `cors()` layer (tower-http): mirror the Origin, allow
 * credentials, mirror requested headers, cache preflights for a day.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  response.setHeader("Vary", "origin, access-control-request-method, access-control-request-headers");
  if (typeof origin !== "string") return;
  response.setHeader("Access-Control-Allow-Origin", origin);
  response.setHeader("Access-Control-Allow-Credentials", "true");
}

/** Answers a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  applyCors(request, response);
  response.setHeader("Access-Control-Allow-Methods", CORS_METHODS);
  const requested = request.headers["access-control-request-headers"];
  if (typeof requested === "string") response.setHeader("Access-Control-Allow-Headers", requested);
  response.setHeader("Access-Control-Max-Age", "86400");
  response.statusCode = 200;
  response.setHeader("Content-Length", 0);
  response.end();
}

export function isPreflight(request: IncomingMessage): boolean {
  return request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
}

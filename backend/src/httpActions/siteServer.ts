// The site port: serves the deployment's HTTP actions as Convex does on
// `<deployment>.convex.site`. Every method is passed to the router (CORS
// preflights included: an `OPTIONS` route, e.g. convex-helpers' corsRouter,
// answers them, otherwise they get the router's 404), request bodies reach the
// handler as a stream and response bodies are streamed back chunk by chunk.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { AuthState, Engine, LogFn } from "../engine/contract.js";
import type { LoadedDeployment } from "../runtime/loadedDeployment.js";
import { toFunctionError } from "../runtime/functionRunner.js";
import { findHttpRoute, type HttpMounts } from "./httpRouting.js";
import { runHttpAction } from "./runHttpAction.js";
import { authenticateConvexHeader } from "../http/requestAuth.js";

export interface SiteServerOptions {
  engine: Engine;
  /** The code being served right now (changes with every push). */
  deployment: () => LoadedDeployment;
  /** Mount table of the current push (see httpRouting.ts). */
  mounts: () => HttpMounts;
  /** The site's canonical origin, e.g. "http://127.0.0.1:3211": the origin of `request.url` in handlers. */
  siteUrl: () => string;
  log: LogFn;
}

const BODYLESS = new Set(["GET", "HEAD"]);

export function createSiteServer(options: SiteServerOptions): http.Server {
  const server = http.createServer((request, response) => {
    handleSiteRequest(options, request, response).catch((error: unknown) => {
      options.log(`site: ${request.method} ${request.url} failed: ${(error as Error).stack ?? error}`);
      if (!response.headersSent) sendJson(response, 500, { code: "InternalServerError", message: "The HTTP action could not be served." });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function handleSiteRequest(options: SiteServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = (request.method ?? "GET").toUpperCase();
  const url = new URL(request.url ?? "/", options.siteUrl());
  const match = findHttpRoute(options.deployment(), options.mounts(), url.pathname, method);
  if (!match) {
    // The text the convex/server router itself answers with.
    response.writeHead(404, { "content-type": "text/plain;charset=UTF-8" });
    response.end(`No HttpAction routed for ${url.pathname}`);
    return;
  }

  const abort = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) abort.abort();
  });
  const fetchRequest = new Request(url, {
    method,
    headers: headersOf(request),
    body: BODYLESS.has(method) ? undefined : (Readable.toWeb(request) as ReadableStream<Uint8Array>),
    signal: abort.signal,
    ...(BODYLESS.has(method) ? {} : { duplex: "half" }),
  } as RequestInit);

  let result: Response;
  try {
    const auth = await authOf(options.engine, request.headers.authorization);
    const run = await runHttpAction({ fn: match.fn, component: match.component, route: match.route, request: fetchRequest, auth });
    result = run.response;
    if (!isResponse(result)) throw new Error(`The HTTP action did not return a Response (got ${describe(result)}).`);
  } catch (thrown) {
    const error = toFunctionError(thrown);
    const where = match.component ? `${match.component} ${match.route}` : match.route;
    options.log(`[H] ${where} (${method} ${url.pathname}) failed: ${error.message}`);
    // The caller gets the error itself; the stack (server paths) stays in the log.
    sendJson(response, 500, { code: "HttpActionFailed", message: error.message.split("\n")[0], route: match.route });
    return;
  }
  options.log(`[H] ${method} ${url.pathname} → ${result.status}`, "debug");
  await sendResponse(response, result, method === "HEAD");
}

/**
 * A Bearer JWT in an HTTP action's request authenticates it like a client's
 * `Authenticate`. A token that does not verify leaves the request
 * unauthenticated rather than failing it: Better Auth's own routes receive
 * Bearer session tokens that are not Convex JWTs at all.
 */
async function authOf(engine: Engine, header: string | undefined): Promise<AuthState> {
  // `Convex <adminKey>[:<base64 identity>]` (ConvexHttpClient.setAdminAuth): Convex's HTTP action
  // route extracts identity like the API does (TryExtractIdentity), so an admin acting as a user
  // reaches ctx.auth there too; a key that does not verify leaves the request unauthenticated.
  if (header && /^convex\s/i.test(header)) {
    try {
      return await authenticateConvexHeader(engine, header.slice(7).trim());
    } catch {
      return { kind: "none" };
    }
  }
  if (!header || !/^bearer\s/i.test(header)) return { kind: "none" };
  const token = header.slice(7).trim();
  if (token.split(".").length !== 3) return { kind: "none" };
  try {
    return await engine.authenticate({ tokenType: "User", value: token });
  } catch {
    return { kind: "none" };
  }
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    // HTTP/1 connection-level headers mean nothing to the handler's Request;
    // a client's own X-Forwarded-For is not to be trusted (see below).
    if (/^(connection|keep-alive|transfer-encoding|upgrade|x-forwarded-for)$/i.test(name)) continue;
    headers.append(name, raw[i + 1]);
  }
  // The backend is the edge: like Convex, it tells handlers the caller's
  // address, which Better Auth's per-IP rate limits key on.
  const address = request.socket.remoteAddress;
  if (address) headers.set("x-forwarded-for", address.replace(/^::ffff:/, ""));
  return headers;
}

async function sendResponse(response: ServerResponse, result: Response, headOnly: boolean): Promise<void> {
  const raw: string[] = [];
  result.headers.forEach((value, name) => {
    if (name !== "set-cookie") raw.push(name, value);
  });
  for (const cookie of result.headers.getSetCookie()) raw.push("set-cookie", cookie);
  response.writeHead(result.status, result.statusText || undefined, raw);
  if (headOnly || result.body === null) {
    response.end();
    await result.body?.cancel().catch(() => {});
    return;
  }
  const reader = result.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (response.destroyed) {
        await reader.cancel().catch(() => {});
        return;
      }
      if (!response.write(value)) await new Promise<void>((resolve) => {
        response.once("drain", resolve);
        response.once("close", resolve);
      });
    }
  } catch (error) {
    // The handler's stream failed half-way: the status is already sent, so cut the connection.
    response.destroy(error as Error);
    return;
  }
  response.end();
}

function sendJson(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function isResponse(value: unknown): value is Response {
  return value !== null && typeof value === "object" && typeof (value as Response).status === "number" && (value as Response).headers instanceof Headers;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

// The API port: one Node HTTP server that
// - upgrades `/api/<clientVersion>/sync` to the sync WebSocket,
// - dispatches requests to registered routes (exact paths, or prefixes "/x/*";
//   routes passed in win over the built-in function routes),
// - answers CORS preflights and adds CORS headers on Convex's own paths
//   (`/api/…` and the health paths; other prefixes such as HTTP actions set
//   their own), as the Convex backend does for a web app on another origin,
// - turns every failure into a JSON reply and never lets one request take the
//   process down.
//
// `server.close()` also closes the sync sockets and stops the subscription
// manager, so a restart on the same port works without leaked state.

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ApiRoute, Engine } from "../engine/contract.js";
import { SYNC_PATH, SyncSocketServer } from "../sync/syncSocketServer.js";
import { functionRoutes, type FunctionRoutesOptions } from "./functionRoutes.js";
import { answerPreflight, applyCors, HttpError, isPreflight, sendError } from "./httpUtil.js";

export interface ApiServerOptions {
  engine: Engine;
  routes: ApiRoute[];
  log: (line: string, level?: "info" | "debug") => void;
  /** Adds /api/query|mutation|action|function, /version, … (default true). */
  functionRoutes?: boolean | Omit<FunctionRoutesOptions, "engine" | "log">;
  /** Sync tuning, mostly for tests. */
  sync?: { pingIntervalMs?: number; transitionChunkChars?: number; maxPayloadBytes?: number };
}

export interface ApiServer {
  server: http.Server;
  addRoutes(routes: ApiRoute[]): void;
  /** The sync endpoint (its `manager` exposes subscription counts). */
  sync: SyncSocketServer;
}

const CORS_PATHS = /^\/(api\/.*|version|instance_name|instance_version)?$/;

class ApiHttpServer extends http.Server {
  onClose: (() => void) | undefined;
  override close(callback?: (err?: Error) => void): this {
    this.onClose?.();
    this.onClose = undefined;
    super.close(callback);
    this.closeAllConnections();
    return this;
  }
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const { engine, log } = opts;
  const router = new Router();
  router.add(opts.routes);
  if (opts.functionRoutes !== false) {
    const extra = typeof opts.functionRoutes === "object" ? opts.functionRoutes : {};
    router.addFallback(functionRoutes({ ...extra, engine, log }));
  }
  const sync = new SyncSocketServer({ engine, log, ...opts.sync });

  const server = new ApiHttpServer((request, response) => {
    void handleRequest(router, request, response, log);
  });
  server.onClose = () => sync.close();
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const path = pathOf(request.url);
    if (SYNC_PATH.test(path)) {
      try {
        sync.handleUpgrade(request, socket, head);
      } catch (error) {
        log(`upgrade ${path} failed: ${(error as Error).message}`);
        socket.destroy();
      }
      return;
    }
    const body = JSON.stringify({ code: "NotFound", message: `No WebSocket endpoint at ${path}` });
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  return { server, addRoutes: (routes) => router.add(routes), sync };
}

async function handleRequest(router: Router, request: IncomingMessage, response: ServerResponse, log: (line: string, level?: "info" | "debug") => void): Promise<void> {
  const path = pathOf(request.url);
  const method = request.method ?? "GET";
  try {
    const convexPath = CORS_PATHS.test(path);
    if (convexPath) applyCors(request, response);
    const match = router.find(method, path);
    if (isPreflight(request) && (match.route === undefined || match.route.method !== "OPTIONS") && convexPath) {
      answerPreflight(request, response);
      return;
    }
    if (match.route === undefined) {
      if (match.pathMatched) throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed on ${path}`);
      throw new HttpError(404, "NotFound", `No route for ${method} ${path}`);
    }
    await match.route.handle(request, response);
  } catch (error) {
    if (error instanceof HttpError) {
      if (error.status >= 500) log(`${method} ${path} → ${error.status} ${error.message}`);
      sendErrorSafely(response, error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    log(`${method} ${path} → 500 ${message}`);
    sendErrorSafely(response, new HttpError(500, "InternalServerError", message));
  }
}

function sendErrorSafely(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // Close after a refused body so an unread upload cannot poison the connection.
  if (error.status === 413) response.setHeader("Connection", "close");
  sendError(response, error);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q === -1 ? raw : raw.slice(0, q);
}

class Router {
  private readonly primary: ApiRoute[] = [];
  private readonly fallback: ApiRoute[] = [];

  add(routes: ApiRoute[]): void {
    this.primary.push(...routes);
  }

  addFallback(routes: ApiRoute[]): void {
    this.fallback.push(...routes);
  }

  /** Exact paths beat prefixes; longer prefixes beat shorter; caller routes beat built-ins. */
  find(method: string, path: string): { route: ApiRoute | undefined; pathMatched: boolean } {
    let pathMatched = false;
    for (const routes of [this.primary, this.fallback]) {
      const candidates = routes
        .map((route) => ({ route, score: matchScore(route.path, path) }))
        .filter((c) => c.score >= 0)
        .sort((a, b) => b.score - a.score);
      if (candidates.length > 0) pathMatched = true;
      const hit = candidates.find((c) => c.route.method === "*" || c.route.method === method || (method === "HEAD" && c.route.method === "GET"));
      if (hit) return { route: hit.route, pathMatched: true };
    }
    return { route: undefined, pathMatched };
  }
}

/** -1 no match; exact matches score above every prefix; longer prefixes score higher. */
function matchScore(pattern: string, path: string): number {
  if (pattern.endsWith("/*")) {
    const prefix = pattern.slice(0, -1); // keep the trailing "/"
    if (path.startsWith(prefix) || path === prefix.slice(0, -1)) return prefix.length;
    return -1;
  }
  return pattern === path ? Number.MAX_SAFE_INTEGER : -1;
}


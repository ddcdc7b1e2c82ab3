// The other endpoints `npx convex dev` / `deploy` call around a push:
//   GET /api/v1/get_canonical_urls   → {convexCloudUrl, convexSiteUrl} (`deploy --cmd`, env file hints)
//   GET /api/stream_function_logs    → long poll for function logs; we hold it open and report none
//   GET /v1/version                  → the CLI's update check, when CONVEX_VERSION_API_ORIGIN points here
//                                      (the helper that runs the CLI does this so it never calls out)

import type { IncomingMessage } from "node:http";

import type { ApiRoute } from "../engine/contract.js";
import { adminKeyFromHeader, badAdminKey, missingAdminKey, respond } from "./httpIo.js";
import { PushError } from "./pushError.js";

export interface CanonicalUrls {
  convexCloudUrl: string;
  convexSiteUrl: string;
}

export interface CliSupportDeps {
  isAdminKey(key: string): boolean;
  canonicalUrls?(request: IncomingMessage): CanonicalUrls;
  logPollMs?: number;
}

export function cliSupportRoutes(deps: CliSupportDeps): ApiRoute[] {
  const requireAdmin = (request: IncomingMessage): void => {
    const key = adminKeyFromHeader(request);
    if (key === null) throw missingAdminKey();
    if (!deps.isAdminKey(key)) throw badAdminKey();
  };
  return [
    {
      method: "GET",
      path: "/api/v1/get_canonical_urls",
      handle: (request, response) =>
        respond(response, async () => {
          requireAdmin(request);
          return deps.canonicalUrls?.(request) ?? urlsFromHost(request);
        }),
    },
    {
      method: "GET",
      path: "/api/stream_function_logs",
      handle: (request, response) =>
        respond(response, async () => {
          requireAdmin(request);
          const cursor = Number(new URL(request.url ?? "/", "http://localhost").searchParams.get("cursor") ?? "0");
          // Nothing to stream yet: hold the poll like Convex does, ending early if the CLI goes away.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, deps.logPollMs ?? 10_000);
            response.on("close", () => {
              clearTimeout(timer);
              resolve();
            });
          });
          return { entries: [], newCursor: Number.isFinite(cursor) ? cursor : 0 };
        }),
    },
    {
      method: "GET",
      path: "/v1/version",
      handle: (_request, response) => respond(response, async () => ({ message: null })),
    },
  ];
}

/** Local-backend convention: the site (HTTP actions) listens on the API port + 1. */
function urlsFromHost(request: IncomingMessage): CanonicalUrls {
  const host = request.headers.host;
  if (host === undefined) throw new PushError(400, "MissingHost", "The request has no Host header.");
  const url = new URL(`http://${host}`);
  const cloud = url.origin;
  const port = Number(url.port || "80");
  url.port = String(port + 1);
  return { convexCloudUrl: cloud, convexSiteUrl: url.origin };
}


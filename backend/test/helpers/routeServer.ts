// A bare HTTP server on 127.0.0.1 that dispatches to `ApiRoute`s, standing in
// for the backend's API port in tests of one protocol module.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import type { ApiRoute } from "../../src/engine/contract.js";

export interface RouteServer {
  url: string;
  server: Server;
  /** Every request seen, as "METHOD /path" (query string dropped). */
  requests: string[];
  /** Decoded bodies of POST requests to the paths passed as `recordBodiesOf`, in arrival order. */
  bodies: { path: string; json: unknown }[];
  close(): Promise<void>;
}

export async function startRouteServer(routes: ApiRoute[], recordBodiesOf: string[] = []): Promise<RouteServer> {
  const requests: string[] = [];
  const bodies: { path: string; json: unknown }[] = [];
  const server = createServer(async (original, response) => {
    let request: IncomingMessage = original;
    const pathname = new URL(original.url ?? "/", "http://localhost").pathname;
    requests.push(`${original.method} ${pathname}`);
    if (original.method === "POST" && recordBodiesOf.includes(pathname)) {
      // Read the body once, keep a decoded copy, and replay the raw bytes to the route.
      const chunks: Buffer[] = [];
      for await (const chunk of original) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const encoding = original.headers["content-encoding"];
      const decoded = encoding === "br" ? brotliDecompressSync(raw) : encoding === "gzip" ? gunzipSync(raw) : raw;
      bodies.push({ path: pathname, json: JSON.parse(decoded.toString("utf8")) });
      request = Object.assign(Readable.from([raw]), {
        headers: original.headers,
        method: original.method,
        url: original.url,
      }) as unknown as IncomingMessage;
    }
    const route = routes.find(
      (candidate) =>
        (candidate.method === "*" || candidate.method === request.method) &&
        (candidate.path.endsWith("/*") ? pathname.startsWith(candidate.path.slice(0, -1)) : candidate.path === pathname),
    );
    if (route === undefined) {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ code: "NotFound", message: `No route for ${request.method} ${pathname}` }));
      return;
    }
    Promise.resolve(route.handle(request, response)).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

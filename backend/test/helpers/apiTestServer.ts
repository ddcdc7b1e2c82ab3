// Starts the API server over loopback for protocol tests, and a raw sync
// WebSocket client for poking at the wire format directly.

import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { createApiServer, type ApiServer, type ApiServerOptions } from "../../src/http/apiServer.js";
import type { Engine } from "../../src/engine/contract.js";

export interface RunningServer {
  api: ApiServer;
  port: number;
  url: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startServer(engine: Engine, port = 0, extra: Partial<ApiServerOptions> = {}): Promise<RunningServer> {
  const logs: string[] = [];
  const api = createApiServer({ engine, routes: [], log: (line) => logs.push(line), ...extra });
  await new Promise<void>((resolve, reject) => {
    api.server.once("error", reject);
    api.server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (api.server.address() as AddressInfo).port;
  return {
    api,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    logs,
    close: () => new Promise<void>((resolve) => api.server.close(() => resolve())),
  };
}

/** A bare sync socket: send frames, await parsed server messages. */
export class RawSyncClient {
  readonly messages: Record<string, unknown>[] = [];
  closeCode: number | undefined;
  private readonly waiters: { predicate: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  private closedResolve!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve));

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    ws.on("close", (code) => {
      this.closeCode = code;
      this.closedResolve();
    });
    ws.on("error", () => {});
  }

  static async connect(baseUrl: string, path = "/api/1.48.0/sync"): Promise<RawSyncClient> {
    const ws = new WebSocket(baseUrl.replace(/^http/, "ws") + path);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new RawSyncClient(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Resolves with the first message (already received or future) matching `predicate`. */
  next(predicate: (m: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const seen = this.messages.find(predicate);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting; got ${JSON.stringify(this.messages).slice(0, 500)}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  ofType(type: string, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.next((m) => m.type === type, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function decodeWireTs(encoded: unknown): bigint {
  return Buffer.from(String(encoded), "base64").readBigUInt64LE();
}

/** ConvexHttpClient's @internal methods (used by the Convex CLI), absent from its public types. */
export interface InternalHttpClient {
  setAdminAuth(key: string, actingAs?: Record<string, unknown>): void;
  function(name: string, componentPath: string | undefined, args?: Record<string, unknown>): Promise<unknown>;
}

export function asInternal(client: object): InternalHttpClient {
  return client as InternalHttpClient;
}

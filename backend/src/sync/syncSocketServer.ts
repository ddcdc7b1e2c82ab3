// Accepts sync WebSocket upgrades (`/api/<clientVersion>/sync`) and gives each
// connection a SyncSession. All sessions share one SubscriptionManager.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import type { Engine } from "../engine/contract.js";
import { SubscriptionManager } from "./subscriptionManager.js";
import { SyncSession } from "./syncSession.js";

export interface SyncSocketServerOptions {
  engine: Engine;
  log: (line: string, level?: "info" | "debug") => void;
  /** Largest frame a client may send; `ws` closes the socket with 1009 beyond it. */
  maxPayloadBytes?: number;
  pingIntervalMs?: number;
  transitionChunkChars?: number;
}

export const SYNC_PATH = /^\/api\/(?:[^/]+\/)?sync$/;

export class SyncSocketServer {
  readonly manager: SubscriptionManager;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<WebSocket, SyncSession>();
  private nextId = 1;

  constructor(private readonly options: SyncSocketServerOptions) {
    this.manager = new SubscriptionManager(options.engine, { log: (line, level) => options.log(`sync ${line}`, level) });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes ?? 32 * 1024 * 1024,
      perMessageDeflate: false,
    });
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Hands an HTTP upgrade on a sync path to `ws`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const session = new SyncSession({
      id: this.nextId++,
      engine: this.options.engine,
      manager: this.manager,
      log: this.options.log,
      pingIntervalMs: this.options.pingIntervalMs,
      transitionChunkChars: this.options.transitionChunkChars,
      transport: {
        send: (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
        close: (code, reason) => (code === undefined ? ws.close() : ws.close(code, reason)),
      },
    });
    this.sessions.set(ws, session);
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        session.handleFrame("<binary frame>"); // not JSON: answered with FatalError
        return;
      }
      session.handleFrame(rawToString(data));
    });
    ws.on("close", () => {
      session.handleClose();
      this.sessions.delete(ws);
      this.options.log(`ws:${session.id} closed`, "debug");
    });
    ws.on("error", (error) => {
      this.options.log(`ws:${session.id} socket error: ${error.message}`);
    });
  }

  /** Closes every connection (clients will reconnect) and stops listening to commits. */
  close(): void {
    for (const [ws, session] of this.sessions) {
      session.handleClose();
      ws.terminate();
    }
    this.sessions.clear();
    this.wss.close();
    this.manager.dispose();
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

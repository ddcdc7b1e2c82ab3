// The sync WebSocket protocol, as the `convex` npm client speaks it.
//
// The message shapes are declared here rather than imported because
// `convex/browser` does not export them publicly; they follow
// node_modules/convex/src/browser/sync/protocol.ts (convex 1.48.0) field for
// field. All frames are JSON text; u64 timestamps travel as base64 of 8
// little-endian bytes.

import type { JSONValue, Timestamp } from "../engine/contract.js";

export type QueryId = number;
export type QuerySetVersion = number;
export type IdentityVersion = number;
export type RequestId = number;
export type QueryJournal = string | null;

// ---------------------------------------------------------------- client → server

export type ConnectMessage = {
  type: "Connect";
  sessionId: string;
  connectionCount: number;
  lastCloseReason: string | null;
  /** Encoded u64; the newest commit the client has seen. */
  maxObservedTimestamp?: string;
  clientTs?: number;
};

export type AddQuery = {
  type: "Add";
  queryId: QueryId;
  udfPath: string;
  args: JSONValue[];
  journal?: QueryJournal;
  componentPath?: string;
};

export type RemoveQuery = { type: "Remove"; queryId: QueryId };

export type ModifyQuerySetMessage = {
  type: "ModifyQuerySet";
  baseVersion: QuerySetVersion;
  newVersion: QuerySetVersion;
  modifications: (AddQuery | RemoveQuery)[];
};

export type MutationMessage = {
  type: "Mutation";
  requestId: RequestId;
  udfPath: string;
  args: JSONValue[];
  componentPath?: string;
};

export type ActionMessage = {
  type: "Action";
  requestId: RequestId;
  udfPath: string;
  args: JSONValue[];
  componentPath?: string;
};

export type AuthenticateMessage =
  | { type: "Authenticate"; tokenType: "User"; value: string; baseVersion: IdentityVersion }
  | {
      type: "Authenticate";
      tokenType: "Admin";
      value: string;
      baseVersion: IdentityVersion;
      impersonating?: JSONValue;
    }
  | { type: "Authenticate"; tokenType: "None"; baseVersion: IdentityVersion };

export type EventMessage = { type: "Event"; eventType: string; event: unknown };

export type ClientMessage =
  | ConnectMessage
  | ModifyQuerySetMessage
  | MutationMessage
  | ActionMessage
  | AuthenticateMessage
  | EventMessage;

// ---------------------------------------------------------------- server → client

export type StateVersion = { querySet: QuerySetVersion; ts: Timestamp; identity: IdentityVersion };

export type QueryUpdated = {
  type: "QueryUpdated";
  queryId: QueryId;
  value: JSONValue;
  logLines: string[];
  journal: QueryJournal;
};
export type QueryFailed = {
  type: "QueryFailed";
  queryId: QueryId;
  errorMessage: string;
  logLines: string[];
  /** Omitted unless the query threw a ConvexError (the client turns any present value into ConvexError.data). */
  errorData?: JSONValue;
  journal: QueryJournal;
};
export type QueryRemoved = { type: "QueryRemoved"; queryId: QueryId };
export type StateModification = QueryUpdated | QueryFailed | QueryRemoved;

export type MutationResponseMessage =
  | { type: "MutationResponse"; requestId: RequestId; success: true; result: JSONValue; ts: string; logLines: string[] }
  | {
      type: "MutationResponse";
      requestId: RequestId;
      success: false;
      result: string;
      logLines: string[];
      errorData?: JSONValue;
    };

export type ActionResponseMessage =
  | { type: "ActionResponse"; requestId: RequestId; success: true; result: JSONValue; logLines: string[] }
  | {
      type: "ActionResponse";
      requestId: RequestId;
      success: false;
      result: string;
      logLines: string[];
      errorData?: JSONValue;
    };

export type AuthErrorMessage = {
  type: "AuthError";
  error: string;
  baseVersion: IdentityVersion;
  /** True when answering an `Authenticate`; false when a held token expired. */
  authUpdateAttempted: boolean;
};

export type FatalErrorMessage = { type: "FatalError"; error: string };
export type PingMessage = { type: "Ping" };
export type TransitionChunkMessage = {
  type: "TransitionChunk";
  chunk: string;
  partNumber: number;
  totalParts: number;
  transitionId: string;
};

// ---------------------------------------------------------------- timestamps

/** u64 → base64 of its 8 little-endian bytes, as the client's `longToU64` expects. */
export function encodeTs(ts: Timestamp): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, ts));
  return bytes.toString("base64");
}

/** Inverse of `encodeTs`; undefined when `encoded` is not 8 bytes of base64. */
export function decodeTs(encoded: string): Timestamp | undefined {
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.length !== 8) return undefined;
  return bytes.readBigUInt64LE();
}

// ---------------------------------------------------------------- parsing

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: string };

/**
 * Parses and shape-checks one text frame. Every rejection carries the text the
 * client will see in its `FatalError`, in the spirit of the Convex backend's
 * "Received Invalid JSON on websocket: …".
 */
export function parseClientMessage(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return invalid(`${(e as Error).message}`);
  }
  if (!isObject(raw)) return invalid("expected a JSON object");
  const type = raw.type;
  switch (type) {
    case "Connect": {
      if (typeof raw.sessionId !== "string") return invalid("Connect.sessionId must be a string");
      if (!isNonNegativeInt(raw.connectionCount)) return invalid("Connect.connectionCount must be a non-negative integer");
      if (raw.maxObservedTimestamp !== undefined && raw.maxObservedTimestamp !== null) {
        if (typeof raw.maxObservedTimestamp !== "string" || decodeTs(raw.maxObservedTimestamp) === undefined) {
          return invalid("Connect.maxObservedTimestamp must be a base64 u64");
        }
      }
      return ok({
        type,
        sessionId: raw.sessionId,
        connectionCount: raw.connectionCount,
        lastCloseReason: typeof raw.lastCloseReason === "string" ? raw.lastCloseReason : null,
        maxObservedTimestamp: typeof raw.maxObservedTimestamp === "string" ? raw.maxObservedTimestamp : undefined,
        clientTs: typeof raw.clientTs === "number" ? raw.clientTs : undefined,
      });
    }
    case "ModifyQuerySet": {
      if (!isNonNegativeInt(raw.baseVersion) || !isNonNegativeInt(raw.newVersion)) {
        return invalid("ModifyQuerySet.baseVersion and newVersion must be non-negative integers");
      }
      if (!Array.isArray(raw.modifications)) return invalid("ModifyQuerySet.modifications must be an array");
      const modifications: (AddQuery | RemoveQuery)[] = [];
      for (const m of raw.modifications) {
        if (!isObject(m) || !isNonNegativeInt(m.queryId)) return invalid("each modification needs a non-negative integer queryId");
        if (m.type === "Remove") {
          modifications.push({ type: "Remove", queryId: m.queryId });
        } else if (m.type === "Add") {
          if (typeof m.udfPath !== "string") return invalid("Add.udfPath must be a string");
          if (!Array.isArray(m.args)) return invalid("Add.args must be an array");
          if (m.journal !== undefined && m.journal !== null && typeof m.journal !== "string") {
            return invalid("Add.journal must be a string or null");
          }
          if (m.componentPath !== undefined && m.componentPath !== null && typeof m.componentPath !== "string") {
            return invalid("Add.componentPath must be a string");
          }
          modifications.push({
            type: "Add",
            queryId: m.queryId,
            udfPath: m.udfPath,
            args: m.args as JSONValue[],
            journal: typeof m.journal === "string" ? m.journal : null,
            componentPath: typeof m.componentPath === "string" ? m.componentPath : undefined,
          });
        } else {
          return invalid(`unknown query set modification type ${JSON.stringify(m.type)}`);
        }
      }
      return ok({ type, baseVersion: raw.baseVersion, newVersion: raw.newVersion, modifications });
    }
    case "Mutation":
    case "Action": {
      if (!isNonNegativeInt(raw.requestId)) return invalid(`${type}.requestId must be a non-negative integer`);
      if (typeof raw.udfPath !== "string") return invalid(`${type}.udfPath must be a string`);
      if (!Array.isArray(raw.args)) return invalid(`${type}.args must be an array`);
      if (raw.componentPath !== undefined && raw.componentPath !== null && typeof raw.componentPath !== "string") {
        return invalid(`${type}.componentPath must be a string`);
      }
      return ok({
        type,
        requestId: raw.requestId,
        udfPath: raw.udfPath,
        args: raw.args as JSONValue[],
        componentPath: typeof raw.componentPath === "string" ? raw.componentPath : undefined,
      });
    }
    case "Authenticate": {
      if (!isNonNegativeInt(raw.baseVersion)) return invalid("Authenticate.baseVersion must be a non-negative integer");
      const baseVersion = raw.baseVersion;
      if (raw.tokenType === "None") return ok({ type, tokenType: "None", baseVersion });
      if (raw.tokenType === "User" || raw.tokenType === "Admin") {
        if (typeof raw.value !== "string") return invalid("Authenticate.value must be a string");
        if (raw.tokenType === "User") return ok({ type, tokenType: "User", value: raw.value, baseVersion });
        return ok({
          type,
          tokenType: "Admin",
          value: raw.value,
          baseVersion,
          impersonating: raw.impersonating === undefined ? undefined : (raw.impersonating as JSONValue),
        });
      }
      return invalid(`unknown Authenticate.tokenType ${JSON.stringify(raw.tokenType)}`);
    }
    case "Event":
      return ok({ type, eventType: String(raw.eventType), event: raw.event });
    default:
      return invalid(`unknown message type ${JSON.stringify(type)}`);
  }
}

function ok(message: ClientMessage): ParseResult {
  return { ok: true, message };
}

function invalid(detail: string): ParseResult {
  return { ok: false, error: `Received Invalid JSON on websocket: ${detail}` };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** The client's canonical form: "mod:fn", a missing export means `default`, `.js` dropped. */
export function canonicalizeUdfPath(udfPath: string): string {
  const pieces = udfPath.split(":");
  let moduleName: string;
  let functionName: string;
  if (pieces.length === 1) {
    moduleName = pieces[0]!;
    functionName = "default";
  } else {
    moduleName = pieces.slice(0, -1).join(":");
    functionName = pieces[pieces.length - 1]!;
  }
  if (moduleName.endsWith(".js")) moduleName = moduleName.slice(0, -3);
  return `${moduleName}:${functionName}`;
}

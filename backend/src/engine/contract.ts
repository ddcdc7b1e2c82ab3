// The contract between the backend's layers.
//
// The protocol layers (sync WebSocket, HTTP API, push API) talk to the
// function-running core only through `Engine`. The core knows nothing of
// sockets; the protocols know nothing of SQLite. This mirrors how the real
// Convex backend splits `application` from `sync` and `database`.

/** A JSON value as it travels on the wire (Convex-encoded: `$integer`, `$bytes`, …). */
export type JSONValue =
  | null
  | boolean
  | number
  | string
  | JSONValue[]
  | { [key: string]: JSONValue };

/**
 * A logical timestamp. Commits get strictly increasing timestamps; the sync
 * protocol carries them as base64 of 8 little-endian bytes.
 */
export type Timestamp = bigint;

/** Exactly the shape `ctx.auth.getUserIdentity()` returns (Convex's `UserIdentity`). */
export type UserIdentity = {
  tokenIdentifier: string;
  subject: string;
  issuer: string;
  [claim: string]: JSONValue;
};

/** Who is calling. Resolved once per connection or request by `Engine.authenticate`. */
export type AuthState =
  | { kind: "none" }
  | { kind: "user"; identity: UserIdentity; token: string; expiresAtMs?: number }
  /** The deployment's admin key: may call internal functions; optionally acting as a user. */
  | { kind: "admin"; impersonating?: UserIdentity };

export type UdfType = "query" | "mutation" | "action";

export interface FunctionCall {
  /** "path/to/module:exportName"; "module" alone means the default export. A `.js` suffix is tolerated. */
  udfPath: string;
  /** Component path, "" (or undefined) for the app itself. */
  componentPath?: string;
  /** The arguments object, Convex-encoded JSON (not wrapped in an array). */
  args: JSONValue;
  auth: AuthState;
  /** Set by callers holding the admin key: internal functions may then be called. */
  allowInternal?: boolean;
  /** Free-form caller description for logs, e.g. "ws:3" or "http". */
  caller?: string;
  /**
   * Checked right before a queued mutation starts: false skips it (its client
   * disconnected, and will resend what it never got an answer for).
   */
  stillWanted?: () => boolean;
}

export type Outcome =
  | {
      success: true;
      value: JSONValue;
      logLines: string[];
      /**
       * The value as JSON text when the engine has it already serialized:
       * transports send it as is instead of stringifying `value` again.
       */
      valueJson?: string;
    }
  | {
      success: false;
      errorMessage: string;
      /** Present when the function threw a `ConvexError`: its `data`, Convex-encoded. */
      errorData?: JSONValue;
      logLines: string[];
    };

/** Opaque record of what a query read; lets the sync layer decide what a commit invalidates. */
export interface ReadSet {
  intersects(writes: WriteSet): boolean;
}

/** Opaque record of what a commit wrote. */
export interface WriteSet {
  readonly isEmpty: boolean;
}

export type QueryOutcome = Outcome & {
  /** The snapshot the query read. */
  ts: Timestamp;
  readSet: ReadSet;
  /** Pagination journal to send back with the result (Convex's `QueryJournal`), or null. */
  journal: string | null;
};

export type MutationOutcome = Outcome & {
  /** The commit's timestamp (a failed mutation commits nothing and reports the latest ts). */
  ts: Timestamp;
};

export interface Commit {
  ts: Timestamp;
  writes: WriteSet;
}

export type AuthenticateRequest =
  | { tokenType: "None" }
  | { tokenType: "User"; value: string }
  | { tokenType: "Admin"; value: string; impersonating?: JSONValue };

/** Thrown by `Engine.authenticate` for a token that is forged, expired or otherwise unacceptable. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthenticationError";
  }
}

export interface Engine {
  /** Run a query at the latest snapshot. `journal` is the one the client sent back (pagination). */
  runQuery(call: FunctionCall, journal?: string | null): Promise<QueryOutcome>;
  runMutation(call: FunctionCall): Promise<MutationOutcome>;
  runAction(call: FunctionCall): Promise<Outcome>;
  /** Runs whichever kind of function `udfPath` names (the `/api/function` route, `npx convex run`). */
  runFunction(call: FunctionCall): Promise<Outcome & { udfType: UdfType }>;
  authenticate(request: AuthenticateRequest): Promise<AuthState>;
  /** True when `key` is this deployment's admin key. */
  isAdminKey(key: string): boolean;
  /** Timestamp of the latest commit. */
  latestTs(): Timestamp;
  /** Called after every commit, in commit order. Returns an unsubscribe function. */
  onCommit(listener: (commit: Commit) => void): () => void;
}

/**
 * The backend's log. "debug" lines (every successful request) are shown only
 * when SEMS_LOG_LEVEL=debug: at thousands of requests a second, writing each
 * one to the terminal would cost more than serving it.
 */
export type LogFn = (line: string, level?: "info" | "debug") => void;

/** A route on the API port, registered by a protocol module. */
export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS" | "*";
  /** Exact path, or a prefix when it ends with "/*". */
  path: string;
  handle(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse): Promise<void> | void;
}

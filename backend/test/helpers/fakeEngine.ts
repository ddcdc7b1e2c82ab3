// An in-memory Engine for testing the protocol layers: counters and chat
// messages, read sets and write sets keyed by "table:key", commit
// notifications in commit order, users by token. It records every call so
// tests can count how often a query really ran.

import {
  AuthenticationError,
  type AuthenticateRequest,
  type AuthState,
  type Commit,
  type Engine,
  type FunctionCall,
  type JSONValue,
  type MutationOutcome,
  type Outcome,
  type QueryOutcome,
  type ReadSet,
  type Timestamp,
  type UdfType,
  type UserIdentity,
  type WriteSet,
} from "../../src/engine/contract.js";

class Keys implements ReadSet, WriteSet {
  constructor(readonly keys = new Set<string>()) {}
  get isEmpty(): boolean {
    return this.keys.size === 0;
  }
  intersects(writes: WriteSet): boolean {
    for (const key of (writes as Keys).keys) if (this.keys.has(key)) return true;
    return false;
  }
}

interface Ctx {
  args: Record<string, JSONValue>;
  auth: AuthState;
  reads: Keys;
  writes: Keys;
  journal: string | null;
  engine: FakeEngine;
  logLines: string[];
  log(line: string): void;
}

type Result = { value: JSONValue; journal?: string | null } | { error: string; data?: JSONValue };

interface FakeFunction {
  type: UdfType;
  internal?: boolean;
  handler(ctx: Ctx): Result | Promise<Result>;
}

export const ADMIN_KEY = "admin-key";
export const ALICE: UserIdentity = { tokenIdentifier: "https://auth.test|alice", subject: "alice", issuer: "https://auth.test", name: "Alice" };
export const BOB: UserIdentity = { tokenIdentifier: "https://auth.test|bob", subject: "bob", issuer: "https://auth.test", name: "Bob" };

export class FakeEngine implements Engine {
  readonly counters = new Map<string, number>();
  readonly messages: { channel: string; author: string; body: string }[] = [];
  /** Every call, in order. */
  readonly calls: { kind: UdfType; udfPath: string; args: JSONValue; auth: AuthState; journal?: string | null }[] = [];
  /** Extra latency for every query run, to widen races in tests. */
  queryDelayMs = 0;
  /** "sync": listeners run inside the commit; "async": on a later macrotask. */
  commitDelivery: "sync" | "async" = "sync";
  private ts: Timestamp = 1000n;
  private readonly listeners = new Set<(commit: Commit) => void>();
  readonly functions: Record<string, FakeFunction> = {
    "counter:get": {
      type: "query",
      handler: (ctx) => {
        const name = String(ctx.args.name);
        ctx.reads.keys.add(`counter:${name}`);
        return { value: this.counters.get(name) ?? 0 };
      },
    },
    "counter:increment": {
      type: "mutation",
      handler: async (ctx) => {
        const name = String(ctx.args.name);
        const delayMs = typeof ctx.args.delayMs === "number" ? ctx.args.delayMs : 0;
        if (delayMs > 0) await sleep(delayMs);
        const next = (this.counters.get(name) ?? 0) + (typeof ctx.args.by === "number" ? ctx.args.by : 1);
        this.counters.set(name, next);
        ctx.writes.keys.add(`counter:${name}`);
        ctx.log(`incremented ${name} to ${next}`);
        return { value: next };
      },
    },
    "messages:list": {
      type: "query",
      handler: (ctx) => {
        const channel = String(ctx.args.channel);
        ctx.reads.keys.add(`messages:${channel}`);
        return { value: this.messages.filter((m) => m.channel === channel).map((m) => ({ author: m.author, body: m.body })) };
      },
    },
    "messages:send": {
      type: "mutation",
      handler: (ctx) => {
        const channel = String(ctx.args.channel);
        const author = ctx.auth.kind === "user" ? String(ctx.auth.identity.name ?? ctx.auth.identity.subject) : "anonymous";
        this.messages.push({ channel, author, body: String(ctx.args.body) });
        ctx.writes.keys.add(`messages:${channel}`);
        return { value: null };
      },
    },
    // Pagination with a journal: the first run records the key of its last
    // item in the journal; later runs end the page at that key, so rows
    // inserted before it grow the page instead of shifting its boundary.
    "messages:page": {
      type: "query",
      handler: (ctx) => {
        const channel = String(ctx.args.channel);
        ctx.reads.keys.add(`messages:${channel}`);
        const opts = ctx.args.paginationOpts as { numItems: number; cursor: string | null };
        const bodies = this.messages.filter((m) => m.channel === channel).map((m) => m.body);
        const start = opts.cursor === null ? 0 : bodies.indexOf(opts.cursor) + 1;
        const pinned = ctx.journal === null ? undefined : (JSON.parse(ctx.journal) as { endKey: string }).endKey;
        const end = pinned !== undefined && bodies.includes(pinned) ? bodies.indexOf(pinned) + 1 : Math.min(bodies.length, start + opts.numItems);
        const page = bodies.slice(start, end);
        const endKey = page.length > 0 ? page[page.length - 1]! : (opts.cursor ?? "");
        return {
          value: { page, isDone: end >= bodies.length, continueCursor: endKey },
          journal: JSON.stringify({ endKey }),
        };
      },
    },
    "auth:whoami": {
      type: "query",
      handler: (ctx) => {
        const auth = ctx.auth;
        if (auth.kind === "user") return { value: auth.identity.tokenIdentifier };
        if (auth.kind === "admin") return { value: auth.impersonating ? `admin as ${auth.impersonating.tokenIdentifier}` : "admin" };
        return { value: null };
      },
    },
    "errors:convexErrorQuery": { type: "query", handler: () => convexError() },
    "errors:convexErrorMutation": { type: "mutation", handler: () => convexError() },
    "errors:convexErrorAction": { type: "action", handler: () => convexError() },
    "errors:plainMutation": { type: "mutation", handler: () => ({ error: "Uncaught Error: boom" }) },
    "errors:throwingQuery": {
      type: "query",
      handler: () => {
        throw new Error("engine blew up");
      },
    },
    "admin:secret": { type: "query", internal: true, handler: () => ({ value: "the secret" }) },
    "actions:double": { type: "action", handler: (ctx) => ({ value: Number(ctx.args.x) * 2 }) },
    "actions:incrementTwice": {
      type: "action",
      handler: async (ctx) => {
        for (let i = 0; i < 2; i++) {
          await this.runMutation({ udfPath: "counter:increment", args: { name: ctx.args.name ?? "a" }, auth: ctx.auth });
        }
        return { value: this.counters.get(String(ctx.args.name ?? "a")) ?? 0 };
      },
    },
    "big:blob": {
      type: "query",
      handler: (ctx) => ({ value: "x".repeat(Number(ctx.args.size)) }),
    },
  };

  queryRuns(udfPath: string): number {
    return this.calls.filter((c) => c.kind === "query" && c.udfPath === udfPath).length;
  }

  latestTs(): Timestamp {
    return this.ts;
  }

  onCommit(listener: (commit: Commit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get commitListenerCount(): number {
    return this.listeners.size;
  }

  isAdminKey(key: string): boolean {
    return key === ADMIN_KEY;
  }

  async authenticate(request: AuthenticateRequest): Promise<AuthState> {
    await sleep(1);
    if (request.tokenType === "None") return { kind: "none" };
    if (request.tokenType === "Admin") {
      if (request.value !== ADMIN_KEY) throw new AuthenticationError("The provided admin key was invalid for this instance");
      if (request.impersonating === undefined) return { kind: "admin" };
      const attrs = request.impersonating as Record<string, JSONValue>;
      const subject = String(attrs.subject ?? "impersonated");
      const issuer = String(attrs.issuer ?? "https://impersonation.test");
      return { kind: "admin", impersonating: { ...attrs, subject, issuer, tokenIdentifier: `${issuer}|${subject}` } };
    }
    if (request.value === "good") return { kind: "user", identity: ALICE, token: request.value };
    if (request.value === "good-bob") return { kind: "user", identity: BOB, token: request.value };
    const expiring = /^expiring:(\d+)$/.exec(request.value);
    if (expiring) return { kind: "user", identity: ALICE, token: request.value, expiresAtMs: Date.now() + Number(expiring[1]) };
    throw new AuthenticationError("Could not verify token: the token is not valid");
  }

  async runQuery(call: FunctionCall, journal?: string | null): Promise<QueryOutcome> {
    this.calls.push({ kind: "query", udfPath: call.udfPath, args: call.args, auth: call.auth, journal: journal ?? null });
    if (this.queryDelayMs > 0) await sleep(this.queryDelayMs);
    const ts = this.ts;
    const ctx = this.ctx(call, journal ?? null);
    const outcome = await this.execute("query", call, ctx);
    return { ...outcome, ts, readSet: ctx.reads, journal: ctx.journal };
  }

  async runMutation(call: FunctionCall): Promise<MutationOutcome> {
    this.calls.push({ kind: "mutation", udfPath: call.udfPath, args: call.args, auth: call.auth });
    const ctx = this.ctx(call, null);
    const outcome = await this.execute("mutation", call, ctx);
    if (!outcome.success) return { ...outcome, ts: this.ts };
    this.ts += 1n;
    const commit: Commit = { ts: this.ts, writes: ctx.writes };
    if (this.commitDelivery === "sync") this.notify(commit);
    else setTimeout(() => this.notify(commit), 5);
    return { ...outcome, ts: commit.ts };
  }

  async runAction(call: FunctionCall): Promise<Outcome> {
    this.calls.push({ kind: "action", udfPath: call.udfPath, args: call.args, auth: call.auth });
    return this.execute("action", call, this.ctx(call, null));
  }

  async runFunction(call: FunctionCall): Promise<Outcome & { udfType: UdfType }> {
    const fn = this.functions[call.udfPath];
    const udfType = fn?.type ?? "query";
    const outcome =
      udfType === "query" ? await this.runQuery(call) : udfType === "mutation" ? await this.runMutation(call) : await this.runAction(call);
    const { success, logLines } = outcome;
    if (success) return { success, value: outcome.value, logLines, udfType };
    return { success, errorMessage: outcome.errorMessage, ...(outcome.errorData === undefined ? {} : { errorData: outcome.errorData }), logLines, udfType };
  }

  private ctx(call: FunctionCall, journal: string | null): Ctx {
    const logLines: string[] = [];
    return {
      args: (call.args ?? {}) as Record<string, JSONValue>,
      auth: call.auth,
      reads: new Keys(),
      writes: new Keys(),
      journal,
      engine: this,
      logLines,
      log: (line) => logLines.push(line),
    };
  }

  private async execute(kind: UdfType, call: FunctionCall, ctx: Ctx): Promise<Outcome> {
    const logLines = ctx.logLines;
    const fn = this.functions[call.udfPath];
    if (!fn || fn.type !== kind || (fn.internal && !call.allowInternal)) {
      return {
        success: false,
        errorMessage: `Could not find public function for '${call.udfPath}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
        logLines,
      };
    }
    const result = await fn.handler(ctx);
    if ("error" in result) {
      return { success: false, errorMessage: result.error, ...(result.data === undefined ? {} : { errorData: result.data }), logLines };
    }
    if (result.journal !== undefined) ctx.journal = result.journal;
    return { success: true, value: result.value, logLines };
  }

  private notify(commit: Commit): void {
    for (const listener of [...this.listeners]) listener(commit);
  }
}

/** ConvexError data, Convex-encoded: includes an int64 (5n) to prove encoding survives. */
export const CONVEX_ERROR_DATA: JSONValue = { code: "LIMIT", limit: { $integer: Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]).toString("base64") } };

function convexError(): Result {
  return { error: "Uncaught ConvexError: limit reached", data: CONVEX_ERROR_DATA };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// One sync WebSocket connection: its query set, identity, in-flight
// mutations and actions, and the stream of Transitions it has been sent.
//
// Rules the `convex` client imposes (node_modules/convex/src/browser/sync):
// - A Transition's startVersion must equal the last endVersion sent on this
//   connection (remote_query_set.ts throws otherwise). `flush` is synchronous
//   and is the only writer of `sent`, so transitions are serialized.
// - A successful mutation resolves on the client only once a Transition with
//   `endVersion.ts >= MutationResponse.ts` arrives *after* the response
//   (request_manager.ts), so every MutationResponse is followed by a
//   Transition reaching its ts, even an empty one.
// - A successful Authenticate is acknowledged by a Transition whose
//   identity version is one higher; a failed one by `AuthError` with
//   `authUpdateAttempted: true`, after which the socket is closed (the
//   client fetches a fresh token and reconnects), as the Convex backend does.

import type { AuthState, Engine, FunctionCall, JSONValue, Outcome, Timestamp } from "../engine/contract.js";
import {
  canonicalizeUdfPath,
  decodeTs,
  encodeTs,
  parseClientMessage,
  type ActionMessage,
  type AddQuery,
  type AuthenticateMessage,
  type ClientMessage,
  type IdentityVersion,
  type ModifyQuerySetMessage,
  type MutationMessage,
  type QueryId,
  type QuerySetVersion,
} from "./protocol.js";
import {
  SharedSubscription,
  firstLine,
  serializeResult,
  SubscriptionManager,
  type CommitHorizonListener,
  type SubscriptionListener,
  type SubscriptionSpec,
} from "./subscriptionManager.js";

/** The socket as the session sees it. */
export interface SessionTransport {
  send(text: string): void;
  /** Close code 1011 asks the client to reconnect; no code (1005) is a plain close. */
  close(code?: number, reason?: string): void;
}

export interface SyncSessionOptions {
  id: number;
  engine: Engine;
  manager: SubscriptionManager;
  transport: SessionTransport;
  log: (line: string, level?: "info" | "debug") => void;
  /** Idle time after which a `Ping` is sent; the client reconnects after 60 s of silence. */
  pingIntervalMs?: number;
  /** Transitions longer than this many characters go out as `TransitionChunk`s. */
  transitionChunkChars?: number;
}

const DEFAULT_PING_INTERVAL_MS = 15_000;
const DEFAULT_TRANSITION_CHUNK_CHARS = 5_000_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Validity of a result that never changes (a query refused before it ran). */
const FOREVER: Timestamp = 2n ** 64n - 1n;

interface SessionQuery {
  udfPath: string;
  componentPath: string;
  args: JSONValue;
  journal: string | null;
  sub: SharedSubscription;
  /** The result tail last sent for this query id; undefined until its first result goes out. */
  sentTail: string | undefined;
}

interface Version {
  querySet: QuerySetVersion;
  ts: Timestamp;
  identity: IdentityVersion;
}

export class SyncSession implements SubscriptionListener, CommitHorizonListener {
  readonly id: number;
  private readonly engine: Engine;
  private readonly manager: SubscriptionManager;
  private readonly transport: SessionTransport;
  private readonly log: (line: string, level?: "info" | "debug") => void;
  private readonly transitionChunkChars: number;

  private closed = false;
  private auth: AuthState = { kind: "none" };
  private receivedQuerySetVersion: QuerySetVersion = 0;
  private receivedIdentityVersion: IdentityVersion = 0;
  /** The endVersion of the last Transition sent; the client starts from all zeros. */
  private sent: Version = { querySet: 0, ts: 0n, identity: 0 };
  private readonly queries = new Map<QueryId, SessionQuery>();
  private readonly pendingRemovals = new Set<QueryId>();
  /** Highest ts of a MutationResponse that still needs a Transition reaching it. */
  private awaitedTs: Timestamp | undefined;
  private flushScheduled = false;
  private listeningToHorizon = false;
  private clientClockSkew: number | undefined;
  private sessionId = "";
  private transitionCount = 0;
  private lastSentAt = Date.now();

  /** Client messages are handled one at a time, in order (Authenticate awaits the engine). */
  private inbox: Promise<void> = Promise.resolve();
  /** Mutations run one after another, in the order the client sent them. */
  private mutationChain: Promise<void> = Promise.resolve();
  private readonly pingTimer: ReturnType<typeof setInterval>;
  private authExpiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SyncSessionOptions) {
    this.id = options.id;
    this.engine = options.engine;
    this.manager = options.manager;
    this.transport = options.transport;
    this.log = options.log;
    this.transitionChunkChars = options.transitionChunkChars ?? DEFAULT_TRANSITION_CHUNK_CHARS;
    const pingInterval = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastSentAt >= pingInterval * 0.9) this.send('{"type":"Ping"}');
    }, pingInterval);
    this.pingTimer.unref?.();
  }

  private get tag(): string {
    return `ws:${this.id}`;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get queryCount(): number {
    return this.queries.size;
  }

  // ------------------------------------------------------------ input

  /** One text frame from the client. Never throws. */
  handleFrame(text: string): void {
    if (this.closed) return;
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.fatal(parsed.error);
      return;
    }
    const message = parsed.message;
    this.inbox = this.inbox
      .then(() => (this.closed ? undefined : this.handleMessage(message)))
      .catch((error: unknown) => this.internalError(error));
  }

  /** The socket is gone (either side closed it). */
  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    if (this.authExpiryTimer) clearTimeout(this.authExpiryTimer);
    for (const query of this.queries.values()) this.manager.release(query.sub, this);
    this.queries.clear();
    this.stopListeningToHorizon();
  }

  private async handleMessage(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case "Connect":
        return this.handleConnect(message.sessionId, message.clientTs, message.maxObservedTimestamp);
      case "ModifyQuerySet":
        return this.handleModifyQuerySet(message);
      case "Authenticate":
        return this.handleAuthenticate(message);
      case "Mutation":
        return this.handleMutation(message);
      case "Action":
        return this.handleAction(message);
      case "Event":
        return; // client telemetry
    }
  }

  private handleConnect(sessionId: string, clientTs: number | undefined, maxObserved: string | undefined): void {
    this.sessionId = sessionId;
    if (clientTs !== undefined) this.clientClockSkew = clientTs - Date.now();
    const observed = maxObserved === undefined ? undefined : decodeTs(maxObserved);
    if (observed !== undefined && observed > this.engine.latestTs()) {
      // The Convex backend refuses such a client (it saw writes this backend
      // lacks, e.g. a data directory was replaced). We serve it and say so.
      this.log(`${this.tag} client has seen ts ${observed} ahead of the latest ts ${this.engine.latestTs()}`);
    }
    this.log(`${this.tag} connect session ${sessionId.slice(0, 8)}`, "debug");
  }

  private handleModifyQuerySet(message: ModifyQuerySetMessage): void {
    if (message.baseVersion !== this.receivedQuerySetVersion) {
      this.fatal(
        `Base version ${message.baseVersion} passed up doesn't match the current version ${this.receivedQuerySetVersion}`,
      );
      return;
    }
    if (message.newVersion <= message.baseVersion) {
      this.fatal(`New query set version ${message.newVersion} must be greater than base version ${message.baseVersion}`);
      return;
    }
    for (const modification of message.modifications) {
      if (modification.type === "Add") {
        if (this.queries.has(modification.queryId)) {
          this.internalError(new Error(`Duplicate query ID: ${modification.queryId}`));
          return;
        }
        this.addQuery(modification);
      } else {
        const query = this.queries.get(modification.queryId);
        if (!query) {
          this.internalError(new Error(`Nonexistent query id: ${modification.queryId}`));
          return;
        }
        this.manager.release(query.sub, this);
        this.queries.delete(modification.queryId);
        this.pendingRemovals.add(modification.queryId);
      }
    }
    this.receivedQuerySetVersion = message.newVersion;
    this.scheduleFlush();
  }

  private addQuery(add: AddQuery): void {
    const udfPath = canonicalizeUdfPath(add.udfPath);
    const componentPath = add.componentPath ?? "";
    const journal = add.journal ?? null;
    // A removal of the same id earlier in this batch is superseded.
    this.pendingRemovals.delete(add.queryId);
    const query: SessionQuery = {
      udfPath,
      componentPath,
      args: add.args.length === 1 ? (add.args[0] as JSONValue) : (null as JSONValue),
      journal,
      sub: undefined as unknown as SharedSubscription,
      sentTail: undefined,
    };
    query.sub = this.subscribe(query, add.args.length === 1 ? undefined : "Expected exactly one arguments object");
    this.queries.set(add.queryId, query);
  }

  /** Subscribes `query` under the current identity, or to a fixed failure when it may not run. */
  private subscribe(query: SessionQuery, refusal?: string): SharedSubscription {
    const spec: SubscriptionSpec = {
      udfPath: query.udfPath,
      componentPath: query.componentPath,
      args: query.args,
      auth: this.auth,
      allowInternal: this.auth.kind === "admin",
      journal: query.journal,
    };
    const why = refusal ?? this.componentRefusal(query.componentPath);
    if (why !== undefined) return refusedSubscription(spec, why);
    return this.manager.acquire(spec, this);
  }

  private componentRefusal(componentPath: string): string | undefined {
    if (componentPath === "" || this.auth.kind === "admin") return undefined;
    return "Only admin or system users can call functions on non-root components directly";
  }

  private async handleAuthenticate(message: AuthenticateMessage): Promise<void> {
    if (message.baseVersion !== this.receivedIdentityVersion) {
      this.internalError(
        new Error(`Authenticate baseVersion ${message.baseVersion} doesn't match the identity version ${this.receivedIdentityVersion}`),
      );
      return;
    }
    let auth: AuthState;
    try {
      auth =
        message.tokenType === "None"
          ? { kind: "none" }
          : message.tokenType === "User"
            ? await this.engine.authenticate({ tokenType: "User", value: message.value })
            : await this.engine.authenticate({
                tokenType: "Admin",
                value: message.value,
                ...(message.impersonating === undefined ? {} : { impersonating: message.impersonating }),
              });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log(`${this.tag} authenticate ${message.tokenType} refused: ${firstLine(text)}`);
      this.authError(text, true);
      return;
    }
    if (this.closed) return;
    this.receivedIdentityVersion += 1;
    this.setAuth(auth);
    this.log(`${this.tag} authenticate ${describeAuth(auth)}`, "debug");
    // Re-key every query under the new identity. Queries whose identity key is
    // unchanged (a refreshed token for the same user) keep their subscription.
    for (const query of this.queries.values()) {
      const old = query.sub;
      query.sub = this.subscribe(query);
      this.manager.release(old, this); // after acquiring, so a shared subscription is never dropped in between
    }
    this.scheduleFlush();
  }

  private setAuth(auth: AuthState): void {
    this.auth = auth;
    if (this.authExpiryTimer) clearTimeout(this.authExpiryTimer);
    this.authExpiryTimer = undefined;
    if (auth.kind === "user" && auth.expiresAtMs !== undefined) {
      const delay = Math.max(0, Math.min(auth.expiresAtMs - Date.now(), MAX_TIMER_MS));
      this.authExpiryTimer = setTimeout(() => {
        if (this.auth === auth) this.tokenExpired();
      }, delay);
      this.authExpiryTimer.unref?.();
    }
  }

  /** True (and the client told) when the held user token has expired. */
  private checkTokenExpired(): boolean {
    if (this.auth.kind === "user" && this.auth.expiresAtMs !== undefined && this.auth.expiresAtMs <= Date.now()) {
      this.tokenExpired();
      return true;
    }
    return false;
  }

  private tokenExpired(): void {
    if (this.closed) return;
    this.log(`${this.tag} token expired`);
    // `authUpdateAttempted: false` makes the client fetch a fresh token and
    // re-authenticate (authentication_manager.ts `tryToReauthenticate`).
    this.authError("Convex token identity expired", false);
  }

  private handleMutation(message: MutationMessage): void {
    if (this.checkTokenExpired()) return;
    const call = this.callFor(message);
    const refusal = this.callRefusal(message);
    const started = Date.now();
    // Handed to the engine at once: its queue keeps this client's mutations in
    // order, and mutations waiting there can share one commit (group commit).
    // Only the answers are chained, so they go out in order too.
    const run: Promise<Outcome & { ts?: Timestamp }> =
      refusal !== undefined
        ? Promise.resolve({ success: false, errorMessage: refusal, logLines: [] })
        : this.engine.runMutation({ ...call, stillWanted: () => !this.closed }).catch(engineFailure);
    this.mutationChain = this.mutationChain.then(async () => {
      const outcome = await run;
      if (this.closed) return;
      this.logCall("mutation", call.udfPath, outcome, started);
      if (this.closed) return;
      if (outcome.success && outcome.ts !== undefined) {
        this.send(
          `{"type":"MutationResponse","requestId":${message.requestId},"success":true,"result":${JSON.stringify(outcome.value ?? null)},"ts":"${encodeTs(outcome.ts)}","logLines":${JSON.stringify(outcome.logLines)}}`,
        );
        if (this.awaitedTs === undefined || outcome.ts > this.awaitedTs) this.awaitedTs = outcome.ts;
        this.scheduleFlush();
      } else {
        this.send(failureResponse("MutationResponse", message.requestId, outcome));
      }
    });
  }

  private handleAction(message: ActionMessage): void {
    if (this.checkTokenExpired()) return;
    const call = this.callFor(message);
    const refusal = this.callRefusal(message);
    const started = Date.now();
    const run: Promise<Outcome> =
      refusal !== undefined
        ? Promise.resolve({ success: false, errorMessage: refusal, logLines: [] })
        : this.engine.runAction(call).catch(engineFailure);
    void run.then((outcome) => {
      this.logCall("action", call.udfPath, outcome, started);
      if (this.closed) return;
      if (outcome.success) {
        this.send(
          `{"type":"ActionResponse","requestId":${message.requestId},"success":true,"result":${JSON.stringify(outcome.value ?? null)},"logLines":${JSON.stringify(outcome.logLines)}}`,
        );
      } else {
        this.send(failureResponse("ActionResponse", message.requestId, outcome));
      }
    });
  }

  private callFor(message: MutationMessage | ActionMessage): FunctionCall {
    return {
      udfPath: canonicalizeUdfPath(message.udfPath),
      componentPath: message.componentPath ?? "",
      args: (message.args.length === 1 ? message.args[0] : null) as JSONValue,
      auth: this.auth,
      allowInternal: this.auth.kind === "admin",
      caller: this.tag,
    };
  }

  private callRefusal(message: MutationMessage | ActionMessage): string | undefined {
    if (message.args.length !== 1) return "Expected exactly one arguments object";
    return this.componentRefusal(message.componentPath ?? "");
  }

  private logCall(kind: string, udfPath: string, outcome: Outcome, started: number): void {
    this.log(
      `${this.tag} ${kind} ${udfPath} ${outcome.success ? "ok" : `failed: ${firstLine(outcome.errorMessage)}`} ${Date.now() - started}ms`,
      outcome.success ? "debug" : "info",
    );
  }

  // ------------------------------------------------------------ output

  onSubscriptionSettled(): void {
    this.scheduleFlush();
  }

  onCommitHorizon(): void {
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Sends the next Transition if every query has a current result. Synchronous: the only writer of `sent`. */
  private flush(): void {
    if (this.closed) return;
    let ts: Timestamp | undefined;
    let newestResult: Timestamp = 0n;
    for (const query of this.queries.values()) {
      const sub = query.sub;
      if (!sub.settled) return; // onSubscriptionSettled will call again
      if (ts === undefined || sub.validThrough < ts) ts = sub.validThrough;
      if (sub.resultTs > newestResult) newestResult = sub.resultTs;
    }
    if (ts === undefined || ts === FOREVER) ts = this.manager.notifiedTs;
    if (ts < this.sent.ts || ts < newestResult) {
      // Some result is not yet known valid at a ts this client may move to;
      // the next commit notification will settle it.
      this.listenToHorizon();
      return;
    }

    const modifications: string[] = [];
    for (const queryId of this.pendingRemovals) modifications.push(`{"type":"QueryRemoved","queryId":${queryId}}`);
    for (const [queryId, query] of this.queries) {
      const tail = query.sub.result!.tail;
      if (tail !== query.sentTail) modifications.push(`{"queryId":${queryId},${tail}`);
    }
    const end: Version = { querySet: this.receivedQuerySetVersion, ts, identity: this.receivedIdentityVersion };
    const awaited = this.awaitedTs;
    const mutationReached = awaited !== undefined && ts >= awaited;
    const versionChanged =
      end.querySet !== this.sent.querySet || end.ts !== this.sent.ts || end.identity !== this.sent.identity;

    if (awaited !== undefined && !mutationReached) this.listenToHorizon();
    else this.stopListeningToHorizon();

    if (modifications.length === 0 && !versionChanged && !mutationReached) return;

    let frame =
      `{"type":"Transition","startVersion":${versionJson(this.sent)},"endVersion":${versionJson(end)},` +
      `"modifications":[${modifications.join(",")}]`;
    if (this.clientClockSkew !== undefined) frame += `,"clientClockSkew":${this.clientClockSkew}`;
    frame += `,"serverTs":${Date.now() * 1_000_000}}`;

    this.sent = end;
    for (const query of this.queries.values()) query.sentTail = query.sub.result!.tail;
    this.pendingRemovals.clear();
    if (mutationReached) this.awaitedTs = undefined;
    this.sendTransition(frame);
  }

  private sendTransition(frame: string): void {
    if (frame.length <= this.transitionChunkChars) {
      this.send(frame);
      return;
    }
    const transitionId = `${this.sessionId || this.id}-${this.transitionCount++}`;
    const totalParts = Math.ceil(frame.length / this.transitionChunkChars);
    for (let part = 0; part < totalParts; part++) {
      const chunk = frame.slice(part * this.transitionChunkChars, (part + 1) * this.transitionChunkChars);
      this.send(
        `{"type":"TransitionChunk","chunk":${JSON.stringify(chunk)},"partNumber":${part},"totalParts":${totalParts},"transitionId":${JSON.stringify(transitionId)}}`,
      );
    }
  }

  private listenToHorizon(): void {
    if (this.listeningToHorizon) return;
    this.listeningToHorizon = true;
    this.manager.addHorizonListener(this);
  }

  private stopListeningToHorizon(): void {
    if (!this.listeningToHorizon) return;
    this.listeningToHorizon = false;
    this.manager.removeHorizonListener(this);
  }

  private send(text: string): void {
    if (this.closed) return;
    this.lastSentAt = Date.now();
    try {
      this.transport.send(text);
    } catch (error) {
      this.log(`${this.tag} send failed: ${(error as Error).message}`);
    }
  }

  // ------------------------------------------------------------ errors

  /** A client mistake the client must not retry: `FatalError`, then close. */
  private fatal(error: string): void {
    if (this.closed) return;
    this.log(`${this.tag} fatal: ${error}`);
    this.send(JSON.stringify({ type: "FatalError", error }));
    this.closeTransport();
  }

  private authError(error: string, authUpdateAttempted: boolean): void {
    if (this.closed) return;
    // `baseVersion` is the identity version the client last saw confirmed.
    this.send(JSON.stringify({ type: "AuthError", error, baseVersion: this.sent.identity, authUpdateAttempted }));
    this.closeTransport();
  }

  /** A protocol inconsistency: close with 1011 so the client reconnects and starts afresh. */
  private internalError(error: unknown): void {
    if (this.closed) return;
    const text = error instanceof Error ? error.message : String(error);
    this.log(`${this.tag} internal error: ${text}`);
    this.closeTransport(1011, `InternalServerError: ${text}`.slice(0, 123));
  }

  private closeTransport(code?: number, reason?: string): void {
    try {
      this.transport.close(code, reason);
    } catch {
      // already closing
    }
    this.handleClose();
  }
}

function versionJson(v: Version): string {
  return `{"querySet":${v.querySet},"ts":"${encodeTs(v.ts)}","identity":${v.identity}}`;
}

function failureResponse(type: "MutationResponse" | "ActionResponse", requestId: number, outcome: Outcome): string {
  if (outcome.success) throw new Error("not a failure");
  const message: Record<string, JSONValue> = {
    type,
    requestId,
    success: false,
    result: outcome.errorMessage,
    logLines: outcome.logLines,
  };
  if (outcome.errorData !== undefined) message.errorData = outcome.errorData;
  return JSON.stringify(message);
}

function engineFailure(error: unknown): Outcome {
  const text = error instanceof Error ? error.message : String(error);
  return { success: false, errorMessage: `Server Error: ${text}`, logLines: [] };
}

function refusedSubscription(spec: SubscriptionSpec, errorMessage: string): SharedSubscription {
  // Not registered with the manager: it never runs and never changes.
  const sub = new SharedSubscription("refused", spec);
  sub.result = serializeResult({ success: false, errorMessage, logLines: [], ts: 0n, readSet: { intersects: () => false }, journal: null });
  sub.stale = false;
  sub.validThrough = FOREVER;
  return sub;
}

function describeAuth(auth: AuthState): string {
  switch (auth.kind) {
    case "none":
      return "none";
    case "user":
      return `user ${auth.identity.tokenIdentifier}`;
    case "admin":
      return auth.impersonating ? `admin as ${auth.impersonating.tokenIdentifier}` : "admin";
  }
}

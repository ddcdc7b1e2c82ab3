// Shared, read-set-invalidated query subscriptions.
//
// Every (component, function, args, identity, journal) combination is computed
// once no matter how many connections hold it. After each commit only the
// subscriptions whose read set intersects the commit's writes run again, one
// run at a time per subscription. A result is serialized to JSON once per
// update; sessions splice that text into their own Transition frames, so
// pushing one result to N connections costs N small string concatenations,
// not N `JSON.stringify` calls of the value.
//
// Consistency: the engine runs a query at its latest snapshot and reports that
// snapshot's `ts`. A result read at `resultTs` stays valid for every later
// commit it does not intersect, so each subscription tracks `validThrough`,
// the newest commit ts at which its result is known to be current. A session
// may only transition to a ts that every one of its results is valid at.

import type { AuthState, Commit, Engine, FunctionCall, JSONValue, QueryOutcome, ReadSet, Timestamp } from "../engine/contract.js";

/** Someone holding a subscription (a sync session). */
export interface SubscriptionListener {
  /** A run finished (the result may or may not have changed). */
  onSubscriptionSettled(sub: SharedSubscription): void;
}

/** Listeners that want to hear when the commit horizon moves (sessions waiting to advance `ts`). */
export interface CommitHorizonListener {
  onCommitHorizon(notifiedTs: Timestamp): void;
}

export interface SubscriptionSpec {
  udfPath: string;
  componentPath: string;
  /** The arguments object (Convex-encoded), not wrapped in an array. */
  args: JSONValue;
  auth: AuthState;
  allowInternal: boolean;
  journal: string | null;
}

/** A result, pre-serialized as the tail of a QueryUpdated/QueryFailed modification (everything but `queryId`). */
export interface SerializedResult {
  /** e.g. `"type":"QueryUpdated","value":…,"logLines":[…],"journal":null}` */
  readonly tail: string;
  readonly success: boolean;
}

const RERUN_ALWAYS: ReadSet = { intersects: () => true };

export class SharedSubscription {
  /** Holders and how many of their queries use this subscription. */
  readonly listeners = new Map<SubscriptionListener, number>();
  /** Latest serialized result; undefined until the first run completes. */
  result: SerializedResult | undefined;
  /** Snapshot the current result was read at. */
  resultTs: Timestamp = 0n;
  /** Newest commit ts at which `result` is known to be current. */
  validThrough: Timestamp = 0n;
  readSet: ReadSet = RERUN_ALWAYS;
  journal: string | null;
  running = false;
  /** A commit invalidated the current result; a run is due or under way. */
  stale = true;
  /** Commits notified while a run is in flight, checked against its read set when it returns. */
  commitsDuringRun: Commit[] = [];
  disposed = false;
  /** Number of engine runs, for logs and tests. */
  runs = 0;

  constructor(
    readonly key: string,
    readonly spec: SubscriptionSpec,
  ) {
    this.journal = spec.journal;
  }

  /** True when the result may be sent: computed, not invalidated, no run under way. */
  get settled(): boolean {
    return this.result !== undefined && !this.stale && !this.running;
  }
}

export interface SubscriptionManagerOptions {
  log?: (line: string, level?: "info" | "debug") => void;
}

export class SubscriptionManager {
  private readonly subs = new Map<string, SharedSubscription>();
  private readonly horizonListeners = new Set<CommitHorizonListener>();
  private readonly unsubscribeFromCommits: () => void;
  private readonly log: (line: string, level?: "info" | "debug") => void;
  /** Newest commit ts the engine has told us about. */
  notifiedTs: Timestamp;

  constructor(
    private readonly engine: Engine,
    options: SubscriptionManagerOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.notifiedTs = engine.latestTs();
    this.unsubscribeFromCommits = engine.onCommit((commit) => this.onCommit(commit));
  }

  /** Stops listening to commits and drops every subscription. */
  dispose(): void {
    this.unsubscribeFromCommits();
    for (const sub of this.subs.values()) sub.disposed = true;
    this.subs.clear();
    this.horizonListeners.clear();
  }

  get subscriptionCount(): number {
    return this.subs.size;
  }

  static keyOf(spec: SubscriptionSpec): string {
    return JSON.stringify([spec.componentPath, spec.udfPath, spec.args, identityKey(spec.auth), spec.journal]);
  }

  /** Returns the shared subscription for `spec`, creating (and starting) it if nobody holds it yet. */
  acquire(spec: SubscriptionSpec, listener: SubscriptionListener): SharedSubscription {
    const key = SubscriptionManager.keyOf(spec);
    let sub = this.subs.get(key);
    if (!sub) {
      sub = new SharedSubscription(key, spec);
      this.subs.set(key, sub);
      this.run(sub);
    }
    sub.listeners.set(listener, (sub.listeners.get(listener) ?? 0) + 1);
    return sub;
  }

  release(sub: SharedSubscription, listener: SubscriptionListener): void {
    const holds = sub.listeners.get(listener);
    if (holds === undefined) return;
    if (holds > 1) sub.listeners.set(listener, holds - 1);
    else sub.listeners.delete(listener);
    if (sub.listeners.size === 0 && this.subs.get(sub.key) === sub) {
      this.subs.delete(sub.key);
      sub.disposed = true;
    }
  }

  addHorizonListener(listener: CommitHorizonListener): void {
    this.horizonListeners.add(listener);
  }

  removeHorizonListener(listener: CommitHorizonListener): void {
    this.horizonListeners.delete(listener);
  }

  private onCommit(commit: Commit): void {
    if (commit.ts > this.notifiedTs) this.notifiedTs = commit.ts;
    for (const sub of this.subs.values()) {
      if (sub.running) {
        sub.commitsDuringRun.push(commit);
        continue;
      }
      if (sub.stale || commit.ts <= sub.resultTs) continue;
      if (commit.writes.isEmpty || !sub.readSet.intersects(commit.writes)) {
        if (commit.ts > sub.validThrough) sub.validThrough = commit.ts;
        continue;
      }
      sub.stale = true;
      this.run(sub);
    }
    // Copy: a listener may remove itself while being told.
    for (const listener of [...this.horizonListeners]) listener.onCommitHorizon(this.notifiedTs);
  }

  private run(sub: SharedSubscription): void {
    if (sub.running || sub.disposed) return;
    sub.running = true;
    sub.stale = true;
    sub.commitsDuringRun = [];
    sub.runs++;
    const { spec } = sub;
    const call: FunctionCall = {
      udfPath: spec.udfPath,
      componentPath: spec.componentPath,
      args: spec.args,
      auth: spec.auth,
      allowInternal: spec.allowInternal,
      caller: "sync",
    };
    const started = Date.now();
    this.engine.runQuery(call, sub.journal).then(
      (outcome) => this.complete(sub, outcome, started),
      (error: unknown) => this.complete(sub, engineFailure(error, this.notifiedTs), started),
    );
  }

  private complete(sub: SharedSubscription, outcome: QueryOutcome, started: number): void {
    sub.running = false;
    if (sub.disposed) return;
    const missed = sub.commitsDuringRun.filter((c) => c.ts > outcome.ts);
    sub.commitsDuringRun = [];
    if (missed.some((c) => !c.writes.isEmpty && outcome.readSet.intersects(c.writes))) {
      // A commit this run could not see changed what it read: its result is
      // already out of date, so run again rather than publish it.
      this.run(sub);
      return;
    }
    sub.stale = false;
    sub.readSet = outcome.readSet;
    sub.journal = outcome.journal;
    sub.resultTs = outcome.ts;
    sub.validThrough = outcome.ts > this.notifiedTs ? outcome.ts : this.notifiedTs;
    const previous = sub.result;
    const next = serializeResult(outcome);
    const changed = previous === undefined || previous.tail !== next.tail;
    if (changed) sub.result = next;
    this.log(
      `query ${sub.spec.udfPath} ${outcome.success ? "ok" : `failed: ${firstLine(outcome.errorMessage)}`}` +
        ` ${Date.now() - started}ms` +
        `${changed ? "" : " (unchanged)"} → ${sub.listeners.size} subscriber(s)`,
      outcome.success ? "debug" : "info",
    );
    for (const listener of [...sub.listeners.keys()]) listener.onSubscriptionSettled(sub);
  }
}

/** Who the query runs as; identical identities share a subscription even if their tokens differ. */
export function identityKey(auth: AuthState): string {
  switch (auth.kind) {
    case "none":
      return "none";
    case "user":
      return `user:${auth.identity.tokenIdentifier}`;
    case "admin":
      return auth.impersonating ? `admin-as:${auth.impersonating.tokenIdentifier}` : "admin";
  }
}

export function serializeResult(outcome: QueryOutcome): SerializedResult {
  const journal = JSON.stringify(outcome.journal ?? null);
  const logLines = JSON.stringify(outcome.logLines ?? []);
  if (outcome.success) {
    return {
      success: true,
      tail: `"type":"QueryUpdated","value":${outcome.valueJson ?? JSON.stringify(outcome.value ?? null)},"logLines":${logLines},"journal":${journal}}`,
    };
  }
  const errorData = outcome.errorData === undefined ? "" : `,"errorData":${JSON.stringify(outcome.errorData)}`;
  return {
    success: false,
    tail: `"type":"QueryFailed","errorMessage":${JSON.stringify(outcome.errorMessage)}${errorData},"logLines":${logLines},"journal":${journal}}`,
  };
}

function engineFailure(error: unknown, ts: Timestamp): QueryOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return {
    success: false,
    errorMessage: `Server Error: ${message}`,
    logLines: [],
    ts,
    // Unknown reads: any later commit should retry the query.
    readSet: RERUN_ALWAYS,
    journal: null,
  };
}

export function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i === -1 ? s : s.slice(0, i);
}

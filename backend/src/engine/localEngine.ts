// The Engine: runs functions against the SQLite store. One writer connection
// serializes mutations (each inside BEGIN IMMEDIATE, nested mutations as
// savepoints); queries run on pooled reader connections, each inside a read
// transaction so it sees one consistent snapshot while mutations commit.
import { timingSafeEqual } from "node:crypto";
import { CreationClock, Transaction, type TransactionDeps } from "../database/transaction.js";
import { IndexReadSet, IndexWriteSet } from "../database/readWriteSets.js";
import { SchemaRegistry, type DatabaseSchema } from "../database/schema.js";
import { applySchema, type MigrationReport } from "../database/schemaMigration.js";
import { Catalog } from "../storage/catalog.js";
import { Checkpointer } from "../storage/checkpointer.js";
import { DocumentStore } from "../storage/documentStore.js";
import { ensureSystemSchema, openConnection, type Connection } from "../storage/sqlite.js";
import { FunctionError, runFunction, toFunctionError } from "../runtime/functionRunner.js";
import { FunctionNotFoundError, LoadedDeployment, type ResolvedFunction } from "../runtime/loadedDeployment.js";
import { installRuntimeGlobals } from "../runtime/globals.js";
import { installSyscalls, SyscallError, type Address } from "../runtime/syscalls.js";
import type { ExecutionContext } from "../runtime/executionContext.js";
import { Mutex } from "./mutex.js";
// ---- isolation (runtime/isolation): user code on worker threads with time limits ----
import { createIsolation, type IsolationSetting } from "../runtime/isolation/isolationSetting.js";
import type { IsolatedRunner } from "../runtime/isolation/isolatedRunner.js";
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
  type UdfType,
} from "./contract.js";

export interface LocalEngineOptions {
  databasePath: string;
  adminKey: string;
  log?: (line: string, level?: "info" | "debug") => void;
  /** Verifies a user's JWT; installed by the auth layer. Without it user tokens are refused. */
  verifyUserToken?: (token: string) => Promise<AuthState>;
  maxReaders?: number;
  /** Where user code runs (runtime/isolation): "workers" or "inProcess"; default from SEMS_ISOLATION. */
  isolation?: IsolationSetting;
}

interface Reader {
  connection: Connection;
  store: DocumentStore;
  begin: { run(): unknown };
  commit: { run(): unknown };
}

const NANOS_PER_MS = 1_000_000n;
/** Bounds how long the first mutation of a group can wait for the others. */
const MAX_MUTATIONS_PER_COMMIT = 128;

interface PendingMutation {
  call: FunctionCall;
  resolved: ResolvedFunction;
  resolve: (outcome: MutationOutcome) => void;
}

export class LocalEngine implements Engine {
  readonly writer: Connection;
  readonly writerStore: DocumentStore;
  readonly catalog: Catalog;
  readonly schemas = new SchemaRegistry();
  readonly clock = new CreationClock();
  private readonly writeLock = new Mutex();
  private readonly mutationQueue: PendingMutation[] = [];
  private drainingMutations = false;
  private readonly idleReaders: Reader[] = [];
  private readonly readerWaiters: ((reader: Reader) => void)[] = [];
  private readerCount = 0;
  private readonly maxReaders: number;
  private lastTs: bigint;
  private readonly listeners = new Set<(commit: Commit) => void>();
  private deployment = LoadedDeployment.empty();
  private readonly log: (line: string, level?: "info" | "debug") => void;
  verifyUserToken?: (token: string) => Promise<AuthState>;
  private closed = false;
  private readonly checkpointer: Checkpointer;
  /** Runs file-backed functions on worker threads; null when user code runs in this thread. */
  readonly isolation: IsolatedRunner | null;

  constructor(private readonly options: LocalEngineOptions) {
    this.log = options.log ?? (() => {});
    this.verifyUserToken = options.verifyUserToken;
    this.maxReaders = options.maxReaders ?? 8;
    this.writer = openConnection(options.databasePath);
    ensureSystemSchema(this.writer);
    this.writerStore = new DocumentStore(this.writer);
    this.catalog = Catalog.load(this.writer);
    this.checkpointer = new Checkpointer(options.databasePath, { log: this.log });
    this.lastTs = (this.writerStore.getMeta("ts") as bigint | undefined) ?? 0n;
    for (const row of this.writer.prepare("SELECT key, value FROM meta WHERE key LIKE 'schema:%'").all() as { key: string; value: string }[]) {
      this.schemas.set(row.key.slice("schema:".length), JSON.parse(row.value) as DatabaseSchema);
    }
    installRuntimeGlobals(this.log);
    this.isolation = createIsolation(options.isolation, this.log);
    installSyscalls({
      runNested: (context, udfType, address, args) => this.runNested(context, udfType, address, args),
      runFromAction: (context, udfType, address, args) => this.runFromAction(context, udfType, address, args),
      createFunctionHandle: (context, address) => {
        const resolved = this.deployment.resolveAddress(context.component, address);
        return this.deployment.createHandle(resolved.component, resolved.udfPath);
      },
      extraAsync: (op, args, context) => this.extraAsync?.(op, args, context),
      extraSync: (op, args, context) => this.extraSync?.(op, args, context),
      extraJs: (op, args, context) => this.extraJs?.(op, args, context),
    });
  }

  /** Hooks for syscalls that later layers (scheduler, storage, auth) provide. */
  extraAsync?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => Promise<JSONValue> | undefined;
  extraSync?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => JSONValue | undefined;
  extraJs?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => unknown;

  // ---- scheduler / environment hooks (backend/src/scheduler, backend/src/environment) ----
  /** Resolves backend-provided functions (`_system/cli/…`, the CLI's env queries) before the pushed code. */
  systemFunctions?: (componentPath: string, udfPath: string) => ResolvedFunction | undefined;

  /**
   * Runs `work` as one write transaction of its own under the writer lock (the
   * scheduler runs a job and records its state in one commit). Commits when
   * `work` returns, rolls back when it throws; subscribers hear of the commit
   * only when it wrote documents (or set `tx.writeSet.invalidatesAll`).
   */
  async writeTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.writeLock.run(async () => {
      const ts = this.nextTs();
      this.writer.exec("BEGIN IMMEDIATE");
      const tx = new Transaction(this.deps(this.writerStore), "write", ts);
      let value: T;
      try {
        value = await work(tx);
        this.writerStore.setMeta("ts", ts);
        this.writer.exec("COMMIT");
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
        if (tx.catalogChanged) this.catalog.reload(this.writer);
        throw error;
      }
      this.lastTs = ts;
      if (tx.catalogChanged) tx.writeSet.invalidatesAll = true;
      if (!tx.writeSet.isEmpty) this.emit({ ts, writes: tx.writeSet });
      return value;
    });
  }

  private resolveCall(componentPath: string, udfPath: string): ResolvedFunction {
    return this.systemFunctions?.(componentPath, udfPath) ?? this.deployment.resolve(componentPath, udfPath);
  }

  // ---- deployment -----------------------------------------------------------

  get loadedDeployment(): LoadedDeployment {
    return this.deployment;
  }

  /**
   * Applies schemas (indexes, validation of existing documents) in one write
   * transaction, then switches to the new code. Throws SchemaValidationError
   * and changes nothing when a document would break the new schema.
   */
  async deploy(
    deployment: LoadedDeployment,
    schemas: Map<string, DatabaseSchema | null>,
    /** Runs inside the same write transaction, so the pushed code is stored atomically with its schema. */
    persist?: () => void,
  ): Promise<Map<string, MigrationReport>> {
    return this.writeLock.run(async () => {
      const reports = new Map<string, MigrationReport>();
      this.writer.exec("BEGIN IMMEDIATE");
      const ts = this.nextTs();
      const tx = new Transaction(this.deps(this.writerStore), "write", ts);
      try {
        for (const [component, schema] of schemas) {
          reports.set(component, applySchema(tx, component, schema, this.schemas.schema(component) ?? null));
          this.writerStore.setMeta(`schema:${component}`, JSON.stringify(schema));
        }
        persist?.();
        this.writerStore.setMeta("ts", ts);
        this.writer.exec("COMMIT");
      } catch (error) {
        this.writer.exec("ROLLBACK");
        this.catalog.reload(this.writer);
        throw error;
      }
      this.lastTs = ts;
      for (const [component, schema] of schemas) this.schemas.set(component, schema);
      this.isolation?.attach(deployment);
      this.deployment = deployment;
      const writes = new IndexWriteSet();
      writes.invalidatesAll = true;
      this.emit({ ts, writes });
      return reports;
    });
  }

  /** Number of documents in a table (the CLI's large-index warnings). */
  countDocuments(component: string, tableName: string): number {
    return new Transaction(this.deps(this.writerStore), "read", this.lastTs).count(component, tableName);
  }

  // ---- operations hook (snapshot import; see operations/snapshotImport.ts) ----
  /**
   * Runs `work` as one write transaction of its own, between mutation groups:
   * it commits atomically at a fresh timestamp and invalidates every
   * subscription (an import may create tables and renumber them). A throw
   * rolls everything back and reloads the catalog. `work` may await (reading
   * an upload); mutations queue behind it meanwhile.
   */
  async writeExclusive<T>(work: (tx: Transaction) => Promise<T> | T): Promise<{ value: T; ts: bigint }> {
    let ts = 0n;
    const value = await this.writeTransaction(async (tx) => {
      ts = tx.ts;
      // Tables may be created or renumbered: a rollback must reload the catalog,
      // and a commit invalidates every subscription.
      tx.catalogChanged = true;
      return work(tx);
    });
    return { value, ts };
  }

  /** Serves already-applied code (a restart loading the last push): no schema work. */
  activate(deployment: LoadedDeployment): void {
    this.isolation?.attach(deployment);
    this.deployment = deployment;
  }

  // ---- Engine ---------------------------------------------------------------

  latestTs(): bigint {
    return this.lastTs;
  }

  onCommit(listener: (commit: Commit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isAdminKey(key: string): boolean {
    const a = Buffer.from(key);
    const b = Buffer.from(this.options.adminKey);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async authenticate(request: AuthenticateRequest): Promise<AuthState> {
    switch (request.tokenType) {
      case "None":
        return { kind: "none" };
      case "Admin": {
        if (!this.isAdminKey(request.value)) throw new AuthenticationError("The admin key is not valid for this deployment.");
        const impersonating = request.impersonating as Record<string, JSONValue> | undefined;
        return impersonating ? { kind: "admin", impersonating: impersonating as never } : { kind: "admin" };
      }
      case "User": {
        if (!this.verifyUserToken) {
          throw new AuthenticationError("No auth provider found matching the given token: this deployment has no auth providers configured (convex/auth.config.ts).");
        }
        return this.verifyUserToken(request.value);
      }
    }
  }

  async runQuery(call: FunctionCall, journal: string | null = null): Promise<QueryOutcome> {
    const reader = await this.acquireReader();
    let ts = this.lastTs;
    let tx: Transaction | null = null;
    try {
      reader.begin.run();
      ts = (reader.store.getMeta("ts") as bigint | undefined) ?? 0n;
      tx = new Transaction(this.deps(reader.store), "read", ts);
      const resolved = this.resolveTopLevel(call, "query");
      const result = await runFunction({
        resolved,
        args: call.args,
        auth: call.auth,
        tx,
        kind: "query",
        journalIn: journal,
        tableNameOfId: this.tableNameOfId,
      });
      tx.finalizeReads();
      const resultJson = result.resultJson;
      let parsed: JSONValue | undefined;
      // Parsed only if someone asks: the transports send `valueJson` as it is.
      return {
        success: true,
        get value(): JSONValue {
          return (parsed ??= JSON.parse(resultJson) as JSONValue);
        },
        valueJson: resultJson,
        logLines: result.logLines,
        ts,
        readSet: tx.readSet,
        journal: result.journalOut,
      };
    } catch (thrown) {
      const error = toFunctionError(thrown);
      this.logFailure("Q", call, error);
      tx?.finalizeReads();
      return { ...failure(error), ts, readSet: tx?.readSet ?? new IndexReadSet(), journal: null };
    } finally {
      if (reader.connection.inTransaction) reader.commit.run();
      this.releaseReader(reader);
    }
  }

  async runMutation(call: FunctionCall): Promise<MutationOutcome> {
    let resolved: ResolvedFunction;
    try {
      resolved = this.resolveTopLevel(call, "mutation");
    } catch (thrown) {
      const error = toFunctionError(thrown);
      this.logFailure("M", call, error);
      return { ...failure(error), ts: this.lastTs };
    }
    return new Promise<MutationOutcome>((resolve) => {
      this.mutationQueue.push({ call, resolved, resolve });
      if (!this.drainingMutations) void this.drainMutations();
    });
  }

  /**
   * Group commit: mutations that queue up while one runs are executed one
   * after another, each in its own savepoint (so a failure rolls back alone
   * and each sees the writes before it), inside one SQLite transaction that
   * commits once. Serializable as before; nobody is answered before the
   * commit is in the WAL; and the WAL is written once per group instead of
   * once per mutation. A lone mutation commits alone, without waiting.
   */
  private async drainMutations(): Promise<void> {
    this.drainingMutations = true;
    try {
      while (this.mutationQueue.length) await this.writeLock.run(() => this.commitMutationGroup());
    } finally {
      this.drainingMutations = false;
    }
  }

  private async commitMutationGroup(): Promise<void> {
    const ts = this.nextTs();
    this.writer.exec("BEGIN IMMEDIATE");
    const finished: { pending: PendingMutation; outcome: Outcome }[] = [];
    const writes = new IndexWriteSet();
    let catalogChanged = false;
    while (this.mutationQueue.length && finished.length < MAX_MUTATIONS_PER_COMMIT) {
      const pending = this.mutationQueue.shift()!;
      if (pending.call.stillWanted && !pending.call.stillWanted()) {
        finished.push({ pending, outcome: failure(new FunctionError("The client disconnected before this mutation ran.")) });
        continue;
      }
      const tx = new Transaction(this.deps(this.writerStore), "write", ts);
      const depth = tx.savepoint();
      try {
        const result = await runFunction({ resolved: pending.resolved, args: pending.call.args, auth: pending.call.auth, tx, kind: "mutation", tableNameOfId: this.tableNameOfId });
        tx.releaseSavepoint(depth);
        writes.addAll(tx.writeSet);
        catalogChanged ||= tx.catalogChanged;
        finished.push({ pending, outcome: { success: true, value: JSON.parse(result.resultJson), logLines: result.logLines } });
      } catch (thrown) {
        tx.rollbackSavepoint(depth);
        const error = toFunctionError(thrown);
        this.logFailure("M", pending.call, error);
        finished.push({ pending, outcome: failure(error) });
      }
    }
    if (writes.isEmpty && !catalogChanged) {
      this.writer.exec("ROLLBACK");
      for (const { pending, outcome } of finished) pending.resolve({ ...outcome, ts: this.lastTs });
      return;
    }
    try {
      this.writerStore.setMeta("ts", ts);
      this.writer.exec("COMMIT");
    } catch (thrown) {
      if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
      this.catalog.reload(this.writer);
      const error = toFunctionError(thrown);
      this.log(`commit failed: ${error.message}`);
      for (const { pending } of finished) pending.resolve({ ...failure(error), ts: this.lastTs });
      return;
    }
    this.lastTs = ts;
    writes.invalidatesAll = catalogChanged;
    this.emit({ ts, writes });
    for (const { pending, outcome } of finished) pending.resolve({ ...outcome, ts });
  }

  async runAction(call: FunctionCall): Promise<Outcome> {
    try {
      const resolved = this.resolveTopLevel(call, "action");
      const result = await runFunction({ resolved, args: call.args, auth: call.auth, tx: null, kind: "action", tableNameOfId: this.tableNameOfId });
      return { success: true, value: JSON.parse(result.resultJson), logLines: result.logLines };
    } catch (thrown) {
      const error = toFunctionError(thrown);
      this.logFailure("A", call, error);
      return failure(error);
    }
  }

  async runFunction(call: FunctionCall): Promise<Outcome & { udfType: UdfType }> {
    let kind: UdfType;
    try {
      const resolved = this.resolveCall(call.componentPath ?? "", call.udfPath);
      if (resolved.kind === "httpAction") throw new FunctionError(`${resolved.udfPath} is an HTTP action and can only be called over HTTP.`);
      kind = resolved.kind;
    } catch (thrown) {
      return { ...failure(toFunctionError(thrown)), udfType: "query" };
    }
    const outcome = kind === "query" ? await this.runQuery(call) : kind === "mutation" ? await this.runMutation(call) : await this.runAction(call);
    return { ...stripInternal(outcome), udfType: kind };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.checkpointer.stop();
    void this.isolation?.close();
    for (const reader of this.idleReaders) reader.connection.close();
    this.idleReaders.length = 0;
    this.writer.close();
  }

  // ---- internals -------------------------------------------------------------

  private deps(store: DocumentStore): TransactionDeps {
    return { store, catalog: this.catalog, schemas: this.schemas, clock: this.clock };
  }

  private tableNameOfId = (component: string, id: string): string | null => {
    const tx = new Transaction(this.deps(this.writerStore), "read", this.lastTs);
    return tx.tableNameOfId(component, id);
  };

  private nextTs(): bigint {
    const now = BigInt(Date.now()) * NANOS_PER_MS;
    return now > this.lastTs ? now : this.lastTs + 1n;
  }

  private emit(commit: Commit): void {
    for (const listener of this.listeners) {
      try {
        listener(commit);
      } catch (error) {
        this.log(`commit listener failed: ${(error as Error).stack ?? error}`);
      }
    }
  }

  private resolveTopLevel(call: FunctionCall, expected: "query" | "mutation" | "action"): ResolvedFunction {
    const resolved = this.resolveCall(call.componentPath ?? "", call.udfPath);
    if (resolved.visibility === "internal" && !call.allowInternal) {
      throw new FunctionNotFoundError(`Could not find public function for '${resolved.udfPath}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`);
    }
    if (resolved.kind !== expected) {
      throw new FunctionError(`Trying to execute ${resolved.udfPath} as ${titleCase(expected)}, but it is defined as ${titleCase(resolved.kind)}.`);
    }
    return resolved;
  }

  private logFailure(kind: string, call: FunctionCall, error: FunctionError): void {
    const where = call.componentPath ? `${call.componentPath}/${call.udfPath}` : call.udfPath;
    this.log(`[${kind}] ${where} failed: ${error.message.split("\n")[0]}`);
  }

  private async acquireReader(): Promise<Reader> {
    const idle = this.idleReaders.pop();
    if (idle) return idle;
    if (this.readerCount < this.maxReaders) {
      this.readerCount++;
      const connection = openConnection(this.options.databasePath);
      return { connection, store: new DocumentStore(connection), begin: connection.prepare("BEGIN"), commit: connection.prepare("COMMIT") };
    }
    return new Promise((resolve) => this.readerWaiters.push(resolve));
  }

  private releaseReader(reader: Reader): void {
    const waiter = this.readerWaiters.shift();
    if (waiter) waiter(reader);
    else if (this.closed) reader.connection.close();
    else this.idleReaders.push(reader);
  }

  private async runNested(
    context: ExecutionContext,
    udfType: "query" | "mutation" | "snapshotQuery",
    address: Address,
    args: JSONValue,
  ): Promise<string> {
    const tx = context.tx!;
    let resolved: ResolvedFunction;
    try {
      resolved = this.deployment.resolveAddress(context.component, address);
    } catch (error) {
      throw new SyscallError((error as Error).message);
    }
    const wanted = udfType === "snapshotQuery" ? "query" : udfType;
    if (resolved.kind !== wanted) {
      throw new SyscallError(`Trying to execute ${resolved.udfPath} as ${titleCase(wanted)}, but it is defined as ${titleCase(resolved.kind)}.`);
    }
    if (wanted === "mutation" && context.kind !== "mutation") {
      throw new SyscallError("Mutations can only be called from mutations or actions, not from queries.");
    }
    // Auth does not flow into components (Convex's rule); it stays within the app.
    const auth: AuthState = resolved.component === "" ? context.auth : { kind: "none" };
    const run = () =>
      runFunction({ resolved, args, auth, tx, kind: wanted, parent: context, tableNameOfId: this.tableNameOfId });
    if (wanted === "query") {
      try {
        return (await run()).resultJson;
      } catch (thrown) {
        throw asSyscallError(thrown);
      }
    }
    const depth = tx.savepoint();
    try {
      const result = await run();
      tx.releaseSavepoint(depth);
      return result.resultJson;
    } catch (thrown) {
      tx.rollbackSavepoint(depth);
      throw asSyscallError(thrown);
    }
  }

  private async runFromAction(
    context: ExecutionContext,
    udfType: "query" | "mutation" | "action",
    address: Address,
    args: JSONValue,
  ): Promise<string> {
    let resolved: ResolvedFunction;
    try {
      resolved = this.deployment.resolveAddress(context.component, address);
    } catch (error) {
      throw new SyscallError((error as Error).message);
    }
    const call: FunctionCall = {
      udfPath: resolved.udfPath,
      componentPath: resolved.component,
      args,
      auth: resolved.component === "" ? context.auth : { kind: "none" },
      allowInternal: true,
    };
    const outcome = udfType === "query" ? await this.runQuery(call) : udfType === "mutation" ? await this.runMutation(call) : await this.runAction(call);
    if (!outcome.success) throw new SyscallError(outcome.errorMessage, outcome.errorData);
    context.logLines.push(...outcome.logLines);
    return JSON.stringify(outcome.value);
  }
}

function titleCase(kind: string): string {
  return kind === "httpAction" ? "HttpAction" : kind[0].toUpperCase() + kind.slice(1);
}

function failure(error: FunctionError): Outcome & { success: false } {
  return error.errorData !== undefined
    ? { success: false, errorMessage: error.message, errorData: error.errorData, logLines: error.logLines }
    : { success: false, errorMessage: error.message, logLines: error.logLines };
}

function asSyscallError(thrown: unknown): SyscallError {
  const error = toFunctionError(thrown);
  return new SyscallError(error.message.replace(/^Uncaught (ConvexError: )?/, ""), error.errorData);
}

function stripInternal(outcome: Outcome): Outcome {
  return outcome.success
    ? { success: true, value: outcome.value, logLines: outcome.logLines }
    : outcome.errorData !== undefined
      ? { success: false, errorMessage: outcome.errorMessage, errorData: outcome.errorData, logLines: outcome.logLines }
      : { success: false, errorMessage: outcome.errorMessage, logLines: outcome.logLines };
}

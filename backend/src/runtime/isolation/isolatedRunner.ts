// Runs user functions on worker threads (workerMain.ts) while this thread
// keeps the database, transactions and syscall handlers. A worker that runs
// past its execution's time limit is terminated and replaced; the execution
// fails with Convex's timeout error (its mutation savepoint is rolled back by
// the caller, as for any failure) and every other execution goes on.
//
// What runs where:
// - queries and mutations: a pool of workers, one top-level execution per
//   worker at a time (terminating a worker then stops only that execution);
//   their nested calls (`ctx.runQuery/runMutation`) run on the same worker.
// - actions: their own worker(s), many actions interleaved on each, so an
//   action waiting on `ctx.runQuery` never holds a query worker.
// - HTTP actions, backend-provided system functions and modules loaded
//   without files (the engine's in-process tests) stay on this thread.
import { Worker, MessageChannel, type MessagePort } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { randomUint32 } from "../../values/randomPool.js";
import { executionStorage, type ExecutionContext } from "../executionContext.js";
import { FunctionError } from "../functionRunner.js";
import type { IsolatedInvoker, LoadedDeployment, ResolvedFunction } from "../loadedDeployment.js";
import { installedSyscalls, SyscallError } from "../syscalls.js";
import {
  isBlobTransfer,
  TIMEOUT_MESSAGE,
  type IsolatedKind,
  type MainToWorker,
  type SyscallMode,
  type SyscallReply,
  type ThrownShape,
  type WorkerToMain,
} from "./protocol.js";
import { isolationWorkerScript } from "./workerScript.js";

export interface IsolationOptions {
  /** Workers for queries and mutations (default: the CPU count, at least 2, at most 4). */
  workers?: number;
  /** Workers shared by all running actions (default 1). */
  actionWorkers?: number;
  /** Convex: 1 s of execution for queries and mutations. */
  queryMutationLimitMs?: number;
  /** Convex (Node actions): 10 minutes. */
  actionLimitMs?: number;
  /** Seeds each query's and mutation's Math.random; tests pass a known sequence. */
  seed?: () => number;
}

type LogFn = (line: string, level?: "info" | "debug") => void;

const STOPPED_MESSAGE =
  "This function was stopped because another function running on the same worker ran past its time limit.";
const CRASHED_MESSAGE = "The worker running this function stopped unexpectedly.";

interface WorkerHandle {
  pool: "udf" | "action";
  worker: Worker | null;
  replyPort: MessagePort | null;
  flag: Int32Array;
  ready: boolean;
  readyWaiters: (() => void)[];
  busy: boolean;
  dead: boolean;
  executions: Set<number>;
}

interface ExecutionRecord {
  id: number;
  rootId: number;
  context: ExecutionContext;
  handle: WorkerHandle;
  resolve: (resultJson: string) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout | null;
}

export class IsolatedRunner implements IsolatedInvoker {
  private readonly udfWorkers: WorkerHandle[] = [];
  private readonly actionWorkers: WorkerHandle[] = [];
  private readonly udfWaiters: ((handle: WorkerHandle) => void)[] = [];
  private readonly executions = new Map<number, ExecutionRecord>();
  private readonly byContext = new WeakMap<ExecutionContext, ExecutionRecord>();
  private files: string[] = [];
  private nextId = 1;
  private closed = false;
  private readonly queryMutationLimitMs: number;
  private readonly actionLimitMs: number;
  private readonly seed: () => number;

  constructor(
    private readonly options: IsolationOptions,
    private readonly log: LogFn,
  ) {
    this.queryMutationLimitMs = options.queryMutationLimitMs ?? 1000;
    this.actionLimitMs = options.actionLimitMs ?? 10 * 60 * 1000;
    this.seed = options.seed ?? randomUint32;
  }

  /** Workers start with the first deployment that has module files: engines serving only in-memory modules never pay for them. */
  private startWorkers(): void {
    if (this.udfWorkers.length || this.closed) return;
    const workers = this.options.workers ?? Math.min(4, Math.max(2, availableParallelism()));
    for (let i = 0; i < workers; i++) this.udfWorkers.push(this.spawn("udf"));
    for (let i = 0; i < (this.options.actionWorkers ?? 1); i++) this.actionWorkers.push(this.spawn("action"));
  }

  /** Makes `deployment`'s file-backed functions run here, and has every worker import its modules ahead of use. */
  attach(deployment: LoadedDeployment): void {
    deployment.isolation = this;
    this.files = deployment.moduleFiles();
    if (!this.files.length) return;
    if (!this.udfWorkers.length) return this.startWorkers();
    for (const handle of [...this.udfWorkers, ...this.actionWorkers]) this.post(handle, { type: "preload", files: this.files });
  }

  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.udfWorkers, ...this.actionWorkers];
    for (const handle of handles) handle.dead = true;
    await Promise.all(handles.map((handle) => handle.worker?.terminate()));
  }

  async invoke(context: ExecutionContext, resolved: ResolvedFunction, argsJson: string): Promise<string> {
    const location = resolved.location!;
    const kind = resolved.kind as IsolatedKind;
    const parent = context.parent ? this.byContext.get(context.parent) : undefined;
    if (this.closed) throw new FunctionError("The backend is shutting down.");
    const handle = parent ? parent.handle : kind === "action" ? await this.acquireAction() : await this.acquireUdf();
    const id = this.nextId++;
    // The function's view of process.env (its component's variables) as the environment layer computes it.
    const env = executionStorage.run(context, () => ({ ...process.env })) as Record<string, string>;
    const deterministic = kind !== "action";
    try {
      return await new Promise<string>((resolve, reject) => {
        const record: ExecutionRecord = { id, rootId: parent ? parent.rootId : id, context, handle, resolve, reject, timer: null };
        this.executions.set(id, record);
        this.byContext.set(context, record);
        handle.executions.add(id);
        if (!parent) {
          const limit = kind === "action" ? this.actionLimitMs : this.queryMutationLimitMs;
          record.timer = setTimeout(() => this.timeOut(record, limit), limit);
        }
        this.post(handle, {
          type: "run",
          id,
          parentId: parent?.id ?? null,
          file: location.file,
          exportName: location.exportName,
          kind,
          argsJson,
          requestId: context.requestId,
          frozenNowMs: context.frozenNowMs,
          seed: deterministic && !parent ? this.seed() : null,
          env,
        });
      });
    } finally {
      const record = this.executions.get(id);
      if (record?.timer) clearTimeout(record.timer);
      this.executions.delete(id);
      handle.executions.delete(id);
      if (!parent && kind !== "action") this.releaseUdf(handle);
    }
  }

  // ---- workers -------------------------------------------------------------------

  private spawn(pool: "udf" | "action"): WorkerHandle {
    const signal = new SharedArrayBuffer(4);
    const handle: WorkerHandle = {
      pool,
      worker: null,
      replyPort: null,
      flag: new Int32Array(signal),
      ready: false,
      readyWaiters: [],
      busy: true,
      dead: false,
      executions: new Set(),
    };
    void isolationWorkerScript().then(
      (script) => {
        if (handle.dead) return;
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(script, { workerData: { signal, replyPort: port2 }, transferList: [port2] });
        // The servers keep the process alive; idle workers should not.
        worker.unref();
        handle.worker = worker;
        handle.replyPort = port1;
        worker.on("message", (message: WorkerToMain) => this.onMessage(handle, message));
        worker.on("error", (error) => this.log(`[isolation] worker error: ${error.stack ?? error.message}`));
        worker.on("exit", () => {
          if (!handle.dead) this.kill(handle, null, new FunctionError(CRASHED_MESSAGE));
        });
        worker.postMessage({ type: "preload", files: this.files } satisfies MainToWorker);
      },
      (error: Error) => this.log(`[isolation] cannot prepare the worker script: ${error.stack ?? error.message}`),
    );
    return handle;
  }

  private post(handle: WorkerHandle, message: MainToWorker): void {
    if (!handle.dead && handle.worker) handle.worker.postMessage(message);
  }

  private acquireUdf(): Promise<WorkerHandle> {
    const free = this.udfWorkers.find((handle) => handle.ready && !handle.busy && !handle.dead);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.udfWaiters.push(resolve));
  }

  private releaseUdf(handle: WorkerHandle): void {
    if (handle.dead) return;
    const waiter = this.udfWaiters.shift();
    if (waiter) waiter(handle);
    else handle.busy = false;
  }

  private async acquireAction(): Promise<WorkerHandle> {
    let best = this.actionWorkers[0]!;
    for (const handle of this.actionWorkers) if (handle.executions.size < best.executions.size) best = handle;
    if (!best.ready) await new Promise<void>((resolve) => best.readyWaiters.push(resolve));
    return best;
  }

  private onReady(handle: WorkerHandle): void {
    if (handle.ready || handle.dead) return;
    handle.ready = true;
    for (const waiter of handle.readyWaiters.splice(0)) waiter();
    if (handle.pool === "udf") this.releaseUdf(handle);
  }

  /** Stops a worker, fails what ran on it, and puts a fresh worker in its place. */
  private kill(handle: WorkerHandle, culprit: ExecutionRecord | null, error: FunctionError): void {
    if (handle.dead) return;
    handle.dead = true;
    void handle.worker?.terminate();
    const pool = handle.pool === "udf" ? this.udfWorkers : this.actionWorkers;
    const index = pool.indexOf(handle);
    if (index >= 0 && !this.closed) pool[index] = this.spawn(handle.pool);
    const victims = [...handle.executions].map((id) => this.executions.get(id)).filter((record) => record !== undefined);
    const errorFor = (record: ExecutionRecord) =>
      culprit === null || record.rootId === culprit.rootId ? error : new FunctionError(culprit ? STOPPED_MESSAGE : CRASHED_MESSAGE);
    // Nested executions first: their callers roll back their savepoints before
    // the top-level execution's caller rolls back its own.
    for (const record of victims) if (record.id !== record.rootId) record.reject(errorFor(record));
    setImmediate(() => {
      for (const record of victims) if (record.id === record.rootId) record.reject(errorFor(record));
    });
  }

  private timeOut(record: ExecutionRecord, limitMs: number): void {
    const where = record.context.component ? `${record.context.component}/${record.context.udfPath}` : record.context.udfPath;
    this.log(`[isolation] ${where} ran past its ${limitMs} ms limit: its worker is stopped and replaced.`);
    this.kill(record.handle, record, new FunctionError(TIMEOUT_MESSAGE(limitMs)));
  }

  // ---- messages from workers -----------------------------------------------------

  private onMessage(handle: WorkerHandle, message: WorkerToMain): void {
    if (handle.dead) return;
    switch (message.type) {
      case "ready":
        this.onReady(handle);
        return;
      case "preloadFailed":
        this.log(`[isolation] a worker could not import ${message.file}: ${message.message}`);
        return;
      case "log": {
        const record = this.executions.get(message.id);
        if (!record) return;
        record.context.logLines.push(message.line);
        const context = record.context;
        this.log(`[${message.level}] ${context.component ? `${context.component}/${context.udfPath}` : context.udfPath}: ${message.text}`);
        return;
      }
      case "done": {
        const record = this.executions.get(message.id);
        if (!record) return;
        if (message.ok) record.resolve(message.resultJson);
        else record.reject(thrownFrom(message.error));
        return;
      }
      case "sync":
        void this.answer(handle, message.id, message.mode, message.op, message.args, message.batch).then((reply) => {
          if (handle.dead || !handle.replyPort) return;
          handle.replyPort.postMessage(reply);
          Atomics.store(handle.flag, 0, 1);
          Atomics.notify(handle.flag, 0);
        });
        return;
      case "async":
        void this.answer(handle, message.id, message.mode, message.op, message.args).then((reply) =>
          this.post(handle, { type: "asyncReply", callId: message.callId, reply }),
        );
        return;
    }
  }

  private async answer(handle: WorkerHandle, id: number, mode: SyscallMode, op: string, args: unknown, batch?: number): Promise<SyscallReply> {
    const record = this.executions.get(id);
    if (!record || record.handle !== handle) return { ok: false, message: "This function's execution has ended." };
    try {
      return { ok: true, value: await this.perform(record.context, mode, op, args, batch ?? 1) };
    } catch (error) {
      const thrown = error as { message?: string; data?: unknown };
      return thrown?.data !== undefined
        ? { ok: false, message: String(thrown.message), data: thrown.data }
        : { ok: false, message: String(thrown?.message ?? error) };
    }
  }

  private async perform(context: ExecutionContext, mode: SyscallMode, op: string, args: unknown, batch: number): Promise<unknown> {
    const convex = installedSyscalls();
    switch (mode) {
      case "syscall":
        return executionStorage.run(context, () => convex.syscall(op, args as string));
      case "asyncSyscall":
        return await executionStorage.run(context, () => convex.asyncSyscall(op, args as string));
      case "jsSyscall": {
        const value = await executionStorage.run(context, () => convex.jsSyscall(op, fromTransferable(args) as Record<string, unknown>));
        return value instanceof Blob ? { __semsBlob: await value.arrayBuffer(), type: value.type } : value;
      }
      case "streamBatch": {
        const queryId = (JSON.parse(args as string) as { queryId: number }).queryId;
        const stream = context.streams.get(queryId);
        if (!stream) throw new SyscallError("This query stream has been closed.");
        const docs: string[] = [];
        while (docs.length < batch) {
          const doc = stream.next();
          if (doc === null) {
            context.streams.delete(queryId);
            return { docs, done: true };
          }
          docs.push(doc);
        }
        return { docs, done: false };
      }
    }
  }
}

function fromTransferable(args: unknown): unknown {
  if (!args || typeof args !== "object") return args;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    out[key] = isBlobTransfer(value) ? new Blob([value.__semsBlob], { type: value.type }) : value;
  }
  return out;
}

/** Rebuilds what user code threw so `toFunctionError` reports it exactly as for in-process code. */
function thrownFrom(shape: ThrownShape): unknown {
  if ("primitive" in shape) return shape.primitive;
  const error = new Error(shape.message ?? "") as Error & { data?: unknown; ConvexErrorSymbol?: unknown };
  error.name = shape.name ?? "Error";
  if (shape.stack !== undefined) error.stack = shape.stack;
  if (shape.data !== undefined) error.data = shape.data;
  if (shape.convexError) error.ConvexErrorSymbol = true;
  return error;
}

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
//
// Serving a running query or mutation (see `serve`): a worker's blocking
// syscall is a round trip through this thread, and a mutation group runs its
// mutations back to back, so waking through the event loop for every message
// cost more than the mutations themselves. While a top-level query or
// mutation runs, this thread waits for its workers' messages in Atomics.wait
// (all workers ring one shared bell) and answers them at once, in slices: it
// returns to its event loop at least every SLICE_MS, and when a function
// computes for a whole slice without a syscall this thread stops waiting
// synchronously (Atomics.waitAsync), so an endless loop stalls nobody.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
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
  type WorkerStartData,
  type WorkerToMain,
  WORKER_DOORBELL,
} from "./protocol.js";
import { MAIN_SPIN_MS, spinThenWait } from "./spinWait.js";
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

/** The longest this thread serves workers synchronously before its event loop gets a turn. */
const SLICE_MS = 2;

/** Resolves once every queued microtask (and those they queue) has run, without an event-loop turn. */
const afterMicrotasks = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ignore = (): void => {};

/** Atomics.waitAsync (Node ≥ 16; missing from this project's TypeScript lib). */
type WaitAsync = (cells: Int32Array, index: number, value: number, timeoutMs?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

interface WorkerHandle {
  pool: "udf" | "action";
  worker: Worker | null;
  replyPort: MessagePort | null;
  /** Everything the worker posts to this thread arrives here. */
  inbox: MessagePort | null;
  /** WORKER_REPLY and WORKER_DOORBELL (protocol.ts). */
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
  /** Settles with the execution; `settled` says so synchronously. */
  done: Promise<string>;
  settled: boolean;
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
  /** Rung (bumped and notified) by every worker after each message it posts. */
  private readonly bellBuffer = new SharedArrayBuffer(4);
  private readonly bell = new Int32Array(this.bellBuffer);
  /** When this thread's current event-loop turn began serving workers (see `turnStart`). */
  private turnStartedAt = 0;
  private turnMarked = false;

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
    const deterministic = kind !== "action";
    try {
      let resolveDone!: (resultJson: string) => void;
      let rejectDone!: (error: unknown) => void;
      const done = new Promise<string>((resolve, reject) => {
        resolveDone = resolve;
        rejectDone = reject;
      });
      // Awaited below; until then a rejection must not count as unhandled.
      done.catch(ignore);
      const record: ExecutionRecord = {
        id,
        rootId: parent ? parent.rootId : id,
        context,
        handle,
        resolve: (resultJson) => {
          record.settled = true;
          resolveDone(resultJson);
        },
        reject: (error) => {
          record.settled = true;
          rejectDone(error);
        },
        done,
        settled: false,
        timer: null,
      };
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
      });
      // Actions run long and interleaved: they are served through the event loop only.
      if (kind !== "action") await this.serve(record);
      return await done;
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
    const flag = new SharedArrayBuffer(8);
    const handle: WorkerHandle = {
      pool,
      worker: null,
      replyPort: null,
      inbox: null,
      flag: new Int32Array(flag),
      ready: false,
      readyWaiters: [],
      busy: true,
      dead: false,
      executions: new Set(),
    };
    void isolationWorkerScript().then(
      (script) => {
        if (handle.dead) return;
        const replies = new MessageChannel();
        const toMain = new MessageChannel();
        const workerData: WorkerStartData = { pool, flag, bell: this.bellBuffer, replyPort: replies.port2, toMain: toMain.port2 };
        const worker = new Worker(script, { workerData, transferList: [replies.port2, toMain.port2] });
        handle.worker = worker;
        handle.replyPort = replies.port1;
        handle.inbox = toMain.port1;
        // Messages nobody is serving synchronously (see `serve`) arrive as events.
        handle.inbox.on("message", (message: WorkerToMain) => this.onMessage(handle, message));
        // The servers keep the process alive; idle workers should not.
        worker.unref();
        handle.inbox.unref();
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
    if (handle.dead || !handle.worker) return;
    handle.worker.postMessage(message);
    // Wakes a worker waiting for its next run (workerMain.ts, awaitNextRun).
    Atomics.store(handle.flag, WORKER_DOORBELL, 1);
    Atomics.notify(handle.flag, WORKER_DOORBELL);
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
    handle.inbox?.close();
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

  // ---- serving a running query or mutation ---------------------------------------

  /**
   * Answers workers' messages until `record` ends, waiting for them in
   * Atomics.wait rather than in the event loop. Bounded twice: the event loop
   * gets a turn at least every SLICE_MS, and after SLICE_MS without any
   * message (user code computing, or a syscall waiting on I/O) this waits
   * asynchronously until a worker rings again or the execution ends.
   */
  private async serve(record: ExecutionRecord): Promise<void> {
    let quietSince = performance.now();
    while (!record.settled && !this.closed) {
      const now = performance.now();
      if (now - this.turnStart() >= SLICE_MS) {
        await nextTurn();
        continue;
      }
      const seen = Atomics.load(this.bell, 0);
      if (this.drainInboxes()) {
        quietSince = now;
        continue;
      }
      // Replies and finished executions' callers run as microtasks: let them
      // post what the workers wait for before this thread sleeps.
      await afterMicrotasks();
      if (record.settled) return;
      if (Atomics.load(this.bell, 0) !== seen) continue;
      const waited = performance.now();
      const quietFor = waited - quietSince;
      if (quietFor >= SLICE_MS) {
        await this.waitAsync(record, seen);
        quietSince = performance.now();
        continue;
      }
      spinThenWait(this.bell, 0, seen, MAIN_SPIN_MS, Math.min(SLICE_MS - (waited - this.turnStart()), SLICE_MS - quietFor));
    }
  }

  /** Handles every message the workers have posted so far; returns how many there were. */
  private drainInboxes(): number {
    let count = 0;
    for (const pool of [this.udfWorkers, this.actionWorkers]) {
      for (const handle of pool) {
        if (!handle.inbox) continue;
        for (;;) {
          if (handle.dead) break;
          const received = receiveMessageOnPort(handle.inbox);
          if (!received) break;
          count++;
          this.onMessage(handle, received.message as WorkerToMain);
        }
      }
    }
    return count;
  }

  private async waitAsync(record: ExecutionRecord, seen: number): Promise<void> {
    // Capped so a forgotten waiter does not linger; the loop simply waits again.
    const waiting = atomicsWaitAsync(this.bell, 0, seen, 100);
    if (waiting.async) await Promise.race([waiting.value, record.done.then(ignore, ignore)]);
  }

  /** The time this event-loop turn started serving workers: a marker immediate tells turns apart. */
  private turnStart(): number {
    if (!this.turnMarked) {
      this.turnMarked = true;
      this.turnStartedAt = performance.now();
      setImmediate(() => (this.turnMarked = false));
    }
    return this.turnStartedAt;
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
      case "env":
        // The function's view of process.env (its component's variables) as the environment layer computes it.
        return executionStorage.run(context, () => ({ ...process.env }));
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

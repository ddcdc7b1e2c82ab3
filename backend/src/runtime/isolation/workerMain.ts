// The isolation worker: runs user code (the CLI-bundled modules) on a thread
// the main thread can terminate, so an endless loop costs one worker, never
// the backend. The main thread keeps the database: every syscall is forwarded
// there. Database syscalls of queries and mutations block this thread
// (Atomics.wait) until the reply sits on the reply port, which keeps sync
// syscalls sync and costs one round trip each; nested calls, actions' calls
// and JS syscalls are awaited without blocking, so the main thread can run a
// nested function on this same worker meanwhile.
//
// Every message to the main thread goes to its own port and rings the shared
// bell, so a main thread serving this execution wakes from Atomics.wait at
// once instead of waiting for its event loop. Between top-level executions an
// idle query/mutation worker waits the same way, for one slice, for its next
// run (a mutation group hands them out back to back), then returns to its
// event loop.
//
// Determinism lives here: inside a query or mutation, Date is frozen at the
// execution's start, Math.random is seeded per execution, and fetch and
// timers are refused with Convex's error (which also fails the function even
// if user code catches it, as on Convex).
import { exposeAsyncLocalStorage } from "../globals.js";
import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import { pathToFileURL } from "node:url";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import {
  isBlobTransfer,
  NOT_ALLOWED_IN_UDF,
  WORKER_DOORBELL,
  WORKER_REPLY,
  type WorkerStartData,
  type IsolatedKind,
  type MainToWorker,
  type RunMessage,
  type SyscallMode,
  type SyscallReply,
  type ThrownShape,
  type WorkerToMain,
} from "./protocol.js";
import { seededRandom } from "./seededRandom.js";
import { spinThenWait, WORKER_SPIN_MS } from "./spinWait.js";

interface Execution {
  id: number;
  kind: IsolatedKind;
  frozenNowMs: number | null;
  random: (() => number) | null;
  /** The function's `process.env`, asked of the main thread on first use; shared with nested calls, as their writes are. */
  env: { values: Record<string, string> | null };
  /** Set when the function used an API Convex refuses: the execution fails with it. */
  refusal: string | null;
  /** Documents read ahead per query stream (see `streamNext`). */
  streams: Map<number, { docs: string[]; done: boolean; batch: number }>;
}

const port = parentPort!;
const start = workerData as WorkerStartData;
const { replyPort, toMain } = start;
const flag = new Int32Array(start.flag);
const bell = new Int32Array(start.bell);
/** How long an idle query/mutation worker waits for its next run before returning to its event loop. */
const IDLE_SLICE_MS = 2;
const storage = new AsyncLocalStorage<Execution>();
const executions = new Map<number, Execution>();
const pendingCalls = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
let nextCallId = 1;

function post(message: WorkerToMain): void {
  toMain.postMessage(message);
  Atomics.add(bell, 0, 1);
  Atomics.notify(bell, 0);
}

function deterministic(execution: Execution | undefined): execution is Execution {
  return execution !== undefined && (execution.kind === "query" || execution.kind === "mutation");
}

// ---- syscall forwarding -------------------------------------------------------

function errorFromReply(reply: SyscallReply & { ok: false }): Error {
  const error = new Error(reply.message) as Error & { data?: unknown };
  if (reply.data !== undefined) error.data = reply.data;
  return error;
}

/** One blocking round trip to the main thread. */
function blockingCall(id: number, mode: SyscallMode, op: string, args: string, batch?: number): unknown {
  Atomics.store(flag, WORKER_REPLY, 0);
  post({ type: "sync", id, mode, op, args, batch });
  for (;;) {
    spinThenWait(flag, WORKER_REPLY, 0, WORKER_SPIN_MS);
    const received = receiveMessageOnPort(replyPort);
    if (received) {
      Atomics.store(flag, WORKER_REPLY, 0);
      const reply = received.message as SyscallReply;
      if (!reply.ok) throw errorFromReply(reply);
      return reply.value;
    }
  }
}

function asyncCall(id: number, mode: SyscallMode, op: string, args: unknown): Promise<unknown> {
  const callId = nextCallId++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(callId, { resolve, reject });
    post({ type: "async", id, callId, mode, op, args });
  });
}

function current(op: string): Execution {
  const execution = storage.getStore();
  if (!execution) throw new Error(`A Convex syscall (${op}) was made outside of any running function.`);
  return execution;
}

const STREAM_BATCH_MAX = 128;

/**
 * `queryStreamNext` with read-ahead: the main thread answers with a batch that
 * doubles from 1 (so `.first()` reads exactly one document) up to 128, and the
 * rest is served from here: a 100-row range is a handful of round trips.
 */
function streamNext(execution: Execution, args: string): string {
  const queryId = (JSON.parse(args) as { queryId: number }).queryId;
  let buffered = execution.streams.get(queryId);
  if (!buffered) execution.streams.set(queryId, (buffered = { docs: [], done: false, batch: 1 }));
  if (!buffered.docs.length && !buffered.done) {
    const reply = blockingCall(execution.id, "streamBatch", "1.0/queryStreamNext", args, buffered.batch) as { docs: string[]; done: boolean };
    buffered.docs = reply.docs;
    buffered.done = reply.done;
    buffered.batch = Math.min(buffered.batch * 2, STREAM_BATCH_MAX);
  }
  const doc = buffered.docs.shift();
  if (doc === undefined) {
    execution.streams.delete(queryId);
    return '{"value":null,"done":true}';
  }
  return `{"value":${doc},"done":false}`;
}

/** Calls that must not block this thread: the main thread may run a nested function here meanwhile. */
function needsNonBlocking(execution: Execution, op: string): boolean {
  return execution.kind === "action" || op === "1.0/runUdf" || op.startsWith("1.0/actions/");
}

async function toTransferable(value: unknown): Promise<unknown> {
  if (value instanceof Blob) return { __semsBlob: await value.arrayBuffer(), type: value.type };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = await Promise.all(Object.entries(value as Record<string, unknown>).map(async ([key, inner]) => [key, inner instanceof Blob ? await toTransferable(inner) : inner]));
    return Object.fromEntries(entries);
  }
  return value;
}

(globalThis as { Convex?: unknown }).Convex = {
  syscall(op: string, args: string): string {
    const execution = current(op);
    if (op === "1.0/queryCleanup") execution.streams.delete((JSON.parse(args) as { queryId: number }).queryId);
    return blockingCall(execution.id, "syscall", op, args) as string;
  },
  asyncSyscall(op: string, args: string): Promise<string> {
    const execution = current(op);
    if (needsNonBlocking(execution, op)) return asyncCall(execution.id, "asyncSyscall", op, args) as Promise<string>;
    try {
      if (op === "1.0/queryStreamNext") return Promise.resolve(streamNext(execution, args));
      return Promise.resolve(blockingCall(execution.id, "asyncSyscall", op, args) as string);
    } catch (error) {
      return Promise.reject(error);
    }
  },
  jsSyscall(op: string, args: Record<string, unknown>): Promise<unknown> {
    const execution = current(op);
    return toTransferable(args)
      .then((transferable) => asyncCall(execution.id, "jsSyscall", op, transferable))
      .then((value) => (isBlobTransfer(value) ? new Blob([value.__semsBlob], { type: value.type }) : value));
  },
};

// ---- determinism and refusals -------------------------------------------------

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
RealDate.now = () => {
  const execution = storage.getStore();
  return deterministic(execution) && execution.frozenNowMs !== null ? execution.frozenNowMs : realNow();
};
// `new Date()` and `Date()` read the frozen clock too; everything else is the real Date.
// Per-execution stores for libraries that look for it (see exposeAsyncLocalStorage).
exposeAsyncLocalStorage();

globalThis.Date = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [RealDate.now()] : args, newTarget) as object;
  },
  apply() {
    return new RealDate(RealDate.now()).toString();
  },
});

const realRandom = Math.random.bind(Math);
Math.random = () => {
  const random = storage.getStore()?.random;
  return random ? random() : realRandom();
};

/** Fails the running query or mutation with Convex's refusal; returns false outside of one. */
function refuse(description: string): void {
  const execution = storage.getStore();
  if (!deterministic(execution)) return;
  const message = NOT_ALLOWED_IN_UDF(description);
  execution.refusal ??= message;
  throw new Error(message);
}

const realFetch = globalThis.fetch;
globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
  refuse("fetch()");
  return realFetch(...args);
}) as typeof fetch;

const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
  refuse("setTimeout");
  return realSetTimeout(...args);
}) as typeof setTimeout;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  refuse("setInterval");
  return realSetInterval(...args);
}) as typeof setInterval;

// `process.env` inside a function is its component's variables, fetched from
// the main thread the first time the function touches it (most never do, and
// copying them into every run message cost more than the run itself).
function envOf(execution: Execution): Record<string, string> {
  return (execution.env.values ??= blockingCall(execution.id, "env", "env", "") as Record<string, string>);
}

const realEnv = process.env;
process.env = new Proxy(realEnv, {
  get: (target, property) => {
    const execution = storage.getStore();
    return execution && typeof property === "string" ? envOf(execution)[property] : Reflect.get(target, property);
  },
  has: (target, property) => {
    const execution = storage.getStore();
    return execution && typeof property === "string" ? Object.hasOwn(envOf(execution), property) : Reflect.has(target, property);
  },
  set: (target, property, value) => {
    const execution = storage.getStore();
    if (execution && typeof property === "string") envOf(execution)[property] = String(value);
    else Reflect.set(target, property, value);
    return true;
  },
  deleteProperty: (target, property) => {
    const execution = storage.getStore();
    if (execution && typeof property === "string") delete envOf(execution)[property];
    else Reflect.deleteProperty(target, property);
    return true;
  },
  ownKeys: (target) => {
    const execution = storage.getStore();
    return execution ? Object.keys(envOf(execution)) : Reflect.ownKeys(target);
  },
  getOwnPropertyDescriptor: (target, property) => {
    const execution = storage.getStore();
    if (!execution || typeof property !== "string") return Reflect.getOwnPropertyDescriptor(target, property);
    const values = envOf(execution);
    if (!Object.hasOwn(values, property)) return undefined;
    return { value: values[property], writable: true, enumerable: true, configurable: true };
  },
});

const LEVELS: Record<string, string> = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" };
const consoleRecord = console as unknown as Record<string, (...args: unknown[]) => void>;
for (const [method, level] of Object.entries(LEVELS)) {
  const original = consoleRecord[method]!.bind(console);
  consoleRecord[method] = (...args: unknown[]) => {
    const execution = storage.getStore();
    if (!execution) return original(...args);
    const text = args.map((arg) => inspect(arg, { depth: 4, breakLength: Infinity })).join(" ");
    post({ type: "log", id: execution.id, line: `[${level}] ${text}`, level, text });
  };
}

// ---- running functions --------------------------------------------------------

interface Registered {
  invokeQuery?: (argsJson: string) => Promise<string>;
  invokeMutation?: (argsJson: string) => Promise<string>;
  invokeAction?: (requestId: string, argsJson: string) => Promise<string>;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

function importModule(file: string): Promise<Record<string, unknown>> {
  let loaded = modules.get(file);
  if (!loaded) {
    loaded = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
    modules.set(file, loaded);
    loaded.catch(() => modules.delete(file));
  }
  return loaded;
}

function shapeOf(thrown: unknown): ThrownShape {
  if (thrown === null || typeof thrown !== "object") return { primitive: String(thrown) };
  const error = thrown as { name?: unknown; message?: unknown; stack?: unknown; data?: unknown; ConvexErrorSymbol?: unknown };
  let data = error.data;
  if (data !== undefined && typeof data !== "string") {
    try {
      data = structuredClone(data);
    } catch {
      data = undefined;
    }
  }
  return {
    name: typeof error.name === "string" ? error.name : undefined,
    message: typeof error.message === "string" ? error.message : String(thrown),
    stack: typeof error.stack === "string" ? error.stack : undefined,
    data,
    convexError: error.ConvexErrorSymbol !== undefined,
  };
}

async function run(message: RunMessage): Promise<void> {
  const parent = message.parentId === null ? undefined : executions.get(message.parentId);
  const execution: Execution = {
    id: message.id,
    kind: message.kind,
    frozenNowMs: parent?.frozenNowMs ?? message.frozenNowMs,
    random: parent?.random ?? (message.seed === null ? null : seededRandom(message.seed)),
    env: parent?.env ?? { values: null },
    refusal: null,
    streams: new Map(),
  };
  executions.set(message.id, execution);
  try {
    const namespace = await importModule(message.file);
    const fn = namespace[message.exportName] as Registered | undefined;
    const resultJson = await storage.run(execution, () => {
      switch (message.kind) {
        case "query":
          return fn!.invokeQuery!(message.argsJson);
        case "mutation":
          return fn!.invokeMutation!(message.argsJson);
        case "action":
          return fn!.invokeAction!(message.requestId, message.argsJson);
      }
    });
    if (execution.refusal !== null) post({ type: "done", id: message.id, ok: false, error: { name: "Error", message: execution.refusal, convexError: false } });
    else post({ type: "done", id: message.id, ok: true, resultJson });
  } catch (thrown) {
    const error: ThrownShape = execution.refusal !== null ? { name: "Error", message: execution.refusal, convexError: false } : shapeOf(thrown);
    post({ type: "done", id: message.id, ok: false, error });
  } finally {
    executions.delete(message.id);
  }
  if (message.parentId === null && start.pool === "udf") awaitNextRun();
}

/**
 * An idle query/mutation worker sleeps here for one slice instead of in its
 * event loop: the main thread rings WORKER_DOORBELL with each message it
 * posts, so the next mutation of a group starts without an event-loop wake-up.
 */
function awaitNextRun(): void {
  const until = performance.now() + IDLE_SLICE_MS;
  for (;;) {
    if (executions.size) return;
    Atomics.store(flag, WORKER_DOORBELL, 0);
    const received = receiveMessageOnPort(port);
    if (received) {
      onMainMessage(received.message as MainToWorker);
      // A run starts synchronously up to its first await: the worker is busy again.
      if (executions.size) return;
      continue;
    }
    const left = until - performance.now();
    if (left <= 0) return;
    spinThenWait(flag, WORKER_DOORBELL, 0, WORKER_SPIN_MS, left);
  }
}

async function preload(files: string[]): Promise<void> {
  for (const file of files) {
    try {
      await importModule(file);
    } catch (error) {
      post({ type: "preloadFailed", file, message: (error as Error).message });
    }
  }
  post({ type: "ready" });
}

function onMainMessage(message: MainToWorker): void {
  switch (message.type) {
    case "run":
      void run(message);
      return;
    case "preload":
      void preload(message.files);
      return;
    case "asyncReply": {
      const pending = pendingCalls.get(message.callId);
      if (!pending) return;
      pendingCalls.delete(message.callId);
      const reply = message.reply;
      if (reply.ok) pending.resolve(isBlobTransfer(reply.value) ? new Blob([reply.value.__semsBlob], { type: reply.value.type }) : reply.value);
      else pending.reject(errorFromReply(reply));
      return;
    }
  }
}

port.on("message", onMainMessage);

// A rejected promise or a throw in a callback that no function awaits must not
// take the worker (and every execution on it) down; on the main thread it
// would only be logged too.
process.on("unhandledRejection", (reason) => console.error("Unhandled rejection in a Convex function:", reason));
process.on("uncaughtException", (error) => console.error("Uncaught exception in a Convex function:", error));
